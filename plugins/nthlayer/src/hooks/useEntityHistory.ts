import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityHistoryResponse } from '@nthlayer/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { nthlayerApiRef } from '../api';

/** Loads the budget history of every SLO of an entity in one request; `retry` reloads. */
export function useEntityHistory(entityRef: CompoundEntityRef) {
  const api = useApi(nthlayerApiRef);
  const { kind, namespace, name } = entityRef;
  const state = useAsyncRetry<EntityHistoryResponse>(
    () => api.getEntityHistory({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  return {
    loading: state.loading,
    error: state.error,
    value: state.value,
    retry: state.retry,
  };
}
