import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { createNthlayerDatabase } from './NthlayerDatabase';
import { Snapshot, ThinnedSnapshot, snapshotKey } from './SnapshotStore';
import { lastPerStep, seededRandom as random } from '../__testUtils__/snapshots';

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names
// a server (scripts/test-all.sh starts one; NTHLAYER_REQUIRE_POSTGRES=1 makes it mandatory).
const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

const ENTITY = 'component:default/checkout-api';
const KEY = { entityRef: ENTITY, sloName: 'availability', window: '30d' };

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);

/**
 * About 3,000 snapshots of one SLO at irregular times, to the millisecond: gaps from 1 ms
 * to 40 minutes, with some exactly on and 1 ms before hour boundaries (bucket edges of
 * every step that divides 3,600 s).
 */
function ourSnapshots(): Snapshot[] {
  const next = random(42);
  const times: number[] = [];
  let t = T0 + 12_345;
  while (times.length < 3000) {
    const r = next();
    if (r < 0.05) {
      // Exactly on the next hour, then 1 ms before the one after.
      const hour = Math.ceil((t + 1) / 3_600_000) * 3_600_000;
      times.push(hour, hour + 3_600_000 - 1);
      t = hour + 3_600_000 - 1;
    } else if (r < 0.1) {
      t += 1 + Math.floor(next() * 999); // bursts within one second
      times.push(t);
    } else {
      t += Math.floor(next() * 40 * 60_000) + 1;
      times.push(t);
    }
  }
  return times.map((time, i): Snapshot => ({
    ...KEY,
    windowMinutes: 43200,
    thresholdMs: null,
    time: new Date(time),
    goodEvents: 1_000_000 + i * 7.25,
    totalEvents: 1_000_100 + i * 7.5,
    source: i % 3 === 0 ? 'backfill' : 'refresh',
  }));
}

/** Rows that must never appear: another SLO, another window, another entity; later in the same buckets. */
function otherSnapshots(ours: Snapshot[]): Snapshot[] {
  const others: Snapshot[] = [];
  ours.forEach((s, i) => {
    if (i % 2) return;
    const time = new Date(s.time.getTime() + 1);
    const base = { windowMinutes: 43200, thresholdMs: null, time, goodEvents: -1, totalEvents: -1, source: 'refresh' as const };
    others.push(
      { ...base, entityRef: ENTITY, sloName: 'latency', window: '30d', thresholdMs: 500 },
      { ...base, entityRef: ENTITY, sloName: 'availability', window: '7d', windowMinutes: 10080 },
      { ...base, entityRef: 'component:default/other-api', sloName: 'availability', window: '30d' },
    );
  });
  // And some past the end of ours, which would be the last of a bucket if they counted.
  const last = ours[ours.length - 1].time.getTime();
  for (let k = 1; k <= 50; k++) {
    others.push({
      entityRef: 'component:default/other-api',
      ...{ sloName: 'availability', window: '30d', windowMinutes: 43200, thresholdMs: null },
      time: new Date(last + k * 61_000),
      goodEvents: -2,
      totalEvents: -2,
      source: 'refresh',
    });
  }
  return others;
}

/** What listThinned gives of a snapshot. */
const thinned = ({ time, windowMinutes, goodEvents, totalEvents }: ThinnedSnapshot) => ({ time, windowMinutes, goodEvents, totalEvents });

/** The reference thinning of our SLO's snapshots (the other keys filtered out first). */
function reference(all: Snapshot[], query: { from: Date; to: Date; stepSeconds: number }) {
  const ours = all.filter(s => s.entityRef === KEY.entityRef && s.sloName === KEY.sloName && s.window === KEY.window);
  return lastPerStep(ours, query).map(thinned);
}

