import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads what depends on an entity, transitively, with the severity of its blast radius. */
export function useEntityBlastRadius(entity: Entity) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getBlastRadius({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
