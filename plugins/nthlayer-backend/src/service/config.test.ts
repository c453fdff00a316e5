import { ConfigReader } from '@backstage/config';
import { readNthlayerConfig, readPolicyLocations, readServiceFileLimits } from './config';

const config = (nthlayer: object) =>
  new ConfigReader({ nthlayer: { prometheus: { baseUrl: 'http://prometheus:9090/' }, ...nthlayer } });

describe('readNthlayerConfig durations', () => {
  it('reads validation.lookback and scrapeInterval as Prometheus durations', () => {
    expect(readNthlayerConfig(config({})).validation).toEqual({
      lookback: { text: '1d', seconds: 86400 },
      scrapeInterval: '30s',
    });
    expect(
      readNthlayerConfig(config({ validation: { lookback: '1h30m', scrapeInterval: '15s' } })).validation,
    ).toEqual({ lookback: { text: '1h30m', seconds: 5400 }, scrapeInterval: '15s' });
    // A plain number of seconds, as before the parsers were merged.
    expect(readNthlayerConfig(config({ validation: { lookback: '3600' } })).validation.lookback.seconds).toBe(3600);
  });

  it.each([
    [{ lookback: '30m1h' }, /validation.lookback must be a Prometheus duration such as 6h or 1d, got "30m1h"/],
    [{ lookback: '0s' }, /validation.lookback must be a Prometheus duration/],
    [{ lookback: '1 day' }, /validation.lookback must be a Prometheus duration/],
    [{ scrapeInterval: '30 seconds' }, /validation.scrapeInterval must be a Prometheus duration such as 30s/],
  ])('rejects validation %j', (validation, message) => {
    expect(() => readNthlayerConfig(config({ validation }))).toThrow(message);
  });

  it('reads gates.maxOverrideDuration (default 72 h) and notifications.enabled (default true)', () => {
    expect(readNthlayerConfig(config({})).gates.maxOverrideMs).toBe(72 * 3_600_000);
    expect(readNthlayerConfig(config({ gates: { maxOverrideDuration: { hours: 8 } } })).gates.maxOverrideMs).toBe(8 * 3_600_000);
    expect(readNthlayerConfig(config({ gates: { maxOverrideDuration: 'P2D' } })).gates.maxOverrideMs).toBe(48 * 3_600_000);
    expect(() => readNthlayerConfig(config({ gates: { maxOverrideDuration: { hours: 0 } } }))).toThrow(
      'nthlayer.gates.maxOverrideDuration must be a positive duration such as { hours: 72 }',
    );
    expect(readNthlayerConfig(config({})).notifications.enabled).toBe(true);
    expect(readNthlayerConfig(config({ notifications: { enabled: false } })).notifications.enabled).toBe(false);
  });

  it('reads refresh.minInterval in Backstage duration formats', () => {
    expect(readNthlayerConfig(config({})).refresh.minIntervalMs).toBe(60_000);
    expect(readNthlayerConfig(config({ refresh: { minInterval: { seconds: 30 } } })).refresh.minIntervalMs).toBe(30_000);
    expect(readNthlayerConfig(config({ refresh: { minInterval: '2m' } })).refresh.minIntervalMs).toBe(120_000);
    expect(readNthlayerConfig(config({ refresh: { minInterval: 'PT90S' } })).refresh.minIntervalMs).toBe(90_000);
    expect(() => readNthlayerConfig(config({ refresh: { minInterval: 'soon' } }))).toThrow(/Invalid duration 'soon'/);
  });
});

describe('readServiceFileLimits timeout (durationLikeMs, which replaced a copy of it)', () => {
  it.each([
    [{ milliseconds: 1500 }, 1500],
    [{ minutes: 1, seconds: 30 }, 90_000],
    [{ hours: 1 }, 3_600_000],
    // The removed copy counted months as 30 days and years as 365, as luxon's casual matrix does.
    [{ months: 1 }, 30 * 86_400_000],
    [{ years: 1 }, 365 * 86_400_000],
    [{ weeks: 1, days: 1 }, 8 * 86_400_000],
    ['10s', 10_000],
    ['PT1M', 60_000],
  ])('reads %j as %d ms', (timeout, ms) => {
    expect(readServiceFileLimits(new ConfigReader({ nthlayer: { serviceFiles: { timeout } } }))).toEqual({
      timeoutMs: ms,
    });
  });
});

