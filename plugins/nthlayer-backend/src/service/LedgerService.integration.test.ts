import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { InputError, NotFoundError } from '@backstage/errors';
import { DEFAULT_TIERS, buildDependencyGraph } from '@nthlayer/backstage-plugin-common';
import { FixtureSeries, RunningPrometheus, startPrometheusWith, storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { ledgerKey } from '../database/LedgerStore';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { serviceEntity } from '../testing/fixtureEntities';
import { BudgetEngine } from './BudgetEngine';
import { EntitySloService } from './EntitySloService';
import { LedgerService } from './LedgerService';
import { PrometheusClient, PrometheusQueryError } from './PrometheusClient';
import { PrometheusRegistry } from './PrometheusRegistry';

/*
 * Real Prometheus with series whose burn was computed by hand. Every service serves 10 req/s
 * (samples every 60 s for 26 h) over a 1-day, 99.9 % availability SLO: W = 1,440 min, 864,000
 * events in the window, so one bad event is 1,440 / 864,000 = 1/600 min of budget.
 *
 * alpha-api: 0.005 bad/s (burn 0.5: within budget) and, for one hour from INC (a bucket edge),
 *   0.5 bad/s (burn 50): one episode of 12 buckets, 1,800 bad events → 3.0 min; outside it
 *   0.005 × 82,800 = 414 bad → 0.69 min of baseline; consumption 2,214 / 600 = 3.69 min.
 * beta-api (depends on alpha-api): 0.3 bad/s for 30 min from INC + 10 min → 540 bad → 0.9 min.
 * gamma-api: no errors at all: nothing burned.
 */
const END = Math.floor(Date.now() / 3_600_000) * 3600 - 3600; // a whole hour (s)
const START = END - 26 * 3600;
const INC = END - 6 * 3600;
const MIN = 60;

const counter = (service: string, status: string, perSecond: (t: number) => number): FixtureSeries => ({
  family: 'http_requests',
  type: 'counter',
  name: 'http_requests_total',
  labels: { service, status },
  valueAt: perSecond,
});
/** Seconds of [from, to) before t. */
const within = (from: number, to: number) => (t: number) => Math.max(0, Math.min(t, to) - from);
const series: FixtureSeries[] = [
  counter('alpha-api', '200', t => 10 * (t - START) - (0.005 * (t - START) + 0.495 * within(INC, INC + 3600)(t))),
  counter('alpha-api', '500', t => 0.005 * (t - START) + 0.495 * within(INC, INC + 3600)(t)),
  counter('beta-api', '200', t => 10 * (t - START) - 0.3 * within(INC + 10 * MIN, INC + 40 * MIN)(t)),
  counter('beta-api', '500', t => 0.3 * within(INC + 10 * MIN, INC + 40 * MIN)(t)),
  counter('gamma-api', '200', t => 10 * (t - START)),
];

const oneDay = { 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-window': '1d' };
const ALPHA = 'component:default/alpha-api';
const BETA = 'component:default/beta-api';
const entities = [
  serviceEntity('alpha-api', oneDay),
  serviceEntity('beta-api', oneDay, { dependsOn: [ALPHA] }),
  serviceEntity('gamma-api', oneDay),
];
const iso = (s: number) => new Date(s * 1000).toISOString();

/** The episodes of alpha and beta as a read of the whole day finds them (computed above). */
async function expectDayEpisodes(db: { ledger: { episodesFor(refs: string[], from: Date): Promise<Array<{ entityRef: string; start: string; end: string; ongoing: boolean; badEvents: number; buckets: unknown[] }>> } }) {
  const episodes = await db.ledger.episodesFor([ALPHA, BETA], new Date(0));
  expect(episodes.map(e => [e.entityRef, e.start, e.end, e.ongoing])).toEqual([
    [ALPHA, iso(INC), iso(INC + 3600), false],
    [BETA, iso(INC + 10 * MIN), iso(INC + 40 * MIN), false],
  ]);
  expect(episodes[0].badEvents).toBeCloseTo(1800, 3);
  expect(episodes[0].buckets).toHaveLength(12);
  expect(episodes[1].badEvents).toBeCloseTo(540, 3);
}

describe('LedgerService against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  const databases = TestDatabases.create({ ids: storeDatabaseIds() });

  beforeAll(async () => {
    prometheus = await startPrometheusWith(series, { from: START, to: END, stepSeconds: 60 });
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  async function setup(databaseId: ReturnType<typeof storeDatabaseIds>[number]) {
    const knex = await databases.init(databaseId);
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const registry = new PrometheusRegistry([new PrometheusClient({ baseUrl: prometheus.baseUrl, timeoutMs: 5000, retries: 1, backoffMs: 10 })]);
    const clock = () => new Date(END * 1000);
    const logger = mockServices.logger.mock();
    const model = { tiers: DEFAULT_TIERS };
    const engine = new BudgetEngine({ readEntities: async () => entities, prometheus: registry, db, logger, model, clock });
    const entitySlos = new EntitySloService({ catalog: catalogServiceMock({ entities }), db, model, minEventRate: 0.1, clock });
    const graph = buildDependencyGraph({
      entities: [
        { entityRef: ALPHA, kind: 'Component', name: 'alpha-api', managed: true, tier: 1, owner: null, system: null, dependsOn: [], status: null, minRemainingRatio: null, gateVerdict: null },
        { entityRef: BETA, kind: 'Component', name: 'beta-api', managed: true, tier: 1, owner: null, system: null, dependsOn: [ALPHA], status: null, minRemainingRatio: null, gateVerdict: null },
      ],
    });
    const ledger = new LedgerService({
      readEntities: async () => entities,
      defineServices: found => engine.definedWithStoredSources(found),
      prometheus: registry,
      store: db.ledger,
      deployments: db.deployments,
      incidents: db.incidents,
      entitySlos,
      graph: async () => graph,
      logger,
      lookbackDays: 30,
      retentionDays: 90,
      recentHighImpactDays: 7,
      clock,
    });
    const deploy = (entityRef: string, version: string, at: number, status: 'succeeded' | 'rolled_back' = 'succeeded', labels: string[] = []) =>
      db.deployments.upsert({ entityRef, version, commit: null, author: 'dana', startedAt: iso(at), finishedAt: null, status, source: 'test', url: null, labels, recordedBy: 'user:default/dana', recordedAt: iso(at) });
    const credentials = await mockServices.auth().getOwnServiceCredentials();
    const ref = (name: string) => ({ kind: 'component', namespace: 'default', name });
    await engine.refresh();
    return { db, ledger, deploy, credentials, ref, entitySlos };
  }

  it.each(storeDatabaseIds())('finds the episodes, weighs them as the budget card and attributes them (%s)', async databaseId => {
    const { db, ledger, deploy, credentials, ref, entitySlos } = await setup(databaseId);
    // A deploy of alpha 10 minutes before the burn (rolled back an hour later), an incident on
    // alpha 19 minutes into it, and a clean deploy of gamma.
    const bad = await deploy(ALPHA, 'v2.0.0', INC - 10 * MIN, 'rolled_back');
    const rollback = await deploy(ALPHA, 'v1.9.9', INC + 60 * MIN, 'succeeded', ['rollback']);
    const clean = await deploy('component:default/gamma-api', 'v3.1.0', INC - 2 * 3600);
    await db.incidents.upsert({ id: 'PINC1', entityRef: ALPHA, serviceId: 'PALPHA', number: 42, title: 'Errors on alpha', status: 'resolved', createdAt: iso(INC + 19 * MIN), resolvedAt: iso(INC + 70 * MIN), updatedAt: iso(INC + 70 * MIN), source: 'webhook' });

    const summary = await ledger.run();
    // Tier 1 api: availability and latency each. Two batches (the three availability SLOs, the
    // three latency SLOs), one query pair each (the 1-day lookback is one 24 h chunk); 288
    // buckets of (END − 1 d, END − 5 min] per availability SLO. No histogram here: latency
    // has no buckets, so no episodes.
    expect(summary).toMatchObject({ services: 3, slos: 6, failed: 0 });
    expect(summary.queries).toBe(4);
    expect(summary.buckets).toBe(3 * 288);

    const alpha = await ledger.entityLedger(ref('alpha-api'), {}, credentials);
    expect(alpha.slos.map(s => [s.sloName, s.episodes.length])).toEqual([
      ['availability', 1],
      ['latency', 0],
    ]);
    const slo = alpha.slos[0];
    expect(slo.episodes).toHaveLength(1);
    const [episode] = slo.episodes;
    expect(episode).toMatchObject({ start: iso(INC), end: iso(INC + 3600), ongoing: false, clipped: false });
    expect(episode.badEvents).toBeCloseTo(1800, 3);
    expect(episode.totalEvents).toBeCloseTo(36_000, 3);
    expect(episode.peakBurnRate).toBeCloseTo(50, 6);
    expect(episode.burnedMinutes).toBeCloseTo(3.0, 4);
    // The budget card's consumption, and the episodes plus the baseline adding up to it.
    const card = (await entitySlos.getEntitySlos(ref('alpha-api'), credentials)).slos[0].errorBudget!;
    expect(card.consumedMinutes).toBeCloseTo(3.69, 4);
    expect(slo.consumedMinutes).toBeCloseTo(card.consumedMinutes, 9);
    expect(slo.burned.baseline).toBeCloseTo(0.69, 4);
    expect(slo.burned.deployments + slo.burned.baseline!).toBeCloseTo(card.consumedMinutes, 6);
    // Attributed to the deploy: 10 min before (0.5 − 0.1/6 = 0.483) + its own service (0.3), no history.
    expect(episode.cause).toMatchObject({ source: 'deployments', key: `deployment:${bad.id}`, confidence: { level: 'medium', score: 0.783 } });
    expect(episode.incidents.map(i => [i.incident.id, i.minutesAfterBurn])).toEqual([['PINC1', 19]]);
    expect(alpha.topCauses[0]).toMatchObject({ key: `deployment:${bad.id}`, episodes: 1 });
    expect(alpha.unattributedRatio).toBe(0);
    expect(alpha.deployments.map(d => [d.deployment.version, d.impact])).toEqual([
      ['v1.9.9', 'clean'],
      ['v2.0.0', 'medium'],
    ]);

    // beta burned from INC + 10 min for 30 min (540 bad → 0.9 min), its dependency alpha
    // burning the whole time: alpha's deploy (20 min before beta's burn, depth 1: 0.467 + 0.3)
    // outranks the dependency's own burn.
    const beta = await ledger.entityLedger(ref('beta-api'), {}, credentials);
    const [betaEpisode] = beta.slos[0].episodes;
    expect(betaEpisode.burnedMinutes).toBeCloseTo(0.9, 4);
    expect(betaEpisode.cause).toMatchObject({ source: 'deployments', entityRef: ALPHA, label: `deploy v2.0.0 of ${ALPHA}` });
    expect(betaEpisode.dependencies).toEqual([{ entityRef: ALPHA, depth: 1, overlapMinutes: 30, sloNames: ['availability'] }]);
    expect(betaEpisode.incidents.map(i => [i.relation, i.depth])).toEqual([['dependency', 1]]);

    // gamma: nothing burned; its deploy is clean.
    const gamma = await ledger.entityLedger(ref('gamma-api'), {}, credentials);
    expect(gamma.slos[0].episodes).toEqual([]);
    expect(gamma.slos[0].burned).toMatchObject({ deployments: 0, incidents: 0, dependencies: 0, unattributed: 0 });
    expect(gamma.unattributedRatio).toBeNull();
    expect(gamma.deployments).toEqual([expect.objectContaining({ impact: 'clean', burnedMinutes: 0 })]);
    expect(clean.id).toBe(gamma.deployments[0].deployment.id);

    // The deploy's impact: here and on beta, which depends on alpha; and its timeline.
    const impact = await ledger.deploymentImpact(String(bad.id), credentials);
    expect(impact.attributed.map(a => a.entityRef).sort()).toEqual([ALPHA, BETA]);
    expect(impact.burnedMinutes).toBeCloseTo(3.9, 4);
    expect(impact.impact).toBe('medium');
    expect(impact.timeline.map(e => [e.kind, e.at])).toEqual([
      ['deploy-started', iso(INC - 10 * MIN)],
      ['burn-began', iso(INC)],
      ['burn-began', iso(INC + 10 * MIN)],
      ['incident-opened', iso(INC + 19 * MIN)],
      ['rollback', iso(INC + 60 * MIN)],
      ['recovered', iso(INC + 60 * MIN)],
      ['incident-resolved', iso(INC + 70 * MIN)],
    ]);
    expect(rollback.labels).toEqual(['rollback']);

    // A slice: the last 2 hours hold no episode; the consumption is not the slice's.
    const slice = await ledger.entityLedger(ref('alpha-api'), { window: '2h' }, credentials);
    expect(slice.slos[0].episodes).toEqual([]);
    expect(slice.slos[0].consumedMinutes).toBeNull();
    expect(slice.windowMinutes).toBe(120);

    // A second run (the clock stands still) reads nothing new for availability; the latency
    // batch, of which not one series answered, keeps its cursors and is read again (2 queries)
    // rather than skipped for good. Nothing changes.
    const again = await ledger.run();
    expect(again).toMatchObject({ queries: 2, buckets: 0 });
    expect(await db.ledger.count()).toBe(2);

    // The gate's variables.
    const gate = await ledger.gateSummary(await entitySlos.getEntitySlos(ref('alpha-api'), credentials));
    expect(gate).toEqual({ unattributedRatio: 0, recentHighImpact: false });
  }, 60_000);

  it('extends an episode still going on at the last run instead of starting a new one', async () => {
    const { db, ledger } = await setup('SQLITE_3');
    // First run at INC + 30 min: alpha's episode is going on.
    let now = (INC + 30 * MIN) * 1000;
    const early = new LedgerService({ ...(ledger as any).deps, clock: () => new Date(now) });
    await early.run();
    const [open] = await db.ledger.episodesFor([ALPHA], new Date(0));
    expect(open).toMatchObject({ start: iso(INC), ongoing: true });
    now = END * 1000;
    await early.run();
    const episodes = await db.ledger.episodesFor([ALPHA], new Date(0));
    expect(episodes.map(e => [e.start, e.end, e.ongoing])).toEqual([[iso(INC), iso(INC + 3600), false]]);
    expect(episodes[0].badEvents).toBeCloseTo(1800, 3);
  }, 60_000);

  it('finds the same episode when reading in 1-hour chunks (an episode across chunk edges)', async () => {
    const { db, ledger } = await setup('SQLITE_3');
    const chunked = new LedgerService({ ...(ledger as any).deps, chunkHours: 1 });
    const summary = await chunked.run();
    // 24 chunks × 2 queries × 2 batches; the same 288 buckets per availability SLO.
    expect(summary.queries).toBe(96);
    expect(summary.buckets).toBe(3 * 288);
    await expectDayEpisodes(db);
  }, 60_000);

  it('resumes a first read stopped part-way from what it stored, and ends with the same episodes', async () => {
    const { db, ledger } = await setup('SQLITE_3');
    // A Prometheus that answers nothing ending after INC + 20 min (alpha's episode is half
    // read): read hour by hour, storing after every chunk.
    const failingAfter = (lastEnd: number) => {
      class Failing extends PrometheusClient {
        override async queryRange(query: string, start: Date, end: Date, step: number) {
          if (end.getTime() > lastEnd * 1000) throw new PrometheusQueryError('Prometheus went away', query, false);
          return super.queryRange(query, start, end, step);
        }
      }
      return new PrometheusRegistry([new Failing({ baseUrl: prometheus.baseUrl, timeoutMs: 5000, retries: 0 })]);
    };
    const deps = { ...(ledger as any).deps, chunkHours: 1, checkpointEveryMs: 0 };
    const stopped = await new LedgerService({ ...deps, prometheus: failingAfter(INC + 20 * MIN) }).run();
    // Both batches fail in the chunk holding INC + 20 min; the 18 chunks before it (up to
    // INC − 5 min) were stored (the latency batch answers nothing: it stores nothing).
    expect(stopped.failed).toBe(6);
    expect(stopped.checkpoints).toBe(18);
    const cursor = (await db.ledger.cursors([ALPHA])).get(ledgerKey(ALPHA, 'availability'));
    expect(cursor).toBe((INC - 5 * MIN) * 1000);
    expect(await db.ledger.episodesFor([ALPHA, BETA], new Date(0))).toEqual([]);

    // Next run, a Prometheus that answers nothing ending after INC + 100 min.
    const second = await new LedgerService({ ...deps, prometheus: failingAfter(INC + 100 * MIN) }).run();
    expect(second.failed).toBe(6);
    // Resumed at INC − 5 min, it read one more chunk (to INC + 55 min) before failing: alpha's
    // episode is stored as going on, beta's is over.
    const open = await db.ledger.episodesFor([ALPHA, BETA], new Date(0));
    expect(open.map(e => [e.entityRef, e.start, e.ongoing])).toEqual([
      [ALPHA, iso(INC), true],
      [BETA, iso(INC + 10 * MIN), false],
    ]);

    // The next run, Prometheus back, reads only the rest and ends where an uninterrupted read does.
    const resumed = await new LedgerService(deps).run();
    expect(resumed.failed).toBe(0);
    expect(resumed.buckets).toBe(3 * (288 - 19 * 12));
    await expectDayEpisodes(db);
    expect(await db.ledger.count()).toBe(2);
  }, 60_000);

  it('serves a computed ledger again until the next run, which brings a fresh one', async () => {
    const { db, ledger, credentials, ref } = await setup('SQLITE_3');
    await ledger.run();
    const episodesFor = jest.spyOn(db.ledger, 'episodesFor');
    const first = await ledger.entityLedger(ref('alpha-api'), {}, credentials);
    const again = await ledger.entityLedger(ref('alpha-api'), {}, credentials);
    expect(again).toEqual(first);
    expect(episodesFor).toHaveBeenCalledTimes(1);
    // Another window is another ledger.
    await ledger.entityLedger(ref('alpha-api'), { window: '2h' }, credentials);
    expect(episodesFor).toHaveBeenCalledTimes(2);
    // The task stored what it read: the next request computes again.
    await ledger.run();
    await ledger.entityLedger(ref('alpha-api'), {}, credentials);
    expect(episodesFor).toHaveBeenCalledTimes(3);
    // A caller who may not see the entity is refused before the cache is asked.
    await expect(ledger.entityLedger(ref('nobody'), {}, credentials)).rejects.toThrow(NotFoundError);
  }, 60_000);

  it('answers bad input with a 4xx error', async () => {
    const { ledger, credentials, ref } = await setup('SQLITE_3');
    await expect(ledger.entityLedger(ref('alpha-api'), { window: 'soon' }, credentials)).rejects.toThrow(InputError);
    await expect(ledger.entityLedger(ref('alpha-api'), { window: '200d' }, credentials)).rejects.toThrow('between 1h and 90d');
    await expect(ledger.entityLedger(ref('nobody'), {}, credentials)).rejects.toThrow(NotFoundError);
    await expect(ledger.deploymentImpact('abc', credentials)).rejects.toThrow(InputError);
    await expect(ledger.deploymentImpact('12345', credentials)).rejects.toThrow(NotFoundError);
  }, 60_000);
});