describe('SnapshotStore.listThinned', () => {
  it('runs on PostgreSQL in the full test run', () => {
    const required = process.env.NTHLAYER_REQUIRE_POSTGRES === '1' ? 'POSTGRES_15' : 'SQLITE_3';
    expect(databases.eachSupportedId().map(([id]) => id)).toContain(required);
  });

  it('reads a thinned range from the covering index alone on SQLite (no table rows)', async () => {
    const knex = await databases.init('SQLITE_3');
    const { snapshots: store } = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const plans: string[] = [];
    knex.on('query', async (q: { sql: string; bindings: unknown[] }) => {
      if (!q.sql.startsWith('select max(')) return;
      const rows = await knex.raw(`explain query plan ${q.sql}`, q.bindings as any[]);
      plans.push(rows.map((r: { detail: string }) => r.detail).join(' | '));
    });
    await store.listThinned({ ...KEY, from: new Date(T0), to: new Date(T0 + 86_400_000), stepSeconds: 300, maxRows: 10 });
    await new Promise(r => setTimeout(r, 50));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatch(/USING COVERING INDEX nthlayer_slo_snapshots_thinning/);
  });

  it.each(databases.eachSupportedId())(
    'keeps the last snapshot of each step, in the range, bounded by maxRows, on %p',
    async id => {
      const knex = await databases.init(id);
      const { snapshots: store } = await createNthlayerDatabase({ database: { getClient: async () => knex } });
      const ours = ourSnapshots();
      const others = otherSnapshots(ours);
      // Inserted shuffled: the order of insertion must not matter.
      const shuffle = random(7);
      const rows = [...ours, ...others]
        .map(s => ({ s, k: shuffle() }))
        .sort((x, y) => x.k - y.k)
        .map(({ s }) => s);
      await store.append(rows);
      expect(await store.count()).toBe(ours.length + others.length);

      const first = ours[0].time;
      const last = ours[ours.length - 1].time;
      const span = (last.getTime() - first.getTime()) / 1000;
      // Sanity of the fixture: weeks of history, thousands of rows.
      expect(span).toBeGreaterThan(14 * 86400);
      const whole = { ...KEY, from: first, to: last, maxRows: 100_000 };

      for (const stepSeconds of [1, 7, 60, 300, 3600, 21_600, 86_400, 90.5]) {
        const expected = reference(ours, { ...whole, stepSeconds });
        const got = await store.listThinned({ ...whole, stepSeconds });
        expect({ stepSeconds, rows: got }).toEqual({ stepSeconds, rows: expected });
      }
      // Thinning thins: an hourly step of weeks of history leaves a few hundred rows.
      const hourly = await store.listThinned({ ...whole, stepSeconds: 3600 });
      expect(hourly.length).toBeLessThan(ours.length / 2);
      expect(hourly.length).toBeLessThanOrEqual(Math.floor(span / 3600) + 2);
      // Every step of 1 s keeps all but the bursts within one second.
      const perSecond = await store.listThinned({ ...whole, stepSeconds: 1 });
      expect(perSecond.length).toBeLessThan(ours.length);
      expect(perSecond.length).toBeGreaterThan(ours.length * 0.8);

      // maxRows bounds what leaves the database: the newest maxRows of the thinned rows.
      for (const maxRows of [1, 61, 250]) {
        const full = reference(ours, { ...whole, stepSeconds: 300 });
        expect(full.length).toBeGreaterThan(maxRows);
        const bounded = await store.listThinned({ ...whole, stepSeconds: 300, maxRows });
        expect(bounded).toEqual(full.slice(-maxRows));
      }

      // Both range bounds are inclusive: from = the last snapshot of its bucket, to = a
      // snapshot in the middle of its bucket (it becomes the last one in range).
      const hourlyAll = reference(ours, { ...whole, stepSeconds: 3600 });
      const fromSnapshot = hourlyAll[Math.floor(hourlyAll.length / 3)];
      const toIndex = ours.findIndex(
        (s, i) =>
          i > ours.length / 2 &&
          Math.floor(s.time.getTime() / 3_600_000) === Math.floor(ours[i + 1].time.getTime() / 3_600_000),
      );
      const toSnapshot = ours[toIndex];
      const range = { ...KEY, from: fromSnapshot.time, to: toSnapshot.time, stepSeconds: 3600, maxRows: 100_000 };
      const ranged = await store.listThinned(range);
      expect(ranged).toEqual(reference(ours, range));
      expect(ranged[0]).toEqual(thinned(fromSnapshot));
      expect(ranged[ranged.length - 1]).toEqual(thinned(toSnapshot));
      // 1 ms inside either bound leaves those two out.
      const inside = await store.listThinned({
        ...range,
        from: new Date(fromSnapshot.time.getTime() + 1),
        to: new Date(toSnapshot.time.getTime() - 1),
      });
      expect(inside).not.toContainEqual(thinned(fromSnapshot));
      expect(inside).not.toContainEqual(thinned(toSnapshot));
      expect(inside).toEqual(
        reference(ours, { ...range, from: new Date(fromSnapshot.time.getTime() + 1), to: new Date(toSnapshot.time.getTime() - 1) }),
      );

      // Nothing of the other keys: none of their counts, and an SLO without history is empty.
      expect(hourly.every(s => s.goodEvents >= 0)).toBe(true);
      expect(await store.listThinned({ ...whole, sloName: 'nope', stepSeconds: 60 })).toEqual([]);
      // A range before the history is empty.
      expect(
        await store.listThinned({ ...whole, from: new Date(T0 - 86_400_000), to: new Date(T0), stepSeconds: 60 }),
      ).toEqual([]);
      await expect(store.listThinned({ ...whole, stepSeconds: 0.5 })).rejects.toThrow(/stepSeconds must be at least 1/);
    },
    120_000,
  );
});

