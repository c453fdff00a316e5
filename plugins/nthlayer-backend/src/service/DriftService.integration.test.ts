import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_TIERS, DriftReport } from '@nthlayer/backstage-plugin-common';
import { RunningPrometheus, startPrometheusWith, storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { serviceEntity } from '../testing/fixtureEntities';
import { ArtifactService } from './ArtifactService';
import { DriftService } from './DriftService';
import { EntityReader } from './EntityReader';
import { EntitySloService } from './EntitySloService';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusRegistry } from './PrometheusRegistry';
import { ServiceFileReader } from './ServiceFileReader';
import { GrafanaClient } from '@nthlayer/backstage-plugin-generators';
import { startGrafanaFake } from '@nthlayer/backstage-plugin-generators/testing';

/*
 * Real Prometheus loaded with the rule files NthLayer generates for two services; drift is
 * run, the files are edited and reloaded, drift is run again. Stored on SQLite and, where
 * configured, PostgreSQL.
 */
const NOW = Math.floor(Date.now() / 1000);
const ordersDb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'orders-db', namespace: 'default', annotations: { 'nthlayer.dev/technology': 'postgresql' } },
  spec: { type: 'database', owner: 'group:default/team-a' },
};
const alpha = serviceEntity('alpha-api', { 'nthlayer.dev/tier': '1' }, { dependsOn: ['resource:default/orders-db'] });
alpha.relations = [{ type: 'dependsOn', targetRef: 'resource:default/orders-db' }];
const beta = serviceEntity('beta-api', { 'nthlayer.dev/tier': '2' });
const entities = [alpha, beta, ordersDb];
const managed = [alpha, beta];
const model = { tiers: DEFAULT_TIERS, prometheusInstances: ['default'] };

function services(overrides: { prometheusUrl?: string } = {}, base?: { url: string }) {
  const catalog = catalogServiceMock({ entities });
  const entityReader = new EntityReader({ catalog, ttlMs: 0 });
  const artifacts = new ArtifactService({
    entities: entityReader,
    serviceFiles: new ServiceFileReader({
      urlReader: { readUrl: async () => { throw new Error('no files'); } } as unknown as UrlReaderService,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      ttlMs: 0,
    }),
    model,
    // Smaller than the two managed services: the drift task must not depend on this cache.
    maxGenerated: 1,
  });
  const url = overrides.prometheusUrl ?? base!.url;
  const prometheus = new PrometheusRegistry([new PrometheusClient({ baseUrl: url, timeoutMs: 3000, retries: 0 })]);
  return { artifacts, entityReader, prometheus, catalog };
}

async function ruleFiles(artifacts: ArtifactService): Promise<Record<string, string>> {
  const credentials = await mockServices.auth().getOwnServiceCredentials();
  const files: Record<string, string> = {};
  for (const entity of managed) {
    const { artifacts: generated } = await artifacts.generateFor(entity, credentials);
    for (const a of generated) {
      if (a.kind === 'prometheus-rules' || a.kind === 'technology-alerts') {
        files[a.filename.split('/').pop()!] = a.content;
      }
    }
  }
  return files;
}

const byEntity = (reports: DriftReport[], name: string) => reports.find(r => r.entityRef.endsWith(`/${name}`))!;

