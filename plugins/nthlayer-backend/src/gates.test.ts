import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const CHECK = '/api/nthlayer/v1/gates/check';
const gateOf = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}/gate`;
const ref = (name: string) => `component:default/${name}`;

/**
 * Budgets, derived by hand: remaining = 1 − errorRatio / (1 − target). Tier 1 has
 * availability 99.9 % (allowed error 0.001) and latency p95 < 500 ms at 95 % (allowed 0.05),
 * both over 30d, out of 1,000,000 events:
 *   availability good 999,050 → error 0.00095 → remaining 0.05
 *   availability good 999,250 → error 0.00075 → remaining 0.25
 *   availability good 999,700 → error 0.0003  → remaining 0.7
 *   latency good 990,000      → error 0.01    → remaining 0.8
 *   latency good 980,000      → error 0.02    → remaining 0.6
 * Tier-1 default gate (DESIGN §4): block below 10 %, warn below 20 %.
 */
const TOTAL = 1_000_000;
const BUDGETS: Record<string, { availability: number; latency: number }> = {
  'low-api': { availability: 999_050, latency: 990_000 }, // worst 0.05 → block
  'ok-api': { availability: 999_700, latency: 980_000 }, // worst 0.6 (latency) → allow
  'release-api': { availability: 999_050, latency: 990_000 }, // 0.05, but its own policy
  'stale-api': { availability: 999_700, latency: 980_000 }, // healthy but stale → warn
  'gated-api': { availability: 999_250, latency: 990_000 }, // 0.25: allow by default, file blocks < 30 %
  'twin-api': { availability: 999_250, latency: 990_000 }, // the same budgets, no file
  'partial-api': { availability: 999_050, latency: 990_000 }, // 0.05, file sets only warning
};

const source = (dir: string) => `https://github.com/acme/shop/tree/main/${dir}/`;
const fileUrl = (dir: string) => `https://github.com/acme/shop/tree/main/${dir}/nthlayer/service.yaml`;
const serviceFile = (name: string, thresholds: string) => `
service: { name: ${name}, team: team-a, tier: critical, type: api }
resources:
  - kind: DeploymentGate
    name: gate
    spec:
      thresholds: ${thresholds}
`;
const files: Record<string, string> = {
  [fileUrl('gated')]: serviceFile('gated-api', '{ warning: 50, blocking: 30 }'),
  [fileUrl('partial')]: serviceFile('partial-api', '{ warning: 50 }'),
};

function withServiceFile(entity: Entity, dir: string): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        'backstage.io/source-location': `url:${source(dir)}`,
        'nthlayer.dev/service-file': './nthlayer/service.yaml',
      },
    },
  };
}

const tier1 = (name: string) => serviceEntity(name, { 'nthlayer.dev/tier': '1' });
const entities: Entity[] = [
  tier1('low-api'),
  tier1('ok-api'),
  tier1('release-api'),
  tier1('stale-api'),
  withServiceFile(tier1('gated-api'), 'gated'),
  tier1('twin-api'),
  withServiceFile(tier1('partial-api'), 'partial'),
  serviceEntity('plain', {}),
];

// The policies file, laid out so that positions can be counted: RELEASE is 13 lines, the
// separator line 14, and BROKEN's condition is line 22, "budget.remaning" at column 18, so
// "remaning" at column 25.
const RELEASE = `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata:
  name: release-train
spec:
  selector:
    entityRefs: [component:default/release-api]
  rules:
    - name: budget-floor
      condition: budget.remaining < 0.1
      action: block
      message: release-api budget below 10 %
      exceptions: [hotfix]
`;
// No selector: it would apply to every service if it loaded.
const BROKEN = `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata:
  name: broken-policy
spec:
  rules:
    - name: typo
      condition: budget.remaning < 0.2
      action: warn
`;
const POLICIES = `${RELEASE}---\n${BROKEN}`;

const measurement = (entityRef: string, slo: 'availability' | 'latency', good: number, measuredAt: string) =>
  tier1Measurement(entityRef, slo, good, measuredAt, TOTAL);

