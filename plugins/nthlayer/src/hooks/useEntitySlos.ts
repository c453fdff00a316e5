import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the SLO report of an entity; `retry` loads it again. */
export function useEntitySlos(entity: Entity) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getEntitySlos({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
