import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_TIERS } from '@internal/plugin-nthlayer-common';
import { MeasurementStore } from '../database/MeasurementStore';
import { FixtureSeries, RunningPrometheus, startPrometheusWith } from '../testing/prometheusFixture';
import { serviceEntity } from '../testing/fixtureEntities';
import { BudgetEngine } from './BudgetEngine';
import { EntitySloService } from './EntitySloService';
import { PrometheusClient } from './PrometheusClient';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/*
 * Real Prometheus, loaded with series whose budgets were computed by hand below.
 * Every SLO here uses a 1-day window (1,440 min); samples every 60 s for 26 h, and the
 * engine evaluates at the last sample, so increase() over [1d] is exact.
 */
const END = Math.floor(Date.now() / 60_000) * 60 - 3600; // whole minute, 1 h ago (s)
const START = END - 26 * 3600;
const INCIDENT_FROM = END - 10 * 3600;
const INCIDENT_TO = INCIDENT_FROM + 1800; // 30 minutes

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

  beforeAll(async () => {
    prometheus = await startPrometheusWith(series, { from: START, to: END, stepSeconds: 60 });
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  async function setup(baseUrl: string) {
    const knex = await databases.init('SQLITE_3');
    const store = await MeasurementStore.create({ database: { getClient: async () => knex } });
    const client = new PrometheusClient({ baseUrl, timeoutMs: 5000 });
    const engine = new BudgetEngine({
      readEntities: async () => entities,
      prometheus: client,
      store,
      logger: mockServices.logger.mock(),
      tiers: DEFAULT_TIERS,
      clock: () => new Date(END * 1000),
    });
    const slos = new EntitySloService({
      catalog: catalogServiceMock({ entities }),
      store,
      tiers: DEFAULT_TIERS,
    });
    const get = (name: string) =>
      slos.getEntitySlos(
        { kind: 'component', namespace: 'default', name },
        mockServices.auth().getOwnServiceCredentials() as any,
      );
    return { engine, client, get, store };
  }

  it('computes events-weighted budgets equal to the hand-computed values', async () => {
    const { engine, get } = await setup(prometheus.baseUrl);
    const summary = await engine.refresh();
    expect(summary.errors).toEqual([]);
    expect(summary.services).toBe(4);
    // alpha, beta, gamma, delta availability + alpha, gamma, delta latency
    expect(summary.slos).toBe(7);
    // Batched: api availability, worker availability, api latency (p95<500ms and p95<1000ms
    // are different thresholds: 2 batches); gamma's custom selector: 2 SLOs → 2 pairs.
    expect(summary.queries).toBe(2 * (1 + 1 + 2 + 2));

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

    const broken = await get('broken');
    expect(broken.service).toBeNull();
    expect(broken.findings[0]).toMatchObject({ annotation: 'nthlayer.dev/tier', value: 'gold' });
  }, 30_000);

  it('keeps the last numbers, marked stale, when Prometheus is unreachable', async () => {
    const { engine, get, store } = await setup(prometheus.baseUrl);
    await engine.refresh();
    const before = (await get('beta-worker')).slos[0];
    const rowsBefore = await store.count();

    // Same store, a Prometheus that is down (a closed port).
    const downEngine = new BudgetEngine({
      readEntities: async () => entities,
      prometheus: new PrometheusClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }),
      store,
      logger: mockServices.logger.mock(),
      tiers: DEFAULT_TIERS,
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
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(await store.count()).toBe(rowsBefore);
  }, 30_000);
});
