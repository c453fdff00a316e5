import { SchedulerService, coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { RunningPrometheus, counterSeries, startPrometheusWith } from '@internal/nthlayer-test-utils';
import { PortfolioResponse } from '@nthlayer/backstage-plugin-common';
import { parse } from 'csv-parse/sync';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { RELIABILITY_TASK_ID } from './plugin';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

/*
 * The graph, blast radius, portfolio and blast.* gate condition through the plugin: a mock
 * catalog with a cycle and a dangling ref, a real Prometheus serving Tempo service-graph
 * series (one call nobody declared, one declared dependency without traffic), stored budgets.
 */
const NOW = Math.floor(Date.now() / 1000);
const ref = (name: string) => `component:default/${name}`;
const api = (p: string) => `/api/nthlayer/v1${p}`;

function service(name: string, tier: string, owner: string, dependsOn: string[], extra: Record<string, unknown> = {}): Entity {
  const e = serviceEntity(name, { 'nthlayer.dev/tier': tier }, { owner, dependsOn, ...extra });
  e.relations = dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef }));
  return e;
}
const db: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'orders-db', namespace: 'default' },
  spec: { type: 'database', owner: 'group:default/team-b' },
};
const entities = [
  service('web', '2', 'group:default/team-a', [ref('shop-api')]),
  service('shop-api', '1', 'group:default/team-a', [ref('pay-api'), 'resource:default/orders-db', 'resource:default/gone-db'], { system: 'shop' }),
  service('pay-api', '1', 'group:default/team-b', ['resource:default/orders-db'], { system: 'shop' }),
  service('coupon-api', '3', 'group:default/team-a', []),
  service('loop-a', '3', 'group:default/team-c', [ref('loop-b')]),
  service('loop-b', '3', 'group:default/team-c', [ref('loop-a')]),
  db,
];

const POLICY = `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata: { name: wide-blast }
spec:
  selector: { entityRefs: [${ref('pay-api')}] }
  rules:
    - name: tier1-dependents
      condition: blast.tier1 >= 1 && blast.severity != 'low'
      action: warn
      message: a tier-1 service depends on this one
`;

