import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { SloHistoryResponse } from '@nthlayer/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { nthlayerApiRef } from '../api';

/** Loads the budget history of one SLO (the backend's default range); `retry` reloads. */
export function useSloHistory(entityRef: CompoundEntityRef, slo: string) {
  const api = useApi(nthlayerApiRef);
  const { kind, namespace, name } = entityRef;
  const state = useAsyncRetry<SloHistoryResponse>(
    () => api.getSloHistory({ kind, namespace, name }, slo),
    [api, kind, namespace, name, slo],
  );
  return {
    loading: state.loading,
    error: state.error,
    value: state.value,
    retry: state.retry,
  };
}
