import { CompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/**
 * Loads the error-budget ledger of an entity (each SLO over its own window, so the baseline
 * is known); `retry` reloads.
 */
export function useEntityLedger(entityRef: CompoundEntityRef) {
  const { kind, namespace, name } = entityRef;
  return useNthlayerQuery(
    api => api.getLedger({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
