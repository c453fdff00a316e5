import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { NthlayerDatabase, createNthlayerDatabase } from './database/NthlayerDatabase';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const API = '/api/nthlayer/v1';
const CHECK = `${API}/gates/check`;
const OVERRIDES = `${API}/gates/overrides`;
const gateOf = (name: string) => `${API}/entities/component/default/${name}/gate`;
const auditOf = (name: string) => `${gateOf(name)}/audit`;
const ref = (name: string) => `component:default/${name}`;

const OWNER = 'user:default/owner';
const OTHER = 'user:default/someone-else';
const HOUR = 3_600_000;

/**
 * Tier 1: availability 99.9 % over 30d. 999,050 good of 1,000,000 → error 0.00095 →
 * remaining 1 − 0.00095 / 0.001 = 0.05: below the tier-1 default's 10 % → block.
 * 999,700 → remaining 0.7 → allow.
 */
const entities = ['blocked-api', 'pinned-api', 'revoked-api', 'healthy-api', 'other-api'].map(name =>
  serviceEntity(name, { 'nthlayer.dev/tier': '1' }),
);
const GOOD: Record<string, number> = {
  'blocked-api': 999_050,
  'pinned-api': 999_050,
  'revoked-api': 999_050,
  'healthy-api': 999_700,
  'other-api': 999_050,
};

