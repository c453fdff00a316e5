import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { NthlayerApi, nthlayerApiRef } from '../api';

/** Loads something from the NthLayer API, again when `deps` change; `retry` reloads. */
export function useNthlayerQuery<T>(
  load: (api: NthlayerApi) => Promise<T>,
  deps: unknown[],
) {
  const api = useApi(nthlayerApiRef);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry<T>(() => load(api), [api, ...deps]);
  return {
    loading: state.loading,
    error: state.error,
    value: state.value,
    retry: state.retry,
  };
}