describe('DriftService against a real Prometheus', () => {
  const databases = TestDatabases.create({ ids: storeDatabaseIds() });
  let prometheus: RunningPrometheus;
  let files: Record<string, string>;
  const base = { url: '' };

  beforeAll(async () => {
    files = await ruleFiles(services({ prometheusUrl: 'http://127.0.0.1:1' }).artifacts);
    prometheus = await startPrometheusWith([], { from: NOW - 600, to: NOW - 300, stepSeconds: 60 }, { ruleFiles: files, evaluationInterval: '1s' });
    base.url = prometheus.baseUrl;
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  async function setup(
    id: Parameters<typeof databases.init>[0],
    prometheusUrl?: string,
    options: { brokenHistory?: boolean; grafana?: GrafanaClient[] } = {},
  ) {
    const knex = await databases.init(id);
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const { artifacts, entityReader, prometheus: registry, catalog } = services({ prometheusUrl }, base);
    const entitySlos = new EntitySloService({ catalog, db, model, minEventRate: 0.1 });
    if (options.brokenHistory) {
      jest.spyOn(db.snapshots, 'listThinnedMany').mockRejectedValue(new Error('SQLITE_BUSY: database is locked'));
    }
    const drift = new DriftService({
      readEntities: async () => managed,
      serviceCredentials: () => mockServices.auth().getOwnServiceCredentials(),
      artifacts,
      entities: entityReader,
      prometheus: registry,
      grafana: options.grafana ?? [],
      entitySlos,
      store: db.drift,
      logger: mockServices.logger.mock(),
      trendDays: 7,
    });
    const latest = async () => Promise.all(managed.map(async e => (await db.drift.latest(`component:default/${e.metadata.name}`))!));
    return { drift, db, latest, artifacts };
  }

  it.each(databases.eachSupportedId())(
    'finds no drift in rules Prometheus re-prints, then the edited threshold and the unloaded file (%p)',
    async id => {
      const { drift, db, latest, artifacts } = await setup(id);
      // Generated files as loaded: Prometheus prints them its own way; that is no drift.
      const generationsBefore = artifacts.generations;
      const first = await drift.run();
      expect(first).toMatchObject({ entities: 2, changed: 2, failed: 0, rulesRequests: { default: 2 } });
      let reports = await latest();
      for (const report of reports) {
        expect(report.targets.find(t => t.target === 'rules')).toEqual({ target: 'rules', state: 'checked', instance: 'default' });
        expect(report.findings.filter(f => f.target !== 'budget-trend')).toEqual([]);
      }
      expect(byEntity(reports, 'alpha-api').targets.map(t => [t.target, t.state])).toEqual([
        ['rules', 'checked'],
        ['dashboard', 'not-configured'],
        ['pagerduty', 'not-configured'],
        ['budget-trend', 'not-configured'],
      ]);

      // A repeat changes nothing: no new history row, and nothing is generated again (the
      // task keeps what it compares of each service, beyond the shared one-set cache here).
      const generationsFirst = artifacts.generations;
      expect(generationsFirst - generationsBefore).toBe(2);
      expect(await drift.run()).toMatchObject({ changed: 0 });
      expect(artifacts.generations).toBe(generationsFirst);
      expect(await db.drift.history('component:default/alpha-api')).toHaveLength(1);

      // alpha-api's page alert hand-edited from 14.4 × 0.1 % to 14.4 × 0.2 %; beta-api's file removed.
      const alphaFile = Object.keys(files).find(f => f.includes('alpha-api') && files[f].includes('NthlayerErrorBudgetBurn'))!;
      const betaFiles = Object.keys(files).filter(f => f.includes('beta-api'));
      expect(files[alphaFile]).toContain('0.0144');
      await prometheus.writeRuleFile(alphaFile, files[alphaFile].replace('0.0144', '0.0288'));
      for (const f of betaFiles) await prometheus.writeRuleFile(f, undefined);
      await prometheus.reload();
      try {
        const second = await drift.run();
        expect(second).toMatchObject({ changed: 2, rulesRequests: { default: 2 } });
        reports = await latest();
        const threshold = byEntity(reports, 'alpha-api').findings.filter(f => f.target === 'slo-threshold');
        expect(threshold).toEqual([
          expect.objectContaining({
            severity: 'critical',
            kind: 'changed',
            field: 'threshold',
            expected: expect.stringMatching(/^99\.9% /),
            actual: expect.stringMatching(/^99\.8% /),
          }),
        ]);
        const missing = byEntity(reports, 'beta-api').findings.filter(f => f.kind === 'missing');
        expect(missing.length).toBeGreaterThan(0);
        expect(missing.every(f => f.severity === 'critical' && f.target === 'rules')).toBe(true);
        const history = await db.drift.history('component:default/alpha-api');
        expect(history.map(h => h.critical)).toEqual([1, 0]);
        expect(await db.drift.latestCounts('component:default/alpha-api')).toMatchObject({ critical: 1, warning: 0 });
      } finally {
        for (const [name, content] of Object.entries(files)) await prometheus.writeRuleFile(name, content);
        await prometheus.reload();
      }
    },
    60_000,
  );

  it('reports an unreachable Prometheus as unreachable, never as no drift', async () => {
    const { drift, latest } = await setup('SQLITE_3', 'http://127.0.0.1:1');
    const summary = await drift.run();
    expect(summary).toMatchObject({ entities: 2, failed: 0, rulesRequests: { default: 2 } });
    for (const report of await latest()) {
      const rules = report.targets.find(t => t.target === 'rules')!;
      expect(rules.state).toBe('unreachable');
      expect(rules.detail).toMatch(/127\.0\.0\.1:1|ECONNREFUSED|fetch failed/);
      expect(report.findings).toEqual([]);
    }
  });

  it('fits the budget trend over stored history and flags a falling budget by tier', async () => {
    const { drift, db, latest } = await setup('SQLITE_3');
    // alpha-api availability (99.9 %, 30 d = 43,200 min, so 43.2 budget minutes): 1,000,000
    // events in the window, bad events growing by 10 a day over 7 days of hourly snapshots:
    // remaining = 1 − bad / 1,000 falls by 10 × 7 / 1,000 = 7 % a week.
    const end = Date.now() - 60_000;
    const snapshots = [];
    for (let h = 0; h <= 7 * 24; h++) {
      const t = end - (7 * 24 - h) * 3_600_000;
      const bad = 100 + (10 * h) / 24;
      snapshots.push({
        entityRef: 'component:default/alpha-api',
        sloName: 'availability',
        window: '30d',
        windowMinutes: 43_200,
        thresholdMs: null,
        time: new Date(t),
        goodEvents: 1_000_000 - bad,
        totalEvents: 1_000_000,
        source: 'backfill' as const,
      });
    }
    await db.snapshots.append(snapshots);
    await drift.run();
    const report = byEntity(await latest(), 'alpha-api');
    expect(report.targets.find(t => t.target === 'budget-trend')).toEqual({ target: 'budget-trend', state: 'checked' });
    const [trend] = report.findings.filter(f => f.target === 'budget-trend');
    expect(trend).toMatchObject({ severity: 'critical', kind: 'trend', object: 'availability', actual: '-7 %/week' });
    // beta-api has no history: no trend, said so.
    expect(byEntity(await latest(), 'beta-api').targets.find(t => t.target === 'budget-trend')?.state).toBe('not-configured');
  });

  it('says the budget trend could not be read when the history read fails, and still checks the rules', async () => {
    const { drift, latest } = await setup('SQLITE_3', undefined, { brokenHistory: true });
    const summary = await drift.run();
    expect(summary).toMatchObject({ entities: 2, failed: 0 });
    for (const report of await latest()) {
      expect(report.targets.find(t => t.target === 'rules')).toEqual({ target: 'rules', state: 'checked', instance: 'default' });
      expect(report.targets.find(t => t.target === 'budget-trend')).toEqual({
        target: 'budget-trend',
        state: 'unreachable',
        detail: 'The stored budget history could not be read: SQLITE_BUSY: database is locked',
      });
    }
  });

  it('compares the dashboards with a configured Grafana, on the first run and on the repeat from what it kept', async () => {
    const grafana = await startGrafanaFake();
    try {
      const client = new GrafanaClient({ name: 'main', baseUrl: grafana.baseUrl, token: grafana.token, timeoutMs: 3000 });
      const { drift, latest, artifacts } = await setup('SQLITE_3', undefined, { grafana: [client] });
      // Both dashboards as Grafana stores them after a save (rows collapsed by a user).
      const credentials = await mockServices.auth().getOwnServiceCredentials();
      const dashboards = new Map<string, Record<string, any>>();
      for (const entity of managed) {
        const generated = await artifacts.generateFor(entity, credentials);
        const dashboard = JSON.parse(generated.artifacts.find(a => a.kind === 'grafana-dashboard')!.content);
        dashboards.set(entity.metadata.name, dashboard);
        grafana.save(structuredClone(dashboard), { collapseRows: true });
      }
      await drift.run();
      for (const report of await latest()) {
        expect(report.targets.find(t => t.target === 'dashboard')).toEqual({ target: 'dashboard', state: 'checked', instance: 'main' });
        expect(report.findings.filter(f => f.target === 'dashboard')).toEqual([]);
      }
      // A panel deleted by hand shows on the repeat, which generates nothing.
      const edited = structuredClone(dashboards.get('beta-api')!);
      const title = edited.panels.find((p: { type: string }) => p.type !== 'row').title;
      edited.panels = edited.panels.filter((p: { title: string }) => p.title !== title);
      grafana.save(edited);
      const generations = artifacts.generations;
      await drift.run();
      expect(artifacts.generations).toBe(generations);
      const reports = await latest();
      expect(byEntity(reports, 'beta-api').findings.filter(f => f.target === 'dashboard')).toEqual([
        expect.objectContaining({ kind: 'missing', object: expect.stringContaining(title) }),
      ]);
      expect(byEntity(reports, 'alpha-api').findings.filter(f => f.target === 'dashboard')).toEqual([]);
    } finally {
      await grafana.close();
    }
  });
});
