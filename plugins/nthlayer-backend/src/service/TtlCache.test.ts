import { TtlCache } from './TtlCache';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

describe('TtlCache', () => {
  it('shares one load between concurrent callers of a key, not between keys', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    const pending = deferred<string>();
    const load = jest.fn(() => pending.promise);
    const calls = [cache.get('a', load), cache.get('a', load), cache.get('a', load)];
    expect(load).toHaveBeenCalledTimes(1);
    pending.resolve('value-a');
    expect(await Promise.all(calls)).toEqual(['value-a', 'value-a', 'value-a']);
    // Another key has its own load.
    const other = jest.fn(async () => 'value-b');
    expect(await cache.get('b', other)).toBe('value-b');
    expect(other).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reuses a value until ttlMs after it was loaded, then loads again', async () => {
    let now = 1_000_000;
    const cache = new TtlCache<number>({ ttlMs: 500, maxEntries: 10, clock: () => now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    now += 499;
    expect(await cache.get('k', load)).toBe(1);
    // A hit does not extend the entry's life: it expires 500 ms after the load.
    now += 1;
    expect(await cache.get('k', load)).toBe(2);
    now += 250;
    expect(await cache.get('k', load)).toBe(2);
    now += 250;
    expect(await cache.get('k', load)).toBe(3);
    expect(loads).toBe(3);
  });

  it('does not keep a failed load: concurrent callers share the failure, the next call loads again', async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    const pending = deferred<string>();
    const failing = jest.fn(() => pending.promise);
    const first = cache.get('k', failing);
    const second = cache.get('k', failing);
    pending.reject(new Error('catalog down'));
    await expect(first).rejects.toThrow('catalog down');
    await expect(second).rejects.toThrow('catalog down');
    expect(failing).toHaveBeenCalledTimes(1);
    await settle();
    expect(cache.size).toBe(0);

    const working = jest.fn(async () => 'ok');
    expect(await cache.get('k', working)).toBe('ok');
    expect(await cache.get('k', working)).toBe('ok');
    expect(working).toHaveBeenCalledTimes(1);
  });

  it('keeps a newer entry when an older load of the same key fails after it expired', async () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 100, maxEntries: 10, clock: () => now });
    const slow = deferred<string>();
    const old = cache.get('k', () => slow.promise);
    now = 100;
    const fresh = jest.fn(async () => 'fresh');
    expect(await cache.get('k', fresh)).toBe('fresh');
    slow.reject(new Error('late failure'));
    await expect(old).rejects.toThrow('late failure');
    await settle();
    expect(await cache.get('k', fresh)).toBe('fresh');
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('drops the least recently used entries beyond maxEntries', async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 3 });
    const loads: string[] = [];
    const loader = (key: string) => async () => {
      loads.push(key);
      return `value-${key}`;
    };
    for (const key of ['a', 'b', 'c']) await cache.get(key, loader(key));
    // Touch a: b is now the least recently used.
    await cache.get('a', loader('a'));
    await cache.get('d', loader('d'));
    expect(cache.size).toBe(3);
    expect(loads).toEqual(['a', 'b', 'c', 'd']);
    // a, c and d are still cached; b was dropped and loads again (dropping c, now the oldest).
    for (const key of ['a', 'c', 'd']) expect(await cache.get(key, loader(key))).toBe(`value-${key}`);
    expect(loads).toEqual(['a', 'b', 'c', 'd']);
    expect(await cache.get('b', loader('b'))).toBe('value-b');
    expect(loads).toEqual(['a', 'b', 'c', 'd', 'b']);
    expect(cache.size).toBe(3);
    await cache.get('a', loader('a'));
    expect(loads).toEqual(['a', 'b', 'c', 'd', 'b', 'a']);
  });

  it('reloads an expired entry in place without dropping another key', async () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 10, maxEntries: 2, clock: () => now });
    const loads: string[] = [];
    const loader = (key: string) => async () => {
      loads.push(key);
      return key;
    };
    await cache.get('a', loader('a'));
    now = 5;
    await cache.get('b', loader('b'));
    now = 10;
    // a expired: reloading it replaces it; b stays (the cache is not over its bound).
    await cache.get('a', loader('a'));
    expect(cache.size).toBe(2);
    now = 12;
    await cache.get('b', loader('b'));
    await cache.get('a', loader('a'));
    expect(loads).toEqual(['a', 'b', 'a']);
  });

  it('calls load every time with ttlMs 0 and keeps nothing', async () => {
    const cache = new TtlCache<number>({ ttlMs: 0, maxEntries: 10 });
    let loads = 0;
    const load = async () => ++loads;
    const values = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect(values.sort()).toEqual([1, 2]);
    expect(await cache.get('k', load)).toBe(3);
    expect(cache.size).toBe(0);
  });
});
