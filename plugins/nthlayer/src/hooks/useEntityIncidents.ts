import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the stored PagerDuty incidents of an entity with their counts. */
export function useEntityIncidents(entity: Entity) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getIncidents({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
