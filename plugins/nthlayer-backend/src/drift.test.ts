import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DriftReport, summarizeDrift } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';
import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { NthlayerDatabase, createNthlayerDatabase } from './database/NthlayerDatabase';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const ref = (name: string) => `component:default/${name}`;
const driftOf = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}/drift`;
const incidentsOf = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}/incidents`;
const WEBHOOK = '/api/nthlayer/v1/webhooks/pagerduty';
const SECRET = 'whsec-test-1';

const entities = [
  serviceEntity('drifted-api', { 'nthlayer.dev/tier': '1' }),
  serviceEntity('clean-api', { 'nthlayer.dev/tier': '1' }),
  serviceEntity('new-api', { 'nthlayer.dev/tier': '1' }),
  serviceEntity('paged-api', { 'nthlayer.dev/tier': '1', 'pagerduty.com/service-id': 'PSVC001' }),
  serviceEntity('plain-website', {}),
];

const POLICIES = `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata: { name: no-critical-drift }
spec:
  selector: { entityRefs: [${ref('drifted-api')}, ${ref('clean-api')}, ${ref('new-api')}] }
  rules:
    - name: drift
      condition: drift.critical > 0
      action: block
      message: critical drift
---
apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata: { name: no-open-incident }
spec:
  selector: { entityRefs: [${ref('paged-api')}] }
  rules:
    - name: open-incident
      condition: incidents.open > 0
      action: block
      message: an incident is open
`;

const thresholdFinding = {
  target: 'slo-threshold' as const,
  severity: 'critical' as const,
  kind: 'changed' as const,
  object: 'nthlayer-drifted-api-availability: NthlayerErrorBudgetBurn{long_window="1h",severity="page",short_window="5m",slo="availability"}',
  field: 'threshold',
  expected: '99.9% (error ratio > 0.0144)',
  actual: '99.8% (error ratio > 0.0288)',
  message: 'The loaded page alert encodes 99.8 %, the declared objective is 99.9 %.',
};

function report(name: string, findings: DriftReport['findings'], checkedAt: string): DriftReport {
  return {
    entityRef: ref(name),
    checkedAt,
    targets: [
      { target: 'rules', state: 'checked', instance: 'default' },
      { target: 'dashboard', state: 'not-configured', detail: 'No Grafana instance is configured.' },
    ],
    findings,
    summary: summarizeDrift(findings),
  };
}

