import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { DependencyDirection } from '../api';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the dependency graph around an entity, again when the depth or direction change. */
export function useEntityDependencies(
  entity: Entity,
  depth: number,
  direction: DependencyDirection,
) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getDependencies({ kind, namespace, name }, { depth, direction }),
    [kind, namespace, name, depth, direction],
  );
}
