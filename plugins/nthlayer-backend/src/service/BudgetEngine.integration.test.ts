import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_TIERS } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { PrometheusRegistry } from './PrometheusRegistry';
import {
  FixtureSeries,
  RunningPrometheus,
  startPrometheusWith,
  storeDatabaseIds,
} from '@internal/nthlayer-test-utils';
import { serviceEntity } from '../testing/fixtureEntities';
import { BudgetEngine, MeasuredSlo } from './BudgetEngine';
import { EntitySloService } from './EntitySloService';
import { PrometheusClient } from './PrometheusClient';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/*
 * Real Prometheus, loaded with series whose budgets were computed by hand below.
 * Every SLO here uses a 1-day window (1,440 min); samples every 60 s for 74 h (so the 3d
 * burn window is full too), and the engine evaluates at the last sample, so increase()
 * over every window is exact.
 */
const END = Math.floor(Date.now() / 3_600_000) * 3600 - 3600; // whole hour, 1 h ago (s)
const START = END - 74 * 3600;
const INCIDENT_FROM = END - 10 * 3600;
const INCIDENT_TO = INCIDENT_FROM + 1800; // 30 minutes

// UTC midnights of the backfilled history of a 1d window (the day before END's must be
// settled: 15 minutes past midnight).
const SETTLED = END - Math.floor(END / 86400) * 86400 < 900
  ? Math.floor(END / 86400) * 86400 - 86400
  : Math.floor(END / 86400) * 86400;
// Those inside the history API's default range [END − 1d, END].
const MIDNIGHTS = [SETTLED - 86400, SETTLED].filter(t => t !== END && t >= END - 86400);

const linear = (ratePerSecond: number) => (t: number) => ratePerSecond * (t - START);
const overlap = (t: number) => Math.max(0, Math.min(t, INCIDENT_TO) - INCIDENT_FROM);

const series: FixtureSeries[] = [
  // alpha-api: 9.995 req/s OK; 0.005 req/s 5xx, plus 0.495 req/s more 5xx for 30 min.
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { service: 'alpha-api', status: '200' }, valueAt: linear(9.995) },
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { service: 'alpha-api', status: '500' }, valueAt: t => 0.005 * (t - START) + 0.495 * overlap(t) },
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { service: 'alpha-api', status: '404' }, valueAt: linear(0.5) },
  // gamma-api (custom selector job="gamma",env="prod"): 3.95 OK + 0.05 503 per s; staging noise excluded.
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { job: 'gamma', env: 'prod', status: '200' }, valueAt: linear(3.95) },
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { job: 'gamma', env: 'prod', status: '503' }, valueAt: linear(0.05) },
  { family: 'http_requests', type: 'counter', name: 'http_requests_total', labels: { job: 'gamma', env: 'staging', status: '503' }, valueAt: linear(100) },
  // beta-worker: 1.996 jobs/s succeed, 0.004 jobs/s fail.
  { family: 'jobs_processed', type: 'counter', name: 'jobs_processed_total', labels: { service: 'beta-worker', status: 'succeeded' }, valueAt: linear(1.996) },
  { family: 'jobs_processed', type: 'counter', name: 'jobs_processed_total', labels: { service: 'beta-worker', status: 'failed' }, valueAt: linear(0.004) },
  // alpha-api latency: of 10 req/s, 8 under 250 ms, 9.7 under 500 ms.
  { family: 'http_request_duration_seconds_bucket', type: 'unknown', name: 'http_request_duration_seconds_bucket', labels: { service: 'alpha-api', le: '0.25' }, valueAt: linear(8) },
  { family: 'http_request_duration_seconds_bucket', type: 'unknown', name: 'http_request_duration_seconds_bucket', labels: { service: 'alpha-api', le: '0.5' }, valueAt: linear(9.7) },
  { family: 'http_request_duration_seconds_bucket', type: 'unknown', name: 'http_request_duration_seconds_bucket', labels: { service: 'alpha-api', le: '+Inf' }, valueAt: linear(10) },
  { family: 'http_request_duration_seconds_count', type: 'unknown', name: 'http_request_duration_seconds_count', labels: { service: 'alpha-api' }, valueAt: linear(10) },
];

const oneDay = { 'nthlayer.dev/slo-window': '1d' };
const entities = [
  serviceEntity('alpha-api', { 'nthlayer.dev/tier': '1', ...oneDay }),
  serviceEntity('beta-worker', { 'nthlayer.dev/tier': '2', 'nthlayer.dev/type': 'worker', ...oneDay }),
  serviceEntity('gamma-api', {
    'nthlayer.dev/tier': '3',
    'nthlayer.dev/prometheus-selector': 'job="gamma", env="prod"',
    ...oneDay,
  }),
  serviceEntity('delta-api', { 'nthlayer.dev/tier': '2', ...oneDay }),
  serviceEntity('broken', { 'nthlayer.dev/tier': 'gold' }),
];

