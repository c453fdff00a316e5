import { CompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the budget history of every SLO of an entity in one request; `retry` reloads. */
export function useEntityHistory(entityRef: CompoundEntityRef) {
  const { kind, namespace, name } = entityRef;
  return useNthlayerQuery(
    api => api.getEntityHistory({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
