import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { IncidentInput, IncidentStore } from './IncidentStore';
import { createNthlayerDatabase } from './NthlayerDatabase';

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

const A = 'component:default/checkout-api';
const B = 'component:default/payment-api';
const NOW = new Date('2026-12-03T10:00:00.000Z');
const at = (minutes: number) =>
  new Date(NOW.getTime() + minutes * 60_000).toISOString();

describe.each(databases.eachSupportedId())('IncidentStore on %p', id => {
  async function open() {
    const knex = await databases.init(id);
    // Runs the plugin's migrations (nthlayer_incidents, nthlayer_webhook_deliveries).
    await createNthlayerDatabase({ database: { getClient: async () => knex } });
    return new IncidentStore(knex);
  }
  const incident = (overrides: Partial<IncidentInput> = {}): IncidentInput => ({
    id: 'PINC001',
    entityRef: A,
    serviceId: 'PSVC001',
    number: 1234,
    title: 'Checkout latency high — “p99”',
    status: 'triggered',
    urgency: 'high',
    priority: 'P1',
    url: 'https://acme.pagerduty.com/incidents/PINC001',
    createdAt: at(0),
    updatedAt: at(0),
    source: 'webhook',
    ...overrides,
  });

  it('inserts an incident and reads it back', async () => {
    const s = await open();
    expect(await s.upsert(incident())).toBe('inserted');
    expect(await s.get('PINC001')).toEqual({
      id: 'PINC001',
      entityRef: A,
      serviceId: 'PSVC001',
      number: '1234',
      title: 'Checkout latency high — “p99”',
      status: 'triggered',
      urgency: 'high',
      priority: 'P1',
      url: 'https://acme.pagerduty.com/incidents/PINC001',
      createdAt: at(0),
      resolvedAt: null,
      updatedAt: at(0),
      source: 'webhook',
    });
    expect(await s.get('PNOPE')).toBeUndefined();
  }, 60_000);

  it('keeps the latest information: a later updatedAt wins, an older or equal one is stale', async () => {
    const s = await open();
    await s.upsert(incident());
    expect(
      await s.upsert(incident({ status: 'acknowledged', updatedAt: at(5) })),
    ).toBe('updated');
    // A delayed delivery of an older state.
    expect(
      await s.upsert(
        incident({ status: 'triggered', updatedAt: at(2), priority: 'P3' }),
      ),
    ).toBe('stale');
    // The same delivery again.
    expect(
      await s.upsert(incident({ status: 'acknowledged', updatedAt: at(5) })),
    ).toBe('stale');
    expect(await s.get('PINC001')).toMatchObject({
      status: 'acknowledged',
      priority: 'P1',
      updatedAt: at(5),
    });
  }, 60_000);

  it('never loses resolved_at or the entity', async () => {
    const s = await open();
    await s.upsert(incident({ entityRef: null }));
    expect(
      await s.upsert(
        incident({ status: 'resolved', resolvedAt: at(30), updatedAt: at(30) }),
      ),
    ).toBe('updated');
    // A later poll that does not know when it was resolved, nor the entity.
    await s.upsert(
      incident({
        status: 'resolved',
        resolvedAt: null,
        entityRef: null,
        updatedAt: at(40),
        source: 'poll',
      }),
    );
    expect(await s.get('PINC001')).toMatchObject({
      status: 'resolved',
      resolvedAt: at(30),
      entityRef: A,
      source: 'poll',
    });

    // Out of order: the reopening arrives before the resolution that preceded it.
    await s.upsert(
      incident({ id: 'PINC002', entityRef: null, updatedAt: at(0) }),
    );
    await s.upsert(
      incident({
        id: 'PINC002',
        entityRef: null,
        status: 'triggered',
        updatedAt: at(20),
      }),
    );
    expect(
      await s.upsert(
        incident({
          id: 'PINC002',
          status: 'resolved',
          resolvedAt: at(10),
          updatedAt: at(10),
        }),
      ),
    ).toBe('stale');
    expect(await s.get('PINC002')).toMatchObject({
      status: 'triggered',
      resolvedAt: at(10),
      entityRef: A,
      updatedAt: at(20),
    });
  }, 60_000);

  it('lists, counts open incidents and counts incidents since a time, per entity', async () => {
    const s = await open();
    await s.upsert(
      incident({
        id: 'P1',
        createdAt: at(-300),
        updatedAt: at(-200),
        status: 'resolved',
        resolvedAt: at(-200),
      }),
    );
    await s.upsert(
      incident({
        id: 'P2',
        createdAt: at(-120),
        updatedAt: at(-120),
        status: 'acknowledged',
      }),
    );
    await s.upsert(
      incident({ id: 'P3', createdAt: at(-60), updatedAt: at(-60) }),
    );
    await s.upsert(
      incident({
        id: 'P4',
        createdAt: at(-30),
        updatedAt: at(-10),
        status: 'resolved',
        resolvedAt: at(-10),
      }),
    );
    await s.upsert(
      incident({ id: 'P5', createdAt: at(-5), updatedAt: at(-5) }),
    );
    await s.upsert(
      incident({
        id: 'PB1',
        entityRef: B,
        createdAt: at(-5),
        updatedAt: at(-5),
      }),
    );

    expect((await s.listForEntity(A)).map(i => i.id)).toEqual([
      'P5',
      'P4',
      'P3',
      'P2',
      'P1',
    ]);
    // [from, to): from -120 inclusive, to -5 exclusive.
    expect(
      (
        await s.listForEntity(A, {
          from: new Date(at(-120)),
          to: new Date(at(-5)),
        })
      ).map(i => i.id),
    ).toEqual(['P4', 'P3', 'P2']);
    expect((await s.listForEntity(A, { limit: 2 })).map(i => i.id)).toEqual([
      'P5',
      'P4',
    ]);
    expect((await s.listForEntity(B)).map(i => i.id)).toEqual(['PB1']);
    // Open: P2 (acknowledged), P3 and P5 (triggered).
    expect(await s.openCount(A)).toBe(3);
    expect(await s.openCount(B)).toBe(1);
    expect(await s.openCount('component:default/unknown')).toBe(0);
    // Created at or after -60: P3, P4, P5.
    expect(await s.countSince(A, new Date(at(-60)))).toBe(3);
    expect(await s.countSince(A, new Date(at(-1000)))).toBe(5);
    expect(await s.countSince(A, new Date(at(1)))).toBe(0);
  }, 60_000);

  it('records a webhook delivery once: a replay is recognised', async () => {
    const s = await open();
    expect(
      await s.recordDelivery('01DEN7Q6FJXQ4MYGMK2X9RRQ7N', new Date(at(0))),
    ).toBe(true);
    expect(
      await s.recordDelivery('01DEN7Q6FJXQ4MYGMK2X9RRQ7N', new Date(at(1))),
    ).toBe(false);
    const concurrent = await Promise.all([
      s.recordDelivery('E2', new Date(at(2))),
      s.recordDelivery('E2', new Date(at(2))),
    ]);
    expect(concurrent.filter(Boolean)).toHaveLength(1);
    await s.recordDelivery('E3', new Date(at(10)));
    // Received before +5: the first event and E2.
    expect(await s.pruneDeliveries(new Date(at(5)))).toBe(2);
    expect(await s.recordDelivery('E2', new Date(at(11)))).toBe(true);
    expect(await s.recordDelivery('E3', new Date(at(11)))).toBe(false);
  }, 60_000);
});
