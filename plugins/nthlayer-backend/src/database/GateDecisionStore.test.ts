import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { GateCheckResponse } from '@nthlayer/backstage-plugin-common';
import { StoredGateDecision } from './GateDecisionStore';
import { createNthlayerDatabase } from './NthlayerDatabase';

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

const A = 'component:default/checkout-api';
const B = 'component:default/payment-api';

function decision(verdict: GateCheckResponse['verdict'], extra: Partial<GateCheckResponse> = {}): GateCheckResponse {
  const exitCode = ({ allow: 0, warn: 1, block: 2 } as const)[verdict];
  return {
    entityRef: A,
    decidedAt: '2026-12-01T10:00:00.000Z',
    verdict,
    exitCode,
    reasons: [`because ${verdict} — “quoted”, ünïcödé`],
    rules: [
      {
        policy: 'tier-1-default',
        rule: 'block-below',
        condition: 'budget.remaining < 0.1',
        action: 'block',
        result: verdict === 'block' ? 'true' : 'false',
        values: { budget: { remaining: 0.05 }, nested: [1, null, { deep: 'x' }] },
        verdict: verdict === 'block' ? 'block' : 'allow',
        message: 'tier-1-default/block-below: error budget below 10 %',
      },
    ],
    policies: [
      { name: 'tier-1-default', source: 'tier-default', hash: '{"blockingPercent":10,"warningPercent":20}' },
      { name: 'release', source: '/etc/nthlayer/policies.yaml', hash: 'a'.repeat(64) },
    ],
    budgetsAsOf: '2026-12-01T09:59:00.000Z',
    stale: false,
    notify: [],
    ...extra,
  };
}

function row(entityRef: string, decidedAt: string, extra: Partial<Omit<StoredGateDecision, 'id'>> = {}): Omit<StoredGateDecision, 'id'> {
  return {
    entityRef,
    decidedAt,
    principal: 'user:default/mock',
    version: 'v1.2.3',
    commit: null,
    environment: null,
    labels: [],
    decision: decision('allow'),
    ...extra,
  };
}

describe.each(databases.eachSupportedId())('GateDecisionStore on %p', id => {
  async function store() {
    const knex = await databases.init(id);
    return { knex, store: (await createNthlayerDatabase({ database: { getClient: async () => knex } })).gateDecisions };
  }

  it('appends with increasing ids', async () => {
    const { store: s } = await store();
    const got: number[] = [];
    for (let i = 0; i < 5; i++) {
      got.push(await s.append(row(i % 2 ? A : B, `2026-12-01T10:0${i}:00.000Z`)));
    }
    expect(got.every(n => Number.isInteger(n) && n > 0)).toBe(true);
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1]);
    // The ids are the rows' ids: listing returns the same numbers.
    const listed = [...(await s.listForEntity(A)), ...(await s.listForEntity(B))].map(r => r.id).sort((x, y) => x - y);
    expect(listed).toEqual(got);
  }, 60_000);

  it('lists one entity newest first (by decision time, then id), limited', async () => {
    const { store: s } = await store();
    // Inserted out of time order: the list must follow decidedAt, not insertion order.
    const t2 = await s.append(row(A, '2026-12-01T10:02:00.000Z', { version: 'v2' }));
    const t1 = await s.append(row(A, '2026-12-01T10:01:00.000Z', { version: 'v1' }));
    await s.append(row(B, '2026-12-01T10:05:00.000Z', { version: 'other' }));
    const t3 = await s.append(row(A, '2026-12-01T10:03:00.500Z', { version: 'v3' }));
    // Same instant as v3: the later id comes first.
    const t3b = await s.append(row(A, '2026-12-01T10:03:00.500Z', { version: 'v3b' }));
    await s.append(row('component:default/checkout-api-2', '2026-12-01T11:00:00.000Z', { version: 'prefix' }));

    const all = await s.listForEntity(A);
    expect(all.map(r => r.version)).toEqual(['v3b', 'v3', 'v2', 'v1']);
    expect(all.map(r => r.id)).toEqual([t3b, t3, t2, t1]);
    expect(all.map(r => r.decidedAt)).toEqual([
      '2026-12-01T10:03:00.500Z',
      '2026-12-01T10:03:00.500Z',
      '2026-12-01T10:02:00.000Z',
      '2026-12-01T10:01:00.000Z',
    ]);
    expect(all.every(r => r.entityRef === A)).toBe(true);
    expect((await s.listForEntity(A, 2)).map(r => r.version)).toEqual(['v3b', 'v3']);
    expect((await s.listForEntity(B)).map(r => r.version)).toEqual(['other']);
    expect(await s.listForEntity('component:default/never')).toEqual([]);
  }, 60_000);

  it('keeps the default limit at 20', async () => {
    const { store: s } = await store();
    for (let i = 0; i < 23; i++) {
      await s.append(row(A, new Date(Date.UTC(2026, 11, 1, 10, i)).toISOString(), { version: `v${i}` }));
    }
    const listed = await s.listForEntity(A);
    expect(listed).toHaveLength(20);
    expect(listed[0].version).toBe('v22');
    expect(listed[19].version).toBe('v3');
  }, 60_000);

  it('round-trips the labels, the nullable fields and the whole decision as JSON', async () => {
    const { store: s, knex: db } = await store();
    const blocked = decision('block', {
      reasons: ['tier-1-default/block-below: error budget below 10 %', 'budgets are stale (last measured 2026-12-01T09:59:00.000Z)'],
      stale: true,
      notify: ['p/notify-rule: tell #deploys'],
    });
    const full = row(A, '2026-12-01T10:00:00.000Z', {
      principal: 'service:external:ci',
      commit: '0123456789abcdef0123456789abcdef01234567',
      environment: 'production',
      labels: ['hotfix', 'Rollback', 'with space', 'ünï'],
      decision: blocked,
    });
    const fullId = await s.append(full);
    const bare = await s.append(row(A, '2026-12-01T09:00:00.000Z'));

    const [first, second] = await s.listForEntity(A);
    expect(first).toEqual({ id: fullId, ...full });
    // A deep copy, not the object that went in.
    expect(first.decision).not.toBe(blocked);
    expect(second).toEqual({ id: bare, ...row(A, '2026-12-01T09:00:00.000Z') });
    expect(second.labels).toEqual([]);
    expect(second.commit).toBeNull();
    expect(second.environment).toBeNull();

    // The columns a query would filter on hold the verdict, exit code and policy hashes.
    const raw = await db('nthlayer_gate_decisions').where({ id: fullId }).first();
    expect(raw.verdict).toBe('block');
    expect(Number(raw.exit_code)).toBe(2);
    expect(JSON.parse(raw.policy_hashes)).toEqual(['{"blockingPercent":10,"warningPercent":20}', 'a'.repeat(64)]);
  }, 60_000);
});