describe('dependency graph, blast radius and portfolio through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let prometheus: RunningPrometheus;
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  let scheduler: SchedulerService | undefined;
  let dir: string;
  const rate = (perSecond: number) => (t: number) => Math.round((t - (NOW - 3600)) * perSecond);

  beforeAll(async () => {
    prometheus = await startPrometheusWith(
      [
        counterSeries('traces_service_graph_request', { client: 'shop-api', server: 'pay-api' }, rate(2)),
        counterSeries('traces_service_graph_request', { client: 'shop-api', server: 'orders-db' }, rate(3)),
        counterSeries('traces_service_graph_request', { client: 'shop-api', server: 'coupon-api' }, rate(0.5)),
        counterSeries('traces_service_graph_request', { client: 'pay-api', server: 'bank.example.com:443' }, rate(1)),
      ],
      { from: NOW - 3600, to: NOW - 30, stepSeconds: 30 },
    );
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-graph-'));
    await fs.writeFile(path.join(dir, 'policy.yaml'), POLICY);
    const knex: Knex = await databases.init('SQLITE_3');
    const store = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measuredAt = new Date(Date.now() - 60_000).toISOString();
    // shop-api: 300 bad of 1,000 allowed → 0.7 left; pay-api: 950 bad → 0.05 left.
    await store.measurements.upsert(
      [
        tier1Measurement(ref('shop-api'), 'availability', 999_700, measuredAt),
        tier1Measurement(ref('shop-api'), 'latency', 990_000, measuredAt),
        tier1Measurement(ref('pay-api'), 'availability', 999_050, measuredAt),
        tier1Measurement(ref('pay-api'), 'latency', 990_000, measuredAt),
      ],
      new Date(),
    );
    const capture = createBackendModule({
      pluginId: 'nthlayer',
      moduleId: 'test-scheduler',
      register(env) {
        env.registerInit({ deps: { s: coreServices.scheduler }, async init({ s }) { scheduler = s; } });
      },
    });
    server = await startNthlayerTestBackend({
      entities,
      knex,
      baseUrl: prometheus.baseUrl,
      features: [capture],
      config: {
        policies: { locations: [{ target: path.join(dir, 'policy.yaml') }] },
        graph: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } } },
      },
    });
  }, 90_000);
  afterAll(async () => {
    await prometheus?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const gate = () => request(server).post(api('/gates/check')).send({ entityRef: ref('pay-api'), version: 'v2' });

  async function build(): Promise<void> {
    await scheduler!.triggerTask(RELIABILITY_TASK_ID);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await request(server).get(api('/portfolio'));
      if (res.body.services?.length) return;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error('the graph task did not run');
  }

  it('cannot evaluate blast.* before the first build, and serves an empty graph', async () => {
    const before = await gate();
    expect(before.body.rules.find((r: any) => r.rule === 'tier1-dependents').result).toBe('error');
    const deps = await request(server).get(api('/entities/component/default/shop-api/dependencies'));
    expect(deps.status).toBe(200);
    expect(deps.body).toMatchObject({ nodes: [], builtAt: null });
  });

  it('builds the graph with declared, discovered and stale edges, cycles and dangling refs', async () => {
    await build();
    const res = await request(server).get(api('/entities/component/default/shop-api/dependencies?depth=1&direction=downstream'));
    expect(res.status).toBe(200);
    const edges = Object.fromEntries(res.body.edges.map((e: any) => [e.to, e]));
    expect(edges[ref('pay-api')]).toMatchObject({ source: 'both' });
    // 2 requests/s: Prometheus' own rate() over the samples.
    expect(edges[ref('pay-api')].requestRate).toBeCloseTo(2, 1);
    expect(edges[ref('coupon-api')]).toMatchObject({ source: 'discovered' });
    expect(edges['resource:default/gone-db']).toMatchObject({ source: 'declared' });
    const nodes = Object.fromEntries(res.body.nodes.map((n: any) => [n.entityRef, n]));
    expect(nodes['resource:default/gone-db']).toMatchObject({ missing: true });
    expect(nodes[ref('shop-api')]).toMatchObject({ tier: 1, owner: 'group:default/team-a', system: 'system:default/shop', status: 'healthy' });
    expect(nodes[ref('pay-api')].minRemainingRatio).toBeCloseTo(0.05, 6);
    // Findings about every node shown: shop-api's own, and pay-api's.
    expect(res.body.findings.map((f: any) => `${f.entityRef} ${f.type}`).sort()).toEqual([
      `${ref('pay-api')} stale-dependency`,
      `${ref('pay-api')} undeclared-dependency`,
      `${ref('shop-api')} dangling-ref`,
      `${ref('shop-api')} undeclared-dependency`,
    ]);

    const pay = await request(server).get(api('/entities/component/default/pay-api/dependencies?depth=1&direction=downstream'));
    expect(pay.body.findings.map((f: any) => `${f.type}:${f.refs[0]}`).sort()).toEqual([
      'stale-dependency:resource:default/orders-db',
      'undeclared-dependency:bank',
    ]);
    const loop = await request(server).get(api('/entities/component/default/loop-a/dependencies'));
    // One finding per member of the cycle, both shown on loop-a's graph.
    expect(loop.body.findings.map((f: any) => [f.entityRef, f.type, f.refs])).toEqual([
      [ref('loop-a'), 'cycle', [ref('loop-a'), ref('loop-b')]],
      [ref('loop-b'), 'cycle', [ref('loop-a'), ref('loop-b')]],
    ]);
  });

  it('answers the blast radius by depth with the severity rule', async () => {
    const res = await request(server).get(api('/entities/resource/default/orders-db/blast-radius'));
    expect(res.status).toBe(200);
    // pay-api and shop-api directly (both tier 1), web through shop-api: critical (≥ 2 tier 1).
    expect(res.body).toMatchObject({ affected: 3, tier1Affected: 2, severity: 'critical' });
    expect(res.body.byDepth.map((d: any) => d.entities.map((e: any) => e.name))).toEqual([['pay-api', 'shop-api'], ['web']]);
    const pay = await request(server).get(api('/entities/component/default/pay-api/blast-radius'));
    expect(pay.body).toMatchObject({ affected: 2, tier1Affected: 1, severity: 'medium' });
  });

  it('puts blast.* into the gate once built', async () => {
    const after = await gate();
    expect(after.status).toBe(200);
    const rule = after.body.rules.find((r: any) => r.rule === 'tier1-dependents');
    expect(rule).toMatchObject({ result: 'true', values: { blast: { tier1: 1, severity: 'medium' } } });
    expect(after.body.verdict).toBe('warn');
  });

  it('serves the portfolio as JSON, CSV and Markdown, filtered', async () => {
    const res = await request(server).get(api('/portfolio'));
    const p = res.body as PortfolioResponse;
    expect(p.services.map(s => s.name).sort()).toEqual(['coupon-api', 'loop-a', 'loop-b', 'pay-api', 'shop-api', 'web']);
    expect(p.teams.map(t => t.ref).sort()).toEqual(['group:default/team-a', 'group:default/team-b', 'group:default/team-c']);
    const pay = p.services.find(s => s.name === 'pay-api')!;
    expect(pay.components.find(c => c.id === 'incidents')!.points).toBeNull();
    expect(pay.components.find(c => c.id === 'deployments')!.points).toBeNull();
    // 15 × 0.05 left = 0.75 points.
    expect(pay.components.find(c => c.id === 'error-budget')!.points).toBeCloseTo(0.75, 2);
    const teamB = await request(server).get(api('/portfolio?group=team-b'));
    expect(teamB.body.services.map((s: PortfolioService) => s.name)).toEqual(['pay-api']);
    expect((await request(server).get(api('/portfolio?tier=3'))).body.services).toHaveLength(3);
    const csv = await request(server).get(api('/portfolio?format=csv'));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true });
    expect(rows.map((r: any) => r.name).sort()).toEqual(['coupon-api', 'loop-a', 'loop-b', 'pay-api', 'shop-api', 'web']);
    const md = await request(server).get(api('/portfolio?format=markdown'));
    expect(md.text).toContain('| pay-api');
  });

  it('serves the cached portfolio gzipped, and 304 to a caller holding the same one', async () => {
    const first = await request(server).get(api('/portfolio')).set('Accept-Encoding', 'gzip');
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.body.services).toHaveLength(6);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"/);
    const again = await request(server).get(api('/portfolio')).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    // Another filter is another portfolio.
    const other = await request(server).get(api('/portfolio?tier=1')).set('If-None-Match', etag);
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('refuses bad parameters with a 400 and a message', async () => {
    for (const q of ['/portfolio?format=xml', '/portfolio?tier=9', '/portfolio?group=a&group=b', '/entities/component/default/shop-api/dependencies?depth=0', '/entities/component/default/shop-api/dependencies?direction=sideways', '/scores/history?days=0']) {
      const res = await request(server).get(api(q));
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.body.error.message).toBeTruthy();
    }
    expect((await request(server).get(api('/entities/component/default/nope/blast-radius'))).status).toBe(404);
  });

  it('stores the day\'s scores for services, teams and org', async () => {
    const org = await request(server).get(api('/scores/history?ref=org&days=7'));
    expect(org.body.points).toHaveLength(1);
    expect(typeof org.body.points[0].score).toBe('number');
    const team = await request(server).get(api('/scores/history?ref=group:default/team-b'));
    expect(team.status).toBe(404); // no Group entity in this catalog: not visible, never guessed
  });
});
type PortfolioService = PortfolioResponse['services'][number];