function delivery(eventId: string, status: 'triggered' | 'resolved', occurredAt: string) {
  return JSON.stringify({
    event: {
      id: eventId,
      event_type: `incident.${status}`,
      resource_type: 'incident',
      occurred_at: occurredAt,
      data: {
        id: 'PINC001',
        type: 'incident',
        html_url: 'https://acme.pagerduty.com/incidents/PINC001',
        number: 42,
        status,
        title: 'Checkout latency high',
        urgency: 'high',
        priority: { id: 'PPRIO1', summary: 'P1' },
        created_at: new Date(Date.now() - 3_600_000).toISOString(),
        service: { id: 'PSVC001', type: 'service_reference', summary: 'paged-api' },
      },
    },
  });
}
const sign = (body: string, secret = SECRET) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('drift, incidents and their gate conditions through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let db: NthlayerDatabase;
  let dir: string;
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-drift-'));
    const policyFile = path.join(dir, 'policies.yaml');
    await fs.writeFile(policyFile, POLICIES);
    knex = await databases.init('SQLITE_3');
    server = await startNthlayerTestBackend({
      entities,
      knex,
      config: {
        policies: { locations: [{ target: policyFile }] },
        pagerduty: { webhookSecrets: [SECRET] },
        drift: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } } },
      },
    });
    db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measuredAt = new Date(Date.now() - 60_000).toISOString();
    // Healthy budgets (availability 0.7 left, latency 0.8): only drift and incidents can block.
    await db.measurements.upsert(
      ['drifted-api', 'clean-api', 'new-api', 'paged-api'].flatMap(name => [
        tier1Measurement(ref(name), 'availability', 999_700, measuredAt),
        tier1Measurement(ref(name), 'latency', 990_000, measuredAt),
      ]),
      new Date(),
    );
    await db.drift.save([report('drifted-api', [], '2026-12-02T09:00:00.000Z'), report('clean-api', [], '2026-12-02T09:00:00.000Z')]);
    await db.drift.save([report('drifted-api', [thresholdFinding], '2026-12-02T09:15:00.000Z'), report('clean-api', [], '2026-12-02T09:15:00.000Z')]);
  }, 60_000);
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  const gate = (name: string) => request(server).post('/api/nthlayer/v1/gates/check').send({ entityRef: ref(name), version: 'v1' });

  it('serves the latest report and the history of changes, null before the first check', async () => {
    const drifted = await request(server).get(driftOf('drifted-api'));
    expect(drifted.status).toBe(200);
    expect(drifted.body.report).toMatchObject({ checkedAt: '2026-12-02T09:15:00.000Z', findings: [thresholdFinding], summary: { critical: 1 } });
    expect(drifted.body.history).toEqual([
      { checkedAt: '2026-12-02T09:15:00.000Z', critical: 1, warning: 0, info: 0 },
      { checkedAt: '2026-12-02T09:00:00.000Z', critical: 0, warning: 0, info: 0 },
    ]);
    // clean-api's second report repeated the first: one history row.
    expect((await request(server).get(driftOf('clean-api'))).body.history).toHaveLength(1);
    expect((await request(server).get(driftOf('new-api'))).body).toEqual({ entityRef: ref('new-api'), report: null, history: [] });
  });

  it('answers 404 with a message for an unmanaged or unknown entity', async () => {
    const plain = await request(server).get(driftOf('plain-website'));
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toMatch(/not managed by NthLayer/);
    expect((await request(server).get(driftOf('nope'))).status).toBe(404);
    expect((await request(server).get(incidentsOf('plain-website'))).status).toBe(404);
  });

  it('blocks on drift.critical > 0, allows without it, and cannot evaluate it before the first check', async () => {
    const drifted = await gate('drifted-api');
    expect(drifted.body.verdict).toBe('block');
    const rule = drifted.body.rules.find((r: any) => r.rule === 'drift');
    expect(rule).toMatchObject({ result: 'true', values: { drift: { critical: 1, warning: 0 } } });
    const clean = await gate('clean-api');
    expect(clean.body.rules.find((r: any) => r.rule === 'drift')).toMatchObject({ result: 'false' });
    expect(clean.body.verdict).toBe('allow');
    const fresh = await gate('new-api');
    expect(fresh.body.rules.find((r: any) => r.rule === 'drift')).toMatchObject({ result: 'error', values: { drift: {} } });
  });

  it('stores a signed webhook once, ignores its replay, refuses a bad signature, and gates on incidents.open', async () => {
    expect((await request(server).get(incidentsOf('paged-api'))).body).toMatchObject({ configured: true, serviceId: 'PSVC001', incidents: [], open: 0 });
    expect((await gate('paged-api')).body.verdict).toBe('allow');

    const body = delivery('EV1', 'triggered', new Date(Date.now() - 3_000_000).toISOString());
    const bad = await request(server).post(WEBHOOK).set('Content-Type', 'application/json').set('X-PagerDuty-Signature', sign(body, 'wrong')).send(body);
    expect(bad.status).toBe(401);
    expect((await request(server).get(incidentsOf('paged-api'))).body.incidents).toEqual([]);
    const unsigned = await request(server).post(WEBHOOK).set('Content-Type', 'application/json').send(body);
    expect(unsigned.status).toBe(401);

    const ok = await request(server).post(WEBHOOK).set('Content-Type', 'application/json').set('X-PagerDuty-Signature', sign(body)).send(body);
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ status: 'stored' });
    const replay = await request(server).post(WEBHOOK).set('Content-Type', 'application/json').set('X-PagerDuty-Signature', sign(body)).send(body);
    expect(replay.body).toEqual({ status: 'replayed' });

    const incidents = (await request(server).get(incidentsOf('paged-api'))).body;
    expect(incidents).toMatchObject({ configured: true, open: 1, count7d: 1 });
    expect(incidents.incidents).toEqual([
      expect.objectContaining({ id: 'PINC001', number: '42', status: 'triggered', urgency: 'high', priority: 'P1', source: 'webhook', resolvedAt: null }),
    ]);
    const blocked = await gate('paged-api');
    expect(blocked.body.verdict).toBe('block');
    expect(blocked.body.rules.find((r: any) => r.rule === 'open-incident')).toMatchObject({ values: { incidents: { open: 1, count7d: 1 } } });

    // Resolved later: the gate lets it through again; the 7-day count stays.
    const resolved = delivery('EV2', 'resolved', new Date().toISOString());
    expect((await request(server).post(WEBHOOK).set('Content-Type', 'application/json').set('X-PagerDuty-Signature', sign(resolved)).send(resolved)).status).toBe(202);
    expect((await request(server).get(incidentsOf('paged-api'))).body).toMatchObject({ open: 0, count7d: 1 });
    expect((await gate('paged-api')).body.verdict).toBe('allow');
  });

  it('refuses a PagerDuty apply without a token with 409 and without the permission with 403', async () => {
    const apply = '/api/nthlayer/v1/entities/component/default/paged-api/pagerduty/apply';
    const res = await request(server).post(apply).send({ dryRun: true });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/nthlayer\.pagerduty\.token/);
    expect((await request(server).post(apply).send({ dryRun: 'yes' })).status).toBe(400);
    const denied = await startNthlayerTestBackend({ entities, permission: AuthorizeResult.DENY, config: { pagerduty: { token: 't', baseUrl: 'http://127.0.0.1:9' } } });
    const refused = await request(denied).post(apply).send({ dryRun: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/nthlayer\.pagerduty\.apply/);
  });

  it('reads no incidents and says so when PagerDuty is not configured', async () => {
    const bare = await startNthlayerTestBackend({ entities });
    expect((await request(bare).get(incidentsOf('paged-api'))).body).toMatchObject({ configured: false, incidents: [] });
    const body = delivery('EV9', 'triggered', new Date().toISOString());
    expect((await request(bare).post(WEBHOOK).set('Content-Type', 'application/json').set('X-PagerDuty-Signature', sign(body)).send(body)).status).toBe(401);
  });
});
