import { Knex } from 'knex';

const TABLE = 'nthlayer_slo_snapshots';
const BATCH_SIZE = 500;

/** One point of budget history: event counts over the SLO window at a time. */
export interface Snapshot {
  entityRef: string;
  sloName: string;
  /** windowKey, e.g. `30d`. */
  window: string;
  windowMinutes: number;
  thresholdMs: number | null;
  time: Date;
  goodEvents: number;
  totalEvents: number;
  source: 'refresh' | 'backfill';
}

/** What a budget point needs of a snapshot: its time, counts and budget period. */
export type ThinnedSnapshot = Pick<Snapshot, 'time' | 'windowMinutes' | 'goodEvents' | 'totalEvents'>;

const THINNED_COLUMNS = ['time', 'good_events', 'total_events', 'window_minutes'] as const;
const KEY_COLUMNS = ['entity_ref', 'slo_name', 'window'] as const;
/** Entities per query of `listThinnedMany` (their SLOs' keys are bound as parameters). */
const MANY_ENTITIES = 250;

/** The SLO and window a snapshot belongs to. */
export interface SnapshotKey {
  entityRef: string;
  sloName: string;
  /** windowKey, e.g. `30d`. */
  window: string;
}

/** A range of history thinned to one snapshot per step, at most `maxRows` of them. */
export interface ThinningRange {
  from: Date;
  to: Date;
  stepSeconds: number;
  maxRows: number;
}

function toThinned(r: ThinnedRow): ThinnedSnapshot {
  return {
    time: r.time instanceof Date ? r.time : new Date(r.time),
    windowMinutes: Number(r.window_minutes),
    goodEvents: Number(r.good_events),
    totalEvents: Number(r.total_events),
  };
}

interface ThinnedRow {
  entity_ref?: string;
  slo_name?: string;
  window?: string;
  time: Date | string | number;
  good_events: number | string;
  total_events: number | string;
  window_minutes: number | string;
}

interface DbRow {
  entity_ref: string;
  slo_name: string;
  window: string;
  window_minutes: number;
  threshold_ms: number | null;
  time: Date | string;
  good_events: number;
  total_events: number;
  source: string;
}

/** Append-only budget history. Snapshots are never updated; retention deletes old ones. */
export class SnapshotStore {
  constructor(private readonly db: Knex) {}

  /**
   * Appends snapshots in batches; a snapshot for the same SLO, window and time that already
   * exists (another replica wrote it) is left as it is.
   */
  async append(snapshots: Snapshot[]): Promise<void> {
    // In the unique key's order: two writers inserting overlapping rows then take the
    // index locks in the same order, so one waits instead of both deadlocking (PostgreSQL).
    const sorted = [...snapshots].sort(compareKeys);
    for (let i = 0; i < sorted.length; i += BATCH_SIZE) {
      const batch = sorted.slice(i, i + BATCH_SIZE).map(s => ({
        entity_ref: s.entityRef,
        slo_name: s.sloName,
        window: s.window,
        window_minutes: s.windowMinutes,
        threshold_ms: s.thresholdMs,
        time: s.time,
        good_events: s.goodEvents,
        total_events: s.totalEvents,
        source: s.source,
      }));
      await this.db(TABLE)
        .insert(batch)
        .onConflict(['entity_ref', 'slo_name', 'window', 'time'])
        .ignore();
    }
  }

  /** Total number of snapshots (for tests and benchmarks). */
  async count(): Promise<number> {
    const [{ n }] = await this.db(TABLE).count({ n: '*' });
    return Number(n);
  }

  /** Which (entityRef, sloName, window) keys of these entities have backfilled history. */
  async backfilledKeys(entityRefs: string[]): Promise<Set<string>> {
    const keys = new Set<string>();
    for (let i = 0; i < entityRefs.length; i += BATCH_SIZE) {
      const rows: Array<{ entity_ref: string; slo_name: string; window: string }> = await this.db(
        TABLE,
      )
        .distinct('entity_ref', 'slo_name', 'window')
        .where('source', 'backfill')
        .whereIn('entity_ref', entityRefs.slice(i, i + BATCH_SIZE));
      for (const r of rows) keys.add(snapshotKey(r.entity_ref, r.slo_name, r.window));
    }
    return keys;
  }

  async list(query: {
    entityRef: string;
    sloName: string;
    window: string;
    from: Date;
    to: Date;
  }): Promise<Snapshot[]> {
    const rows: DbRow[] = await this.db(TABLE)
      .where({ entity_ref: query.entityRef, slo_name: query.sloName, window: query.window })
      .andWhere('time', '>=', query.from)
      .andWhere('time', '<=', query.to)
      .orderBy('time', 'asc');
    return rows.map(toSnapshot);
  }

  /**
   * The last snapshot of each `stepSeconds`-long bucket (buckets counted from the Unix
   * epoch) in [from, to], oldest first, thinned by the database: at most `maxRows` rows
   * (the newest) leave it, however many snapshots the range holds. Only the columns a
   * budget point needs are read, all from the covering index `nthlayer_slo_snapshots_thinning`.
   */
  async listThinned(query: SnapshotKey & ThinningRange): Promise<ThinnedSnapshot[]> {
    const key = { entity_ref: query.entityRef, slo_name: query.sloName, window: query.window };
    const rows = await this.#thinnedRows(q => q.where(key), query, [])
      .orderBy('time', 'desc')
      .limit(query.maxRows);
    // Newest first in the database, so a cut by maxRows drops the oldest points.
    return rows.reverse().map(toThinned);
  }

