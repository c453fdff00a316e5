import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { availabilityMeasurement } from '../__testUtils__/measurements';
import { MeasurementRow } from './MeasurementStore';
import { createNthlayerDatabase } from './NthlayerDatabase';

// SQLite always; PostgreSQL 15 when scripts/test-all.sh has started one (it always does,
// and sets NTHLAYER_REQUIRE_POSTGRES=1 so that a missing server fails instead of skipping).
const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

const row = (entityRef: string, good: number | null, stale = false): MeasurementRow =>
  availabilityMeasurement(entityRef, { good, total: good === null ? null : 1000 }, {
    shortWindows: good === null ? [] : [{ window: '1h', goodEvents: good / 10, totalEvents: 100 }],
    measuredAt: good === null ? null : '2026-11-23T10:00:00.000Z',
    stale,
    error: stale ? 'down' : null,
  });

describe('MeasurementStore', () => {
  it('runs on PostgreSQL in the full test run', () => {
    const required = process.env.NTHLAYER_REQUIRE_POSTGRES === '1' ? 'POSTGRES_15' : 'SQLITE_3';
    expect(databases.eachSupportedId().map(([id]) => id)).toContain(required);
  });

  it.each(databases.eachSupportedId())('upserts, reads back and marks stale on %p', async id => {
    const knex = await databases.init(id);
    const { measurements: store } = await createNthlayerDatabase({
      database: { getClient: async () => knex },
    });
    const t1 = new Date('2026-11-23T10:00:00Z');
    const rows = Array.from({ length: 1203 }, (_, i) => row(`component:default/svc-${i}`, 990));
    await store.upsert(rows, t1);
    expect(await store.count()).toBe(1203);

    // Upsert replaces, never duplicates.
    await store.upsert([row('component:default/svc-7', 995)], t1);
    expect(await store.count()).toBe(1203);
    const [svc7] = await store.listForEntity('component:default/svc-7');
    expect(svc7).toMatchObject({
      goodEvents: 995,
      totalEvents: 1000,
      windowMinutes: 43200,
      shortWindows: [{ window: '1h', goodEvents: 99.5, totalEvents: 100 }],
      stale: false,
      error: null,
      measuredAt: '2026-11-23T10:00:00.000Z',
    });

    // Stale keeps numbers; an SLO never measured gets a row without numbers.
    await store.markStale(
      [
        { entityRef: 'component:default/svc-7', sloName: 'availability', sloKind: 'availability', window: '30d', windowMinutes: 43200, thresholdMs: null },
        { entityRef: 'component:default/new', sloName: 'latency', sloKind: 'latency', window: '30d', windowMinutes: 43200, thresholdMs: 500 },
      ],
      'Prometheus at http://x is unreachable',
      new Date('2026-11-23T11:00:00Z'),
    );
    const [after] = await store.listForEntity('component:default/svc-7');
    expect(after).toMatchObject({ goodEvents: 995, stale: true, error: 'Prometheus at http://x is unreachable', measuredAt: '2026-11-23T10:00:00.000Z' });
    const [fresh] = await store.listForEntity('component:default/new');
    expect(fresh).toMatchObject({ goodEvents: null, totalEvents: null, measuredAt: null, stale: true, thresholdMs: 500 });
    expect(await store.count()).toBe(1204);

    // A later success clears staleness.
    await store.upsert([row('component:default/svc-7', 999)], new Date('2026-11-23T12:00:00Z'));
    const [recovered] = await store.listForEntity('component:default/svc-7');
    expect(recovered).toMatchObject({ goodEvents: 999, stale: false, error: null });
  }, 60_000);
});