describe('readNthlayerConfig cache.entityTtl', () => {
  it('defaults to 10 seconds and reads Backstage durations up to 5 minutes', () => {
    expect(readNthlayerConfig(config({})).cache).toEqual({ entityTtlMs: 10_000 });
    expect(readNthlayerConfig(config({ cache: {} })).cache).toEqual({ entityTtlMs: 10_000 });
    expect(readNthlayerConfig(config({ cache: { entityTtl: { seconds: 30 } } })).cache.entityTtlMs).toBe(30_000);
    expect(readNthlayerConfig(config({ cache: { entityTtl: '2s' } })).cache.entityTtlMs).toBe(2_000);
    expect(readNthlayerConfig(config({ cache: { entityTtl: 'PT1M' } })).cache.entityTtlMs).toBe(60_000);
    expect(readNthlayerConfig(config({ cache: { entityTtl: { minutes: 5 } } })).cache.entityTtlMs).toBe(300_000);
    expect(readNthlayerConfig(config({ cache: { entityTtl: { milliseconds: 250 } } })).cache.entityTtlMs).toBe(250);
  });

  it.each([0, '0s', { seconds: 0 }, 'PT0S'])('turns the cache off with %j', entityTtl => {
    expect(readNthlayerConfig(config({ cache: { entityTtl } })).cache).toEqual({ entityTtlMs: 0 });
  });

  it.each([
    [{ seconds: -5 }, '{"seconds":-5}'],
    ['-5s', '"-5s"'],
    [{ minutes: 5, milliseconds: 1 }, '{"minutes":5,"milliseconds":1}'],
    ['6m', '"6m"'],
    [{ hours: 1 }, '{"hours":1}'],
    [10, '10'],
    ['10', '"10"'],
    ['soon', '"soon"'],
    [{}, '{}'],
  ])('rejects %j, naming the key and the value', (entityTtl, shown) => {
    let message = '';
    try {
      readNthlayerConfig(config({ cache: { entityTtl } }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('nthlayer.cache.entityTtl must be a duration from 0 to 5 minutes');
    expect(message).toContain(`got ${shown}`);
  });
});

describe('nthlayer.policies', () => {
  it('defaults to no locations, reloaded every 5 minutes', () => {
    expect(readNthlayerConfig(config({})).policies).toEqual({ locations: [], reloadFrequency: { minutes: 5 } });
  });

  it('reads the locations and the reload frequency', () => {
    const policies = readNthlayerConfig(
      config({ policies: { locations: [{ target: 'file:policies.yaml' }, { target: 'https://x.example/p.yaml' }], reloadFrequency: { seconds: 30 } } }),
    ).policies;
    expect(policies).toEqual({
      locations: [{ target: 'file:policies.yaml' }, { target: 'https://x.example/p.yaml' }],
      reloadFrequency: { seconds: 30 },
    });
    expect(readNthlayerConfig(config({ policies: { reloadFrequency: '1m' } })).policies.reloadFrequency).toEqual({ minutes: 1 });
    expect(() => readNthlayerConfig(config({ policies: { locations: [{ path: 'x' }] } }))).toThrow(/target/);
  });

  it('reads the locations again from the config it is given (the reload follows config changes)', () => {
    expect(readPolicyLocations(config({ policies: { locations: [{ target: 'a.yaml' }] } }))).toEqual([{ target: 'a.yaml' }]);
    expect(readPolicyLocations(config({}))).toEqual([]);
    expect(readPolicyLocations(new ConfigReader({}))).toEqual([]);
  });
});

describe('nthlayer.prometheus.compressRules', () => {
  const instances = (prometheus: object) => readNthlayerConfig(new ConfigReader({ nthlayer: { prometheus } })).prometheusInstances;

  it('defaults to false (the rules answer uncompressed); the shorthand instance takes the top-level value', () => {
    expect(instances({ baseUrl: 'http://p:9090' })[0]).toMatchObject({ name: 'default', compressRules: false });
    expect(instances({ baseUrl: 'http://p:9090', compressRules: true })[0].compressRules).toBe(true);
  });

  it('is per instance, an instance without its own setting taking the top-level value', () => {
    const list = instances({
      compressRules: true,
      instances: [
        { name: 'local', baseUrl: 'http://p:9090', compressRules: false },
        { name: 'cloud', baseUrl: 'https://mimir.example.com/prometheus' },
      ],
    });
    expect(list.map(i => [i.name, i.compressRules])).toEqual([
      ['local', false],
      ['cloud', true],
    ]);
    expect(instances({ instances: [{ name: 'a', baseUrl: 'http://a' }] })[0].compressRules).toBe(false);
  });
});
