/**
 * A bounded map of promises that expire: concurrent callers of one key share one load, a
 * value is reused until `ttlMs` after it was asked for, and the least recently used entries
 * go beyond `maxEntries`. A failed load is not kept. `ttlMs: 0` turns caching off.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; clock?: () => number },
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const { ttlMs, maxEntries } = this.options;
    if (ttlMs <= 0) return load();
    const now = this.options.clock?.() ?? Date.now();
    const hit = this.#entries.get(key);
    this.#entries.delete(key);
    if (hit && hit.expires > now) {
      this.#entries.set(key, hit);
      return hit.value;
    }
    const entry = { value: load(), expires: now + ttlMs };
    if (this.#entries.size >= maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }

  /** Forgets every entry (loads in flight still answer their callers). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
