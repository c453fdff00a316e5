/** Options of {@link mapLimit}. @public */
export interface MapLimitOptions {
  /**
   * After the first failure, start no further items (those in flight still settle). By
   * default every item runs even if some fail.
   */
  stopOnError?: boolean;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight and returns the results in order.
 * Nothing is left running behind the caller's back: the first error is rethrown only once
 * every started item has settled.
 *
 * @public
 */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  options: MapLimitOptions = {},
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !(options.stopOnError && errors.length)) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (e) {
        errors.push(e);
      }
    }
  });
  await Promise.all(workers);
  if (errors.length) throw errors[0];
  return results;
}
