import { CompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the budget history of one SLO (the backend's default range); `retry` reloads. */
export function useSloHistory(entityRef: CompoundEntityRef, slo: string) {
  const { kind, namespace, name } = entityRef;
  return useNthlayerQuery(
    api => api.getSloHistory({ kind, namespace, name }, slo),
    [kind, namespace, name, slo],
  );
}
