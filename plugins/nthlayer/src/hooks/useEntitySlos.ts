import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntitySlosResponse } from '@nthlayer/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { nthlayerApiRef } from '../api';

/** Loads the SLO report of an entity; `retry` loads it again. */
export function useEntitySlos(entity: Entity) {
  const api = useApi(nthlayerApiRef);
  const ref = getCompoundEntityRef(entity);
  const { kind, namespace, name } = ref;
  const state = useAsyncRetry<EntitySlosResponse>(
    () => api.getEntitySlos({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  return {
    loading: state.loading,
    error: state.error,
    value: state.value,
    retry: state.retry,
  };
}