  /**
   * {@link SnapshotStore.listThinned} for many SLOs at once: one query per few hundred
   * entities instead of one per SLO (the drift task reads every SLO's trend). Each SLO's
   * list is thinned and bounded exactly as `listThinned` would; an SLO without history in
   * the range gets an empty list. Keyed by {@link snapshotKey}.
   */
  async listThinnedMany(keys: SnapshotKey[], range: ThinningRange): Promise<Map<string, ThinnedSnapshot[]>> {
    const out = new Map<string, ThinnedSnapshot[]>(keys.map(k => [snapshotKey(k.entityRef, k.sloName, k.window), []]));
    const byEntity = new Map<string, SnapshotKey[]>();
    for (const k of keys) {
      const ofEntity = byEntity.get(k.entityRef);
      if (ofEntity) ofEntity.push(k);
      else byEntity.set(k.entityRef, [k]);
    }
    const refs = [...byEntity.keys()];
    for (let i = 0; i < refs.length; i += MANY_ENTITIES) {
      const chunk = refs.slice(i, i + MANY_ENTITIES);
      const wanted = chunk.flatMap(ref => byEntity.get(ref)!);
      // The three IN lists select a superset (another entity's SLO name): the index is read
      // per combination, and rows of keys not asked for are dropped below.
      const rows = await this.#thinnedRows(
        q =>
          q
            .whereIn('entity_ref', chunk)
            .whereIn('slo_name', [...new Set(wanted.map(k => k.sloName))])
            .whereIn('window', [...new Set(wanted.map(k => k.window))]),
        range,
        KEY_COLUMNS,
      ).orderBy([...KEY_COLUMNS, 'time']);
      for (const row of rows) {
        out.get(snapshotKey(row.entity_ref!, row.slo_name!, row.window!))?.push(toThinned(row));
      }
    }
    for (const [k, list] of out) if (list.length > range.maxRows) out.set(k, list.slice(-range.maxRows));
    return out;
  }

  /**
   * The last snapshot of each bucket (and, per `keyColumns`, of each SLO) among the rows
   * `filter` selects in the range.
   */
  #thinnedRows(filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder, range: ThinningRange, keyColumns: readonly string[]) {
    const step = Math.floor(range.stepSeconds);
    if (!(step >= 1)) throw new Error(`stepSeconds must be at least 1, got ${range.stepSeconds}`);
    const inRange = (q: Knex.QueryBuilder) => filter(q).andWhere('time', '>=', range.from).andWhere('time', '<=', range.to);
    if (this.#isSqlite()) {
      // SQLite stores times as Unix milliseconds (integers): integer division. The divisor is
      // cast because better-sqlite3 binds every JS number as a REAL, and INTEGER / REAL divides
      // exactly (one bucket per snapshot, no thinning at all). With max(), SQLite takes the other
      // (bare) columns from the row holding the maximum: the last snapshot of each bucket, in
      // one grouped pass (about a third of the window function's time, measured).
      return inRange(
        this.db(TABLE).select(
          this.db.raw('max(??) as ??', ['time', 'time']),
          ...keyColumns,
          ...THINNED_COLUMNS.filter(c => c !== 'time'),
        ),
      ).groupBy([...keyColumns, this.db.raw('?? / cast(? as integer)', ['time', step * 1000])]) as Knex.QueryBuilder<
        any,
        ThinnedRow[]
      >;
    }
    // One pass over the range, ranked within each bucket, newest first. (A join of the rows
    // with their buckets' max(time) ran as a nested loop, rows × buckets, whenever
    // PostgreSQL's statistics were older than the history, e.g. right after a backfill.)
    const partition = [...keyColumns.map(() => '??'), 'floor(extract(epoch from ??) / ?)'].join(', ');
    const ranked = inRange(
      this.db(TABLE).select(
        ...THINNED_COLUMNS,
        ...keyColumns,
        this.db.raw(`row_number() over (partition by ${partition} order by ?? desc) as nthlayer_rank`, [
          ...keyColumns,
          'time',
          step,
          'time',
        ]),
      ),
    );
    return this.db
      .from(ranked.as('ranked'))
      .select(...THINNED_COLUMNS, ...keyColumns)
      .where('nthlayer_rank', 1) as Knex.QueryBuilder<any, ThinnedRow[]>;
  }

  #isSqlite(): boolean {
    return String(this.db.client.config.client).includes('sqlite');
  }

  /** Deletes snapshots older than `before` (retention). Returns the number deleted. */
  async deleteOlderThan(before: Date): Promise<number> {
    return this.db(TABLE).where('time', '<', before).delete();
  }
}

function compareKeys(a: Snapshot, b: Snapshot): number {
  const text = (x: string, y: string) => Number(x > y) - Number(x < y);
  return (
    text(a.entityRef, b.entityRef) ||
    text(a.sloName, b.sloName) ||
    text(a.window, b.window) ||
    a.time.getTime() - b.time.getTime()
  );
}

function toSnapshot(r: DbRow): Snapshot {
  return {
    entityRef: r.entity_ref,
    sloName: r.slo_name,
    window: r.window,
    windowMinutes: Number(r.window_minutes),
    thresholdMs: r.threshold_ms === null ? null : Number(r.threshold_ms),
    time: r.time instanceof Date ? r.time : new Date(r.time),
    goodEvents: Number(r.good_events),
    totalEvents: Number(r.total_events),
    source: r.source as Snapshot['source'],
  };
}

/** Key of one SLO's history. */
export function snapshotKey(entityRef: string, sloName: string, window: string): string {
  return `${entityRef}\u0000${sloName}\u0000${window}`;
}