/** A permission service answering per caller; records what it was asked. */
function permissionsBy(decide: (principalType: string) => AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const authorize = jest.fn(async (requests: any[], options: { credentials: any }) =>
    requests.map(() => ({ result: decide(options.credentials.principal.type) })),
  );
  return { service: mockServices.permissions.mock({ authorize: authorize as any }) as unknown as PermissionsService, authorize };
}

describe('deploy gates through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let dir: string;
  let policyFile: string;
  let missingFile: string;
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  let measuredAt: string;
  let staleMeasuredAt: string;

  const readUrl = jest.fn(async (url: string) => {
    if (!(url in files)) throw new Error(`NotFoundError: ${url} not found`);
    return { buffer: async () => Buffer.from(files[url]) } as any;
  });

  async function start(extra: { permissions?: PermissionsService } = {}) {
    return startNthlayerTestBackend({
      entities,
      knex,
      permissions: extra.permissions,
      config: { policies: { locations: [{ target: policyFile }, { target: missingFile }] } },
      features: [mockServices.urlReader.mock({ readUrl }).factory],
    });
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-gates-'));
    policyFile = path.join(dir, 'policies.yaml');
    missingFile = path.join(dir, 'missing.yaml');
    await fs.writeFile(policyFile, POLICIES);
    knex = await databases.init('SQLITE_3');
    server = await start();
    // The plugin migrated the database on start-up; store what a refresh would have measured.
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const now = Date.now();
    measuredAt = new Date(now - 60_000).toISOString();
    staleMeasuredAt = new Date(now - 2 * 3_600_000).toISOString();
    const rows = Object.entries(BUDGETS).flatMap(([name, good]) => [
      measurement(ref(name), 'availability', good.availability, name === 'stale-api' ? staleMeasuredAt : measuredAt),
      measurement(ref(name), 'latency', good.latency, measuredAt),
    ]);
    await db.measurements.upsert(rows, new Date(now - 60_000));
    // The last refresh of stale-api's availability failed: the numbers stay, marked stale.
    await db.measurements.markStale(
      [{ entityRef: ref('stale-api'), sloName: 'availability', sloKind: 'availability', window: '30d', windowMinutes: 43_200, thresholdMs: null }],
      'Prometheus at http://127.0.0.1:9 is unreachable',
      new Date(now),
    );
  }, 60_000);

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const check = (body: unknown, auth?: string) => {
    const req = request(server).post(CHECK).send(body as object);
    return auth ? req.set('Authorization', auth) : req;
  };
  const decisionsOf = async (name: string) => {
    const res = await request(server).get(gateOf(name));
    expect(res.status).toBe(200);
    return res.body.decisions as any[];
  };

  it('blocks a tier-1 service below 10 % budget under the tier defaults, naming the rule and the value it read', async () => {
    const res = await check({ entityRef: ref('low-api'), version: 'v2.0.0' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: ref('low-api'),
      verdict: 'block',
      exitCode: 2,
      stale: false,
      budgetsAsOf: measuredAt,
      notify: [],
      policies: [{ name: 'tier-1-default', source: 'tier-default', hash: expect.any(String) }],
    });
    expect(res.body.policies[0].hash.length).toBeGreaterThan(0);
    expect(res.body.id).toEqual(expect.any(Number));
    // Both thresholds fire at 5 %; block is the more severe.
    const [block, warn] = res.body.rules;
    expect(res.body.rules).toHaveLength(2);
    expect(block).toMatchObject({
      policy: 'tier-1-default',
      rule: 'block-below',
      condition: 'budget.remaining < 0.1',
      action: 'block',
      result: 'true',
      verdict: 'block',
      message: 'tier-1-default/block-below: error budget below 10 %',
    });
    expect(Object.keys(block.values)).toEqual(['budget']);
    expect(block.values.budget.remaining).toBeCloseTo(0.05, 9);
    expect(warn).toMatchObject({ rule: 'warn-below', condition: 'budget.remaining < 0.2', result: 'true', verdict: 'warn' });
    expect(res.body.reasons).toEqual([
      'tier-1-default/block-below: error budget below 10 %',
      'tier-1-default/warn-below: error budget below 20 %',
    ]);
    // The broken policy (no selector) was rejected: it is not among the policies that decided.
    expect(res.body.policies.map((p: any) => p.name)).not.toContain('broken-policy');
  });

  it('allows a healthy tier-1 service, reading its worst SLO', async () => {
    // The short form of the ref is accepted and answered in full.
    const res = await check({ entityRef: 'ok-api', version: 'v1.4.0', commit: 'abc123', environment: 'production', labels: ['canary'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ entityRef: ref('ok-api'), verdict: 'allow', exitCode: 0, reasons: ['every rule passed'] });
    expect(res.body.rules.map((r: any) => [r.rule, r.result, r.verdict])).toEqual([
      ['block-below', 'false', 'allow'],
      ['warn-below', 'false', 'allow'],
    ]);
    // Latency (0.6) is worse than availability (0.7).
    expect(res.body.rules[0].values.budget.remaining).toBeCloseTo(0.6, 9);
  });

  it('logs each decision with its caller, newest first, in the entity gate', async () => {
    const asUser = await check({ entityRef: ref('twin-api'), version: 'v1', labels: ['first'] }, mockCredentials.user.header());
    const asService = await check(
      { entityRef: ref('twin-api'), version: 'v2', commit: 'deadbeef', environment: 'staging', labels: ['second', 'ci'] },
      mockCredentials.service.header(),
    );
    expect([asUser.status, asService.status]).toEqual([200, 200]);
    expect(asService.body.id).toBeGreaterThan(asUser.body.id);

    const res = await request(server).get(gateOf('twin-api'));
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe(ref('twin-api'));
    // Not stored: the current verdict a deploy would get (0.25 left: neither threshold).
    expect(res.body.current).toMatchObject({ verdict: 'allow', exitCode: 0, entityRef: ref('twin-api') });
    expect(res.body.current.id).toBeUndefined();
    expect(res.body.decisions).toEqual([
      {
        id: asService.body.id,
        entityRef: ref('twin-api'),
        decidedAt: asService.body.decidedAt,
        principal: 'service:external:test-service',
        version: 'v2',
        commit: 'deadbeef',
        environment: 'staging',
        labels: ['second', 'ci'],
        decision: expect.objectContaining({ verdict: 'allow', exitCode: 0, policies: asService.body.policies }),
      },
      {
        id: asUser.body.id,
        entityRef: ref('twin-api'),
        decidedAt: asUser.body.decidedAt,
        principal: 'user:default/mock',
        version: 'v1',
        commit: null,
        environment: null,
        labels: ['first'],
        decision: expect.objectContaining({ verdict: 'allow' }),
      },
    ]);
    // The stored decision is the one answered (without its id); the view leaves out the rules.
    const { id, ...answered } = asService.body;
    expect(answered.rules.length).toBeGreaterThan(0);
    expect(res.body.decisions[0].decision).toEqual({ ...answered, rules: [] });
    // The rejected policy and the unreadable location show on the gate too.
    expect(res.body.policyErrors.map((e: any) => e.source)).toEqual([policyFile, missingFile]);
    expect(res.body.policiesLoadedAt).toEqual(expect.any(String));
    // Another entity's log holds none of these.
    expect((await decisionsOf('ok-api')).map((d: any) => d.version)).toEqual(['v1.4.0']);
  });

  it('refuses a bad body with 400 and a message, storing nothing', async () => {
    const before = (await decisionsOf('ok-api')).length;
    const cases: Array<[unknown, RegExp]> = [
      [{ entityRef: ref('ok-api') }, /^version: Required/],
      [{ entityRef: ref('ok-api'), version: 'v1', force: true }, /Unrecognized key.*force/],
      [{ entityRef: ref('ok-api'), version: 'v1', labels: ['ok', 7] }, /^labels\.1: Expected string, received number/],
      [{ entityRef: ref('ok-api'), version: 'v1', labels: 'hotfix' }, /^labels: Expected array/],
      [{ entityRef: 'component:', version: 'v1' }, /^entityRef: Entity reference "component:" was not on the form/],
      [{ entityRef: '', version: 'v1' }, /^entityRef: /],
      [{ entityRef: ref('ok-api'), version: 'x'.repeat(129) }, /^version: /],
      [[{ entityRef: ref('ok-api'), version: 'v1' }], /^body: Expected object, received array/],
    ];
    for (const [body, message] of cases) {
      const res = await check(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
    expect(await decisionsOf('ok-api')).toHaveLength(before);
  });

  it('answers 404 for an unknown entity and one NthLayer does not manage', async () => {
    const unknown = await check({ entityRef: ref('nope'), version: 'v1' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/No entity component:default\/nope/) });
    const plain = await check({ entityRef: ref('plain'), version: 'v1' });
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toMatch(/component:default\/plain is not managed by NthLayer/);
    expect((await request(server).get(gateOf('nope'))).status).toBe(404);
    expect((await request(server).get(gateOf('plain'))).status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    const none = mockCredentials.none.header();
    expect((await check({ entityRef: ref('ok-api'), version: 'v1' }, none)).status).toBe(401);
    expect((await request(server).get(gateOf('ok-api')).set('Authorization', none)).status).toBe(401);
    expect((await request(server).get('/api/nthlayer/v1/policies').set('Authorization', none)).status).toBe(401);
  });

  it('answers 403 when the permission is denied, for a user and for a service, and stores nothing', async () => {
    const before = (await decisionsOf('ok-api')).length;
    const body = { entityRef: ref('ok-api'), version: 'v9' };

    // Users may not ask, services may.
    const usersDenied = permissionsBy(type => (type === 'user' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW));
    const a = await startAnother(usersDenied.service);
    const user = await request(a).post(CHECK).send(body).set('Authorization', mockCredentials.user.header('user:default/dev'));
    expect(user.status).toBe(403);
    expect(user.body.error).toMatchObject({ name: 'NotAllowedError', message: expect.stringMatching(/nthlayer\.gate\.check/) });
    const ci = await request(a).post(CHECK).send(body).set('Authorization', mockCredentials.service.header());
    expect(ci.status).toBe(200);
    expect(ci.body.verdict).toBe('allow');
    // It was asked for this permission with the caller's credentials.
    expect(usersDenied.authorize).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'nthlayer.gate.check', type: 'basic' }) }],
      { credentials: expect.objectContaining({ principal: expect.objectContaining({ type: 'user', userEntityRef: 'user:default/dev' }) }) },
    );

    // Services may not ask, users may.
    const servicesDenied = permissionsBy(type => (type === 'service' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW));
    const b = await startAnother(servicesDenied.service);
    expect((await request(b).post(CHECK).send(body).set('Authorization', mockCredentials.service.header())).status).toBe(403);
    const dev = await request(b).post(CHECK).send(body).set('Authorization', mockCredentials.user.header('user:default/dev'));
    expect(dev.status).toBe(200);

    // Denied checks left no trace; the two allowed ones did (the replicas share the database).
    const after = await decisionsOf('ok-api');
    expect(after).toHaveLength(before + 2);
    expect(after.slice(0, 2).map((d: any) => d.principal)).toEqual(['user:default/dev', 'service:external:test-service']);

    // The entity gate and the policy list need no permission beyond being signed in.
    expect((await request(b).get(gateOf('ok-api')).set('Authorization', mockCredentials.service.header())).status).toBe(200);
  }, 60_000);

  async function startAnother(permissions: PermissionsService) {
    return start({ permissions });
  }

  it('lists the loaded policies and the rejected ones with source, line and column', async () => {
    const res = await request(server).get('/api/nthlayer/v1/policies');
    expect(res.status).toBe(200);
    expect(res.body.loadedAt).toEqual(expect.any(String));
    expect(res.body.policies).toEqual([
      {
        name: 'release-train',
        source: policyFile,
        // The first document of the file, as written.
        hash: createHash('sha256').update(RELEASE).digest('hex'),
        selector: { entityRefs: ['component:default/release-api'] },
        timeZone: 'UTC',
        failClosed: false,
        rules: [
          {
            name: 'budget-floor',
            condition: 'budget.remaining < 0.1',
            action: 'block',
            message: 'release-api budget below 10 %',
            exceptions: ['hotfix'],
          },
        ],
        freezeWindows: [],
      },
    ]);
    expect(res.body.errors).toEqual([
      { source: policyFile, line: 22, column: 25, policy: 'broken-policy', reason: expect.stringMatching(/^rule typo: .*remaning/) },
      { source: missingFile, line: 0, column: 0, reason: expect.stringMatching(/^could not be read: .*ENOENT/) },
    ]);
    // The layout the numbers above were counted from.
    expect(POLICIES.split('\n')[21]).toBe('      condition: budget.remaning < 0.2');
    expect(POLICIES.split('\n')[21].indexOf('remaning')).toBe(24);
  });

  it("applies a matching policy instead of the tier default, and a rule's exception label skips it", async () => {
    const plain = await check({ entityRef: ref('release-api'), version: 'v3' });
    expect(plain.body).toMatchObject({
      verdict: 'block',
      exitCode: 2,
      reasons: ['release-train/budget-floor: release-api budget below 10 %'],
      policies: [{ name: 'release-train', source: policyFile, hash: createHash('sha256').update(RELEASE).digest('hex') }],
    });
    expect(plain.body.rules[0].values.budget.remaining).toBeCloseTo(0.05, 9);

    const hotfix = await check({ entityRef: ref('release-api'), version: 'v3.0.1', labels: ['hotfix'] });
    expect(hotfix.status).toBe(200);
    expect(hotfix.body).toMatchObject({ verdict: 'allow', exitCode: 0, reasons: ['every rule passed'] });
    expect(hotfix.body.rules).toEqual([
      expect.objectContaining({ rule: 'budget-floor', result: 'exempt', verdict: 'allow', message: 'skipped: the deploy is labelled hotfix' }),
    ]);
    // Another label does not.
    expect((await check({ entityRef: ref('release-api'), version: 'v3.0.1', labels: ['urgent'] })).body.verdict).toBe('block');
    // And the exception belongs to the policy: a tier-default service at the same budget still blocks with it.
    expect((await check({ entityRef: ref('low-api'), version: 'v2.0.1', labels: ['hotfix'] })).body.verdict).toBe('block');
  });

  it('warns on a stale budget, with the reason', async () => {
    const res = await check({ entityRef: ref('stale-api'), version: 'v5' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      verdict: 'warn',
      exitCode: 1,
      stale: true,
      // The oldest of its SLOs' measurements: availability's, before the failed refresh.
      budgetsAsOf: staleMeasuredAt,
      reasons: [`budgets are stale (last measured ${staleMeasuredAt})`],
    });
    // The thresholds themselves pass: 0.6 is left (the stale numbers are kept).
    expect(res.body.rules.map((r: any) => r.result)).toEqual(['false', 'false']);
    // The same budgets fresh (ok-api) allow.
    expect((await check({ entityRef: ref('ok-api'), version: 'v5' })).body.verdict).toBe('allow');
  });

  it("tightens the gate with the service file's DeploymentGate", async () => {
    // 25 % left: above the tier-1 thresholds (allow) but below the file's blocking 30 %.
    const twin = await check({ entityRef: ref('twin-api'), version: 'v7' });
    expect(twin.body.verdict).toBe('allow');
    const res = await check({ entityRef: ref('gated-api'), version: 'v7' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      verdict: 'block',
      exitCode: 2,
      policies: [{ name: 'service-file-deployment-gate', source: 'service-file', hash: expect.any(String) }],
    });
    expect(res.body.rules.map((r: any) => [r.rule, r.condition, r.result, r.verdict])).toEqual([
      ['block-below', 'budget.remaining < 0.3', 'true', 'block'],
      ['warn-below', 'budget.remaining < 0.5', 'true', 'warn'],
    ]);
    expect(res.body.rules[0].values.budget.remaining).toBeCloseTo(0.25, 9);
    expect(readUrl).toHaveBeenCalledWith(fileUrl('gated'), expect.anything());
    // The entity page's current verdict agrees.
    expect((await request(server).get(gateOf('gated-api'))).body.current.verdict).toBe('block');
  });

  it('keeps the tier default for a threshold the DeploymentGate leaves out', async () => {
    // The file sets only warning: 50. At 5 % left, tier 1 still blocks below 10 %.
    const res = await check({ entityRef: ref('partial-api'), version: 'v8' });
    expect(res.body).toMatchObject({ verdict: 'block', exitCode: 2, policies: [expect.objectContaining({ name: 'service-file-deployment-gate' })] });
    expect(res.body.rules.map((r: any) => [r.rule, r.condition, r.result])).toEqual([
      ['block-below', 'budget.remaining < 0.1', 'true'],
      ['warn-below', 'budget.remaining < 0.5', 'true'],
    ]);
  });
});