describe('SnapshotStore.listThinnedMany', () => {
  const OTHER_KEYS = [
    { entityRef: ENTITY, sloName: 'latency', window: '30d' },
    { entityRef: ENTITY, sloName: 'availability', window: '7d' },
    { entityRef: 'component:default/other-api', sloName: 'availability', window: '30d' },
  ];

  it.each(databases.eachSupportedId())('answers every key as listThinned does, in one query per chunk, on %p', async id => {
    const knex = await databases.init(id);
    const { snapshots: store } = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const ours = ourSnapshots();
    await store.append([...ours, ...otherSnapshots(ours)]);
    const range = { from: ours[0].time, to: ours[ours.length - 1].time, stepSeconds: 3600, maxRows: 100_000 };
    // Another entity's SLO name (latency) must not be answered for other-api, which has none.
    const none = { entityRef: 'component:default/other-api', sloName: 'latency', window: '30d' };
    const keys = [KEY, ...OTHER_KEYS, none];
    let selects = 0;
    const count = (q: { sql: string }) => {
      if (/^select/i.test(q.sql)) selects++;
    };
    knex.on('query', count);
    const many = await store.listThinnedMany(keys, range);
    knex.off('query', count);
    expect(selects).toBe(1);
    expect([...many.keys()]).toEqual(keys.map(k => snapshotKey(k.entityRef, k.sloName, k.window)));
    for (const k of keys) {
      const alone = await store.listThinned({ ...k, ...range });
      expect({ k, rows: many.get(snapshotKey(k.entityRef, k.sloName, k.window)) }).toEqual({ k, rows: alone });
    }
    // Ours against the reference thinning; the others have rows, the one without history none.
    expect(many.get(snapshotKey(KEY.entityRef, KEY.sloName, KEY.window))).toEqual(reference(ours, range));
    expect(many.get(snapshotKey(OTHER_KEYS[2].entityRef, OTHER_KEYS[2].sloName, OTHER_KEYS[2].window))!.length).toBeGreaterThan(0);
    expect(many.get(snapshotKey(none.entityRef, none.sloName, none.window))).toEqual([]);
    // maxRows keeps the newest rows of each list, as listThinned does.
    const bounded = await store.listThinnedMany(keys, { ...range, maxRows: 5 });
    for (const k of keys) {
      expect(bounded.get(snapshotKey(k.entityRef, k.sloName, k.window))).toEqual(await store.listThinned({ ...k, ...range, maxRows: 5 }));
    }
    await expect(store.listThinnedMany(keys, { ...range, stepSeconds: 0 })).rejects.toThrow(/stepSeconds must be at least 1/);
  }, 120_000);

  it('splits many entities into chunks and reads them from the covering index on SQLite', async () => {
    const knex = await databases.init('SQLITE_3');
    const { snapshots: store } = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const keys = Array.from({ length: 600 }, (_, i) => ({ entityRef: `component:default/svc-${i}`, sloName: i % 2 ? 'latency' : 'availability', window: '30d' }));
    await store.append(
      keys.map((k, i) => ({ ...k, windowMinutes: 43200, thresholdMs: null, time: new Date(T0 + i), goodEvents: i, totalEvents: i + 1, source: 'refresh' as const })),
    );
    const plans: string[] = [];
    knex.on('query', async (q: { sql: string; bindings: unknown[] }) => {
      if (!q.sql.startsWith('select max(')) return;
      const rows = await knex.raw(`explain query plan ${q.sql}`, q.bindings as any[]);
      plans.push(rows.map((r: { detail: string }) => r.detail).join(' | '));
    });
    const many = await store.listThinnedMany(keys, { from: new Date(T0), to: new Date(T0 + 86_400_000), stepSeconds: 3600, maxRows: 25 });
    await new Promise(r => setTimeout(r, 50));
    expect(plans).toHaveLength(3);
    for (const plan of plans) expect(plan).toMatch(/USING COVERING INDEX nthlayer_slo_snapshots_thinning/);
    keys.forEach((k, i) => {
      expect(many.get(snapshotKey(k.entityRef, k.sloName, k.window))).toEqual([{ time: new Date(T0 + i), windowMinutes: 43200, goodEvents: i, totalEvents: i + 1 }]);
    });
  });
});