describe('BudgetEngine against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const sharedDatabases = TestDatabases.create({ ids: storeDatabaseIds() });

  beforeAll(async () => {
    prometheus = await startPrometheusWith(series, { from: START, to: END, stepSeconds: 60 });
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  const model = { tiers: DEFAULT_TIERS };
  const clientFor = (baseUrl: string) =>
    new PrometheusClient({ baseUrl, timeoutMs: 5000, retries: 1, backoffMs: 10 });

  async function setup(baseUrl: string, knexIn?: Knex, longWindows?: 'raw' | 'rollup') {
    const knex = knexIn ?? (await databases.init('SQLITE_3'));
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const client = clientFor(baseUrl);
    const afterMeasure = jest.fn(async (_: MeasuredSlo[]) => {});
    const engine = new BudgetEngine({
      afterMeasure,
      readEntities: async () => entities,
      prometheus: new PrometheusRegistry([client]),
      db,
      logger: mockServices.logger.mock(),
      model,
      longWindows,
      clock: () => new Date(END * 1000),
    });
    const slos = new EntitySloService({
      catalog: catalogServiceMock({ entities }),
      db,
      model,
      minEventRate: 0.1,
      clock: () => new Date(END * 1000),
    });
    const credentials = await mockServices.auth().getOwnServiceCredentials();
    const ref = (name: string) => ({ kind: 'component', namespace: 'default', name });
    const get = (name: string) => slos.getEntitySlos(ref(name), credentials);
    const history = (name: string, slo: string, query = {}) =>
      slos.getSloHistory(ref(name), slo, query, credentials);
    return { engine, client, get, history, db, store: db.measurements, afterMeasure };
  }

  it('computes events-weighted budgets equal to the hand-computed values', async () => {
    const { engine, get, afterMeasure } = await setup(prometheus.baseUrl);
    const summary = await engine.refresh();
    expect(summary.errors).toEqual([]);
    expect(summary.services).toBe(4);
    // alpha, beta, gamma, delta availability + alpha, gamma, delta latency
    expect(summary.slos).toBe(7);
    // Batched: api availability, worker availability, api latency (p95<500ms and p95<1000ms
    // are different thresholds: 2 batches); gamma's custom selector: 2 SLOs → 2 pairs.
    // Each batch: one pair over the 1d SLO window, 6 pairs over the burn windows up to 1d,
    // the 3d burn window from stored days (head + tail pairs, and on first sight one pair
    // of range queries filling the days). The history backfill of the 1d windows is
    // rebuilt from those same stored days: no further query.
    // When END is a UTC midnight (this test run between 01:00 and 02:00 UTC) the 3d window
    // starts at a midnight too: its partial tail day is empty and not queried.
    const tailPair = END % 86_400 === 0 ? 0 : 1;
    expect(summary.queries).toBe(6 * 2 * (1 + 6 + 2 + tailPair));
    expect(summary.backfilledSlos).toBe(7);

    // alpha-api availability, 99.9 % over 1440 min → budget 1.44 min.
    // good = (9.995 + 0.5) × 86,400 = 906,768; bad = 0.005 × 86,400 + 0.495 × 1,800 = 1,323;
    // total = 908,091; e = 1,323 / 908,091 = 0.00145690...; consumed = 2.0979 min.
    const alpha = await get('alpha-api');
    const availability = alpha.slos.find(s => s.name === 'availability')!;
    expect(availability.goodEvents).toBeCloseTo(906768, 3);
    expect(availability.totalEvents).toBeCloseTo(908091, 3);
    expect(availability.errorBudget!.totalMinutes).toBeCloseTo(1.44, 10);
    expect(availability.errorBudget!.consumedMinutes).toBeCloseTo(2.097939, 5);
    expect(availability.errorBudget!.remainingMinutes).toBeCloseTo(-0.657939, 5);
    expect(availability.errorBudget!.remainingRatio).toBeCloseTo(-0.456902, 5);
    expect(availability.status).toBe('exhausted');
    expect(availability.sli).toBeCloseTo(99.854310, 5);
    expect(availability.stale).toBe(false);

    // alpha-api latency p95<500ms: good 9.7/s of 10/s → e = 0.03; budget 0.05 × 1440 = 72 min,
    // consumed 43.2 min, remaining 28.8 min, ratio 0.4 → healthy.
    const latency = alpha.slos.find(s => s.name === 'latency')!;
    expect(latency.goodEvents).toBeCloseTo(838080, 3);
    expect(latency.totalEvents).toBeCloseTo(864000, 3);
    expect(latency.errorBudget!.totalMinutes).toBeCloseTo(72, 8);
    expect(latency.errorBudget!.consumedMinutes).toBeCloseTo(43.2, 6);
    expect(latency.errorBudget!.remainingRatio).toBeCloseTo(0.4, 6);
    expect(latency.status).toBe('healthy');

    // beta-worker, 99.5 %: e = 0.004 / 2 = 0.002; budget 7.2 min, consumed 2.88, ratio 0.6.
    const beta = await get('beta-worker');
    expect(beta.slos).toHaveLength(1);
    expect(beta.slos[0].errorBudget!.totalMinutes).toBeCloseTo(7.2, 8);
    expect(beta.slos[0].errorBudget!.consumedMinutes).toBeCloseTo(2.88, 6);
    expect(beta.slos[0].errorBudget!.remainingMinutes).toBeCloseTo(4.32, 6);
    expect(beta.slos[0].errorBudget!.remainingRatio).toBeCloseTo(0.6, 6);
    expect(beta.slos[0].status).toBe('healthy');

    // gamma-api (custom selector, staging excluded), 99 %: e = 0.05 / 4 = 0.0125;
    // budget 14.4 min, consumed 18 min, remaining −3.6 min, ratio −0.25.
    const gamma = await get('gamma-api');
    const gammaAvailability = gamma.slos.find(s => s.name === 'availability')!;
    expect(gammaAvailability.totalEvents).toBeCloseTo(345600, 3);
    expect(gammaAvailability.errorBudget!.consumedMinutes).toBeCloseTo(18, 6);
    expect(gammaAvailability.errorBudget!.remainingMinutes).toBeCloseTo(-3.6, 6);
    expect(gammaAvailability.errorBudget!.remainingRatio).toBeCloseTo(-0.25, 6);
    // No latency histogram for gamma: no data, not 100 %.
    const gammaLatency = gamma.slos.find(s => s.name === 'latency')!;
    expect(gammaLatency.status).toBe('no-data');
    expect(gammaLatency.sli).toBeNull();

    const delta = await get('delta-api');
    expect(delta.slos.map(s => s.status)).toEqual(['no-data', 'no-data']);

    // What the notifier is handed after the refresh: every measured SLO with the same
    // remaining ratio the API reports (null without traffic).
    expect(afterMeasure).toHaveBeenCalledTimes(1);
    const handed = new Map(afterMeasure.mock.calls[0][0].map(m => [`${m.service.name}/${m.slo.name}`, m.remainingRatio]));
    expect(handed.size).toBe(7);
    expect(handed.get('alpha-api/availability')).toBeCloseTo(-0.456902, 5);
    expect(handed.get('alpha-api/latency')).toBeCloseTo(0.4, 6);
    expect(handed.get('beta-worker/availability')).toBeCloseTo(0.6, 6);
    expect(handed.get('gamma-api/availability')).toBeCloseTo(-0.25, 6);
    expect(handed.get('delta-api/availability')).toBeNull();

    const broken = await get('broken');
    expect(broken.service).toBeNull();
    expect(broken.findings[0]).toMatchObject({ annotation: 'nthlayer.dev/tier', value: 'gold' });
  }, 30_000);

  it('keeps the last numbers, marked stale, when Prometheus is unreachable', async () => {
    const { engine, get, store, db } = await setup(prometheus.baseUrl);
    await engine.refresh();
    const before = (await get('beta-worker')).slos[0];
    const rowsBefore = await store.count();
    const snapshotsBefore = await db.snapshots.count();

    // Same database, a Prometheus that is down (a closed port).
    const downEngine = new BudgetEngine({
      readEntities: async () => entities,
      prometheus: new PrometheusRegistry([clientFor('http://127.0.0.1:9')]),
      db,
      logger: mockServices.logger.mock(),
      model,
      clock: () => new Date((END + 600) * 1000),
    });
    const summary = await downEngine.refresh();
    expect(summary.measured).toBe(0);
    expect(summary.stale).toBe(7);
    expect(summary.errors[0]).toMatch(/unreachable/);

    const after = (await get('beta-worker')).slos[0];
    expect(after.stale).toBe(true);
    expect(after.error).toMatch(/127\.0\.0\.1:9 is unreachable/);
    expect(after.errorBudget).toEqual(before.errorBudget);
    expect(after.burnRates).toEqual(before.burnRates);
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(await store.count()).toBe(rowsBefore);
    expect(await db.snapshots.count()).toBe(snapshotsBefore);
  }, 30_000);

  it('measures burn rates and time to exhaustion equal to the hand-computed values', async () => {
    const { engine, get } = await setup(prometheus.baseUrl);
    await engine.refresh();
    const burn = (report: any) =>
      Object.fromEntries(report.burnRates.map((b: any) => [b.window, b.burnRate]));

    // alpha-api at 99.9 %: outside the incident e = 0.005 / 10.5 = 0.000476190 → 0.476190.
    // 1d holds the incident: 1,323 / 908,091 / 0.001 = 1.456902.
    // 3d: bad 0.005 × 259,200 + 891 = 2,187; total 10.5 × 259,200 + 891 = 2,722,491 → 0.803308.
    const alpha = (await get('alpha-api')).slos.find(s => s.name === 'availability')!;
    const a = burn(alpha);
    for (const w of ['5m', '30m', '1h', '2h', '6h']) expect(a[w]).toBeCloseTo(0.476190, 5);
    expect(a['1d']).toBeCloseTo(1.456902, 5);
    expect(a['3d']).toBeCloseTo(0.803308, 5);
    expect(alpha.eventRate).toBeCloseTo(10.5, 6);
    expect(alpha.lowTraffic).toBe(false);
    expect(alpha.timeToExhaustionMinutes).toBe(0); // already exhausted

    // beta-worker at 99.5 %: e = 0.002 everywhere → burn 0.4; remaining 0.6 of 1,440 min
    // lasts 0.6 × 1,440 / 0.4 = 2,160 min at the 1 h burn.
    const beta = (await get('beta-worker')).slos[0];
    expect(Object.values(burn(beta))).toEqual(Array(7).fill(expect.closeTo(0.4, 6)));
    expect(beta.timeToExhaustionMinutes).toBeCloseTo(2160, 3);
    expect(beta.explanation).toMatch(/Burning at 0\.4× over the last hour, the rest lasts about 36\.0 h/);

    // delta-api has no traffic: low-traffic, no burn, no exhaustion time.
    const delta = (await get('delta-api')).slos[0];
    expect(delta.lowTraffic).toBe(true);
    expect(delta.burnRates.every(b => b.burnRate === null)).toBe(true);
    expect(delta.timeToExhaustionMinutes).toBeNull();
  }, 30_000);

  it('reads whole-day windows from stored days plus partial days exactly as the raw increase', async () => {
    const rolled = await setup(prometheus.baseUrl);
    const raw = await setup(prometheus.baseUrl, undefined, 'raw');
    await rolled.engine.refresh();
    await raw.engine.refresh();
    expect(await rolled.db.rollups.count()).toBeGreaterThan(0);
    expect(await raw.db.rollups.count()).toBe(0);
    for (const e of entities) {
      const ref = `component:default/${e.metadata.name}`;
      const a = await rolled.db.measurements.listForEntity(ref);
      const b = await raw.db.measurements.listForEntity(ref);
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) {
        expect(a[i].totalEvents).toBeCloseTo(b[i].totalEvents!, 3);
        expect(a[i].goodEvents).toBeCloseTo(b[i].goodEvents!, 3);
        a[i].shortWindows.forEach((w, j) => {
          expect(w.window).toBe(b[i].shortWindows[j].window);
          expect(w.totalEvents).toBeCloseTo(b[i].shortWindows[j].totalEvents, 3);
          expect(w.goodEvents).toBeCloseTo(b[i].shortWindows[j].goodEvents, 3);
        });
      }
    }
  }, 60_000);

  it('backfills 30-day-style history on first sight, then appends one snapshot per refresh', async () => {
    const { engine, history, db } = await setup(prometheus.baseUrl);
    await engine.refresh();
    const h = await history('alpha-api', 'availability', { step: '3600' });
    // One point per UTC midnight of the past day, rebuilt from daily counts, plus the
    // refresh at END. Each midnight D covers [D − 1d, D]: outside the incident e = 432 /
    // 907,200; with s seconds of it inside: (432 + 0.495 s) / (907,200 + 0.495 s).
    expect(h.points.map(p => p.time)).toEqual(
      [...MIDNIGHTS, END].map(t => new Date(t * 1000).toISOString()),
    );
    for (const point of h.points.slice(0, MIDNIGHTS.length)) {
      const d = new Date(point.time).getTime() / 1000;
      const s = Math.max(0, Math.min(d, INCIDENT_TO) - Math.max(d - 86400, INCIDENT_FROM));
      const e = (432 + 0.495 * s) / (907200 + 0.495 * s);
      expect(point.totalEvents).toBeCloseTo(907200 + 0.495 * s, 3);
      expect(point.remainingRatio).toBeCloseTo(1 - e / 0.001, 5);
    }
    // The refresh point at END: e = 1,323 / 908,091 → remaining −0.456902.
    expect(h.points[h.points.length - 1].remainingRatio).toBeCloseTo(-0.456902, 5);

    // Windows that are not whole days are backfilled from a range query at the step
    // (hourly here): a 12h window is not used by these fixtures, so nothing else to add.

    // A second refresh in a later minute appends; nothing is rewritten; no second backfill.
    const count = await db.snapshots.count();
    const later = new BudgetEngine({
      readEntities: async () => entities,
      prometheus: new PrometheusRegistry([clientFor(prometheus.baseUrl)]),
      db,
      logger: mockServices.logger.mock(),
      model,
      clock: () => new Date((END + 120) * 1000),
    });
    const summary = await later.refresh();
    expect(summary.backfilledSlos).toBe(0);
    expect(await db.snapshots.count()).toBe(count + 7);
  }, 30_000);

  it('loses nothing when Prometheus is killed mid-refresh', async () => {
    const victim = await startPrometheusWith(series, { from: START, to: END, stepSeconds: 60 });
    const { engine, get, db } = await setup(victim.baseUrl);
    await engine.refresh();
    const before = await Promise.all(['alpha-api', 'beta-worker', 'gamma-api'].map(get));
    const snapshots = await db.snapshots.count();

    // A client that kills the real Prometheus process after its third query.
    class KillingClient extends PrometheusClient {
      calls = 0;
      async queryVector(query: string, time: Date) {
        if (++this.calls === 3) await victim.stop();
        return super.queryVector(query, time);
      }
    }
    const killer = new BudgetEngine({
      readEntities: async () => entities,
      prometheus: new PrometheusRegistry([
        new KillingClient({ baseUrl: victim.baseUrl, timeoutMs: 2000, retries: 1, backoffMs: 10 }),
      ]),
      db,
      logger: mockServices.logger.mock(),
      model,
      concurrency: 1,
      clock: () => new Date((END + 300) * 1000),
    });
    const summary = await killer.refresh();
    expect(summary.stale).toBeGreaterThan(0);
    expect(summary.errors.join()).toMatch(/unreachable/);

    const after = await Promise.all(['alpha-api', 'beta-worker', 'gamma-api'].map(get));
    // Stale SLOs keep the old numbers, labelled; the others are fresh.
    const pairs = after.flatMap((r, i) => r.slos.map((a, j) => [before[i].slos[j], a] as const));
    const unreachable = expect.stringMatching(/unreachable/);
    expect(
      pairs.map(([, a]) =>
        a.stale
          ? {
              stale: true,
              totalEvents: a.totalEvents,
              burnRates: a.burnRates,
              updatedAt: a.updatedAt,
              error: a.error,
            }
          : { stale: false, updatedAt: a.updatedAt },
      ),
    ).toEqual(
      pairs.map(([b, a]) =>
        a.stale
          ? {
              stale: true,
              totalEvents: b.totalEvents,
              burnRates: b.burnRates,
              updatedAt: b.updatedAt,
              error: unreachable,
            }
          : { stale: false, updatedAt: new Date((END + 300) * 1000).toISOString() },
      ),
    );
    expect(after.flatMap(r => r.slos).some(s => s.stale)).toBe(true);
    expect(await db.snapshots.count()).toBe(snapshots + summary.measured);
  }, 60_000);

  describe.each(sharedDatabases.eachSupportedId())('replicas sharing one %s database', id => {
    it('never write a snapshot twice', async () => {
      const knex = await sharedDatabases.init(id);
      const [one, two] = [await setup(prometheus.baseUrl, knex), await setup(prometheus.baseUrl, knex)];
      const [s1, s2] = await Promise.all([one.engine.refresh(), two.engine.refresh()]);
      expect(s1.measured).toBe(7);
      expect(s2.measured).toBe(7);
      const h = await one.history('beta-worker', 'availability', { step: '3600' });
      // The backfilled midnights and END once, although both replicas wrote them.
      expect(h.points.length).toBe(MIDNIGHTS.length + 1);
      const rows = await knex('nthlayer_slo_snapshots')
        .where({ entity_ref: 'component:default/beta-worker' })
        .select('time');
      const times = rows.map(r => new Date(r.time).getTime());
      expect(new Set(times).size).toBe(times.length);
      expect(await one.store.count()).toBe(7);
    }, 60_000);
  });
});
