import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the stored daily scores of `org` or of an entity ref over the last `days` days. */
export function useScoreHistory(ref: string, days: number) {
  return useNthlayerQuery(api => api.getScoreHistory(ref, { days }), [
    ref,
    days,
  ]);
}
