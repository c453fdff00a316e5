import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { createNthlayerDatabase } from './NthlayerDatabase';

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

const A = 'component:default/checkout-api';
const B = 'component:default/payment-api';
const NOW = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

describe.each(databases.eachSupportedId())('GateOverrideStore and BudgetNotificationStore on %p', id => {
  async function open() {
    const knex = await databases.init(id);
    return createNthlayerDatabase({ database: { getClient: async () => knex } });
  }
  const override = (entityRef: string, createdAt: string, expiresAt: string, extra: { version?: string; reason?: string } = {}) => ({
    entityRef,
    version: extra.version ?? null,
    reason: extra.reason ?? 'INC-1 — “quoted”, ünïcödé',
    createdBy: 'user:default/owner',
    createdAt,
    expiresAt,
  });

  it('lists the overrides in force at a time, newest first, per entity', async () => {
    const { gateOverrides: s } = await open();
    const old = await s.create(override(A, at(-120), at(-60)));
    const first = await s.create(override(A, at(-30), at(60)));
    const second = await s.create(override(A, at(-10), at(30), { version: 'v2.3.1' }));
    const other = await s.create(override(B, at(-5), at(5)));
    expect((await s.listActive(A, NOW)).map(o => o.id)).toEqual([second.id, first.id]);
    expect(await s.listActive(A, NOW)).toEqual([second, first]);
    expect(second).toMatchObject({ version: 'v2.3.1', revokedAt: null, revokedBy: null, reason: 'INC-1 — “quoted”, ünïcödé' });
    // Expiry is exclusive: at its expiry instant an override no longer applies.
    expect((await s.listActive(A, new Date(at(30)))).map(o => o.id)).toEqual([first.id]);
    expect((await s.listActive(B, NOW)).map(o => o.id)).toEqual([other.id]);
    expect(await s.get(old.id)).toEqual(old);
    expect(await s.get(999_999)).toBeUndefined();
  }, 60_000);

  it('revokes once, and audits creation, revocation and overridden decisions newest first', async () => {
    const { gateOverrides: s } = await open();
    const o = await s.create(override(A, at(0), at(60)));
    await s.recordOverriddenDecision({
      entityRef: A,
      at: at(1),
      principal: 'service:external:ci',
      overrideId: o.id,
      decisionId: 42,
      details: { version: 'v1', verdict: 'allow', verdictWithout: 'block' },
    });
    const revoked = await s.revoke(o.id, 'user:default/lead', at(2));
    expect(revoked).toEqual({ ...o, revokedAt: at(2), revokedBy: 'user:default/lead' });
    expect(await s.revoke(o.id, 'user:default/other', at(3))).toBeUndefined();
    expect(await s.listActive(A, new Date(at(2)))).toEqual([]);

    const audit = await s.listAudit(A);
    expect(audit.map(e => [e.action, e.principal, e.at, e.overrideId, e.decisionId])).toEqual([
      ['override.revoked', 'user:default/lead', at(2), o.id, null],
      ['decision.overridden', 'service:external:ci', at(1), o.id, 42],
      ['override.created', 'user:default/owner', at(0), o.id, null],
    ]);
    expect(audit[1].details).toEqual({ version: 'v1', verdict: 'allow', verdictWithout: 'block' });
    expect(await s.listAudit(B)).toEqual([]);
  }, 60_000);

  it('records two concurrent revokes of one override once', async () => {
    const { gateOverrides: s } = await open();
    const o = await s.create(override(A, at(0), at(60)));
    const results = await Promise.all([s.revoke(o.id, 'user:default/a', at(1)), s.revoke(o.id, 'user:default/b', at(1))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await s.listAudit(A)).filter(e => e.action === 'override.revoked')).toHaveLength(1);
  }, 60_000);

  it('keeps one notified budget level per SLO', async () => {
    const { budgetNotifications: s } = await open();
    expect(await s.levels()).toEqual(new Map());
    await s.set(A, 'availability', 50, NOW);
    await s.set(A, 'latency', 25, NOW);
    await s.set(A, 'availability', 10, new Date(at(5)));
    await s.set(B, 'availability', 100, NOW);
    expect(await s.levels()).toEqual(
      new Map([
        [`${A}|availability`, 10],
        [`${A}|latency`, 25],
        [`${B}|availability`, 100],
      ]),
    );
  }, 60_000);
});