/** Grants nthlayer.gate.override to OWNER only (as an isEntityOwner policy would), everything else to all. */
function ownerOnly() {
  const authorize = jest.fn(async (requests: any[], options: { credentials: any }) =>
    requests.map(r => {
      if (r.permission.name !== 'nthlayer.gate.override') return { result: AuthorizeResult.ALLOW };
      const user = options.credentials.principal.userEntityRef;
      return { result: user === OWNER ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }),
  );
  return { service: mockServices.permissions.mock({ authorize: authorize as any }) as unknown as PermissionsService, authorize };
}

describe('gate overrides through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let db: NthlayerDatabase;
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  const permissions = ownerOnly();
  const sent: any[] = [];

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    server = await startNthlayerTestBackend({
      entities,
      knex,
      permissions: permissions.service,
      notifications: { send: async n => void sent.push(n) },
    });
    db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measuredAt = new Date(Date.now() - 60_000).toISOString();
    await db.measurements.upsert(
      Object.entries(GOOD).flatMap(([name, good]) => [
        tier1Measurement(ref(name), 'availability', good, measuredAt),
        tier1Measurement(ref(name), 'latency', 990_000, measuredAt),
      ]),
      new Date(),
    );
  }, 60_000);

  const as = (user: string) => mockCredentials.user.header(user);
  const override = (body: object, user = OWNER) => request(server).post(OVERRIDES).send(body).set('Authorization', as(user));
  const check = (name: string, version = 'v2.0.0') =>
    request(server).post(CHECK).send({ entityRef: ref(name), version }).set('Authorization', mockCredentials.service.header());
  const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

  it('lets a blocked deploy through with an owner’s override, records who and why, and audits the decision it changed', async () => {
    expect((await check('blocked-api')).body).toMatchObject({ verdict: 'block', exitCode: 2 });

    const expiresAt = inHours(4);
    const created = await override({ entityRef: ref('blocked-api'), reason: 'INC-4411 fix must ship now', expiresAt });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      entityRef: ref('blocked-api'),
      version: null,
      reason: 'INC-4411 fix must ship now',
      createdBy: OWNER,
      expiresAt,
      revokedAt: null,
    });
    // Asked as a resource permission on the entity, with the caller's credentials.
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'nthlayer.gate.override', type: 'resource', resourceType: 'catalog-entity' }),
          resourceRef: ref('blocked-api'),
        },
      ],
      { credentials: expect.objectContaining({ principal: expect.objectContaining({ userEntityRef: OWNER }) }) },
    );

    const res = await check('blocked-api');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      verdict: 'allow',
      exitCode: 0,
      override: { id: created.body.id, createdBy: OWNER, reason: 'INC-4411 fix must ship now', expiresAt, verdictWithout: 'block' },
    });
    expect(res.body.reasons[0]).toBe(
      `Overridden by ${OWNER} until ${expiresAt}: INC-4411 fix must ship now (without the override: block)`,
    );
    // The rules that would have blocked are still there, with their numbers.
    expect(res.body.rules[0]).toMatchObject({ rule: 'block-below', result: 'true', verdict: 'block' });
    expect(res.body.rules[0].values.budget.remaining).toBeCloseTo(0.05, 9);

    const gate = await request(server).get(gateOf('blocked-api')).set('Authorization', as(OTHER));
    expect(gate.status).toBe(200);
    expect(gate.body.current).toMatchObject({ verdict: 'allow', override: { id: created.body.id, verdictWithout: 'block' } });
    expect(gate.body.overrides.map((o: any) => o.id)).toEqual([created.body.id]);
    expect(gate.body.decisions[0]).toMatchObject({ id: res.body.id, decision: { verdict: 'allow', override: { id: created.body.id } } });

    const audit = await request(server).get(auditOf('blocked-api')).set('Authorization', as(OTHER));
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: any) => [e.action, e.principal, e.overrideId, e.decisionId])).toEqual([
      ['decision.overridden', 'service:external:test-service', created.body.id, res.body.id],
      ['override.created', OWNER, created.body.id, null],
    ]);
    expect(audit.body.entries[0].details).toEqual({ version: 'v2.0.0', verdict: 'allow', verdictWithout: 'block' });
    expect(audit.body.entries[1].details).toEqual({ reason: 'INC-4411 fix must ship now', expiresAt, version: null });
  });

  it('lets through only the version an override names', async () => {
    const created = await override({ entityRef: ref('pinned-api'), reason: 'hotfix v2.3.1 for INC-77', expiresAt: inHours(1), version: 'v2.3.1' });
    expect(created.status).toBe(201);
    expect((await check('pinned-api', 'v2.3.1')).body).toMatchObject({ verdict: 'allow', override: { id: created.body.id } });
    const other = (await check('pinned-api', 'v2.4.0')).body;
    expect(other).toMatchObject({ verdict: 'block', exitCode: 2 });
    expect(other.override).toBeUndefined();
    // Only the changed decision is audited.
    const audit = (await request(server).get(auditOf('pinned-api'))).body.entries;
    expect(audit.map((e: any) => e.action)).toEqual(['decision.overridden', 'override.created']);
  });

  it('leaves an allowed decision alone and does not audit it', async () => {
    const created = await override({ entityRef: ref('healthy-api'), reason: 'planned migration window', expiresAt: inHours(1) });
    expect(created.status).toBe(201);
    const res = await check('healthy-api');
    expect(res.body).toMatchObject({ verdict: 'allow' });
    expect(res.body.override).toBeUndefined();
    const audit = (await request(server).get(auditOf('healthy-api'))).body.entries;
    expect(audit.map((e: any) => e.action)).toEqual(['override.created']);
  });

  it('refuses users without the permission on that entity with 403, storing nothing', async () => {
    const res = await override({ entityRef: ref('other-api'), reason: 'I want to deploy this', expiresAt: inHours(1) }, OTHER);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: `Not allowed to override the deploy gate of ${ref('other-api')} (permission nthlayer.gate.override)`,
    });
    expect((await request(server).get(auditOf('other-api'))).body.entries).toEqual([]);
    expect((await check('other-api')).body.verdict).toBe('block');
  });

  it.each([
    [{ entityRef: ref('other-api'), reason: 'short', expiresAt: 'soon' }, /reason: say why, in at least 10 characters/],
    [{ entityRef: ref('other-api'), reason: 'a good reason', expiresAt: '2020-01-01T00:00:00Z' }, /expiresAt must be in the future/],
    [{ entityRef: ref('other-api'), reason: 'a good reason', expiresAt: 'tomorrow' }, /expiresAt must be an ISO 8601 date-time/],
    [{ entityRef: ref('other-api'), reason: 'a good reason', expiresAt: '__IN_100_HOURS__' }, /at most 72 hours ahead/],
    [{ entityRef: ref('other-api'), reason: 'a good reason', expiresAt: '__IN_1_HOUR__', force: true }, /force/],
    [{ entityRef: 'component:default/', reason: 'a good reason', expiresAt: '__IN_1_HOUR__' }, /entityRef/],
  ])('answers 400 with a message for %j', async (body, message) => {
    const placeholders: Record<string, string> = { __IN_100_HOURS__: inHours(100), __IN_1_HOUR__: inHours(1) };
    const fixed = { ...body, expiresAt: placeholders[body.expiresAt] ?? body.expiresAt };
    const res = await override(fixed);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await request(server).get(auditOf('other-api'))).body.entries).toEqual([]);
  });

  it('answers 404 for an entity not in the catalog', async () => {
    const res = await override({ entityRef: ref('nope-api'), reason: 'a good reason', expiresAt: inHours(1) });
    expect(res.status).toBe(404);
    expect((await request(server).get(auditOf('nope-api'))).status).toBe(404);
  });

  it('revokes an override: the gate blocks again, a second revoke is a conflict, and both steps are audited', async () => {
    const created = (await override({ entityRef: ref('revoked-api'), reason: 'release train exception', expiresAt: inHours(2) })).body;
    expect((await check('revoked-api')).body.verdict).toBe('allow');

    const denied = await request(server).delete(`${OVERRIDES}/${created.id}`).set('Authorization', as(OTHER));
    expect(denied.status).toBe(403);

    const revoked = await request(server).delete(`${OVERRIDES}/${created.id}`).set('Authorization', as(OWNER));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.id, revokedBy: OWNER, revokedAt: expect.any(String) });
    expect((await check('revoked-api')).body).toMatchObject({ verdict: 'block', exitCode: 2 });
    expect((await request(server).get(gateOf('revoked-api'))).body.overrides).toEqual([]);

    const again = await request(server).delete(`${OVERRIDES}/${created.id}`).set('Authorization', as(OWNER));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(`Gate override ${created.id} was already revoked by ${OWNER}`);
    expect((await request(server).delete(`${OVERRIDES}/999999`).set('Authorization', as(OWNER))).status).toBe(404);
    expect((await request(server).delete(`${OVERRIDES}/abc`).set('Authorization', as(OWNER))).status).toBe(400);

    const audit = (await request(server).get(auditOf('revoked-api'))).body.entries;
    expect(audit.map((e: any) => [e.action, e.principal])).toEqual([
      ['override.revoked', OWNER],
      ['decision.overridden', 'service:external:test-service'],
      ['override.created', OWNER],
    ]);
  });

  it('ignores an expired override', async () => {
    await db.gateOverrides.create({
      entityRef: ref('other-api'),
      version: null,
      reason: 'expired an hour ago',
      createdBy: OWNER,
      createdAt: new Date(Date.now() - 3 * HOUR).toISOString(),
      expiresAt: new Date(Date.now() - HOUR).toISOString(),
    });
    expect((await check('other-api')).body).toMatchObject({ verdict: 'block' });
    expect((await request(server).get(gateOf('other-api'))).body.overrides).toEqual([]);
  });

  it('notifies the owning group when a check blocks', async () => {
    sent.length = 0;
    await check('other-api', 'v9.9.9');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title: 'Deploy of other-api v9.9.9 blocked by the gate',
          link: '/catalog/default/component/other-api',
          severity: 'high',
          topic: 'nthlayer-gate',
          scope: `nthlayer-gate:${ref('other-api')}`,
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain('tier-1-default/block-below: error budget below 10 %');
    // The pipeline retrying the same version does not notify again; another version does.
    await check('other-api', 'v9.9.9');
    await check('other-api', 'v9.9.10');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(sent.map(n => n.payload.title)).toEqual([
      'Deploy of other-api v9.9.9 blocked by the gate',
      'Deploy of other-api v9.9.10 blocked by the gate',
    ]);
    // An allowed check notifies nobody.
    sent.length = 0;
    await check('healthy-api');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
  });

  it('answers the check even when the notifications backend fails', async () => {
    const failing = await startNthlayerTestBackend({
      entities,
      knex,
      permissions: permissions.service,
      notifications: {
        send: async () => {
          throw new Error('connect ECONNREFUSED (no notifications backend)');
        },
      },
    });
    const res = await request(failing).post(CHECK).send({ entityRef: ref('other-api'), version: 'v1' });
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('block');
  });
});
