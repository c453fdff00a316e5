import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the latest drift report of an entity and its history of changes. */
export function useEntityDrift(entity: Entity) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getDrift({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
