import { BurnBucket, BurnEpisodeWithBuckets } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';

const EPISODES = 'nthlayer_burn_episodes';
const CURSORS = 'nthlayer_ledger_cursors';
const BATCH_SIZE = 500;

/** A stored burn episode of one entity. */
export interface StoredEpisode extends BurnEpisodeWithBuckets {
  entityRef: string;
}

/** Key of one SLO of one entity. */
export function ledgerKey(entityRef: string, sloName: string): string {
  return `${entityRef}\u0000${sloName}`;
}

/** PostgreSQL answers Dates, SQLite the milliseconds it stored. */
function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

function toEpisode(r: any): StoredEpisode {
  const buckets: BurnBucket[] = (JSON.parse(r.buckets) as Array<[number, number, number]>).map(([end, good, total]) => ({
    end,
    good,
    total,
  }));
  return {
    entityRef: r.entity_ref,
    sloName: r.slo_name,
    start: new Date(toMs(r.start)).toISOString(),
    end: new Date(toMs(r.end)).toISOString(),
    ongoing: Boolean(r.ongoing),
    badEvents: Number(r.bad_events),
    totalEvents: Number(r.total_events),
    peakBurnRate: Number(r.peak_burn_rate),
    buckets,
  };
}

/** Burn episodes and the ledger's read cursors (SQLite or PostgreSQL). */
export class LedgerStore {
  constructor(private readonly db: Knex) {}

  /** Per entity and SLO (`ledgerKey`), the end (ms) of the newest bucket read. */
  async cursors(entityRefs: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < entityRefs.length; i += BATCH_SIZE) {
      const rows = await this.db(CURSORS).whereIn('entity_ref', entityRefs.slice(i, i + BATCH_SIZE));
      for (const r of rows) out.set(ledgerKey(r.entity_ref, r.slo_name), toMs(r.bucket_end));
    }
    return out;
  }

  /** The episodes still going on at the last read, by `ledgerKey`. */
  async openEpisodes(entityRefs: string[]): Promise<Map<string, StoredEpisode>> {
    const out = new Map<string, StoredEpisode>();
    for (let i = 0; i < entityRefs.length; i += BATCH_SIZE) {
      const rows = await this.db(EPISODES)
        .whereIn('entity_ref', entityRefs.slice(i, i + BATCH_SIZE))
        .andWhere('ongoing', true);
      for (const r of rows) out.set(ledgerKey(r.entity_ref, r.slo_name), toEpisode(r));
    }
    return out;
  }

  /**
   * Writes what one read found for an SLO, in one transaction: the open episode it continued
   * (by its start) is replaced by the episodes found, and the cursor moves to `cursor`.
   */
  async advance(
    entityRef: string,
    sloName: string,
    update: { replacesOpenStart: string | null; episodes: BurnEpisodeWithBuckets[]; cursor: number },
  ): Promise<void> {
    await this.db.transaction(async tx => {
      if (update.replacesOpenStart) {
        await tx(EPISODES).where({ entity_ref: entityRef, slo_name: sloName, start: new Date(update.replacesOpenStart) }).delete();
      }
      for (let i = 0; i < update.episodes.length; i += BATCH_SIZE) {
        const rows = update.episodes.slice(i, i + BATCH_SIZE).map(e => ({
          entity_ref: entityRef,
          slo_name: sloName,
          start: new Date(e.start),
          end: new Date(e.end),
          ongoing: e.ongoing,
          bad_events: e.badEvents,
          total_events: e.totalEvents,
          peak_burn_rate: e.peakBurnRate,
          buckets: JSON.stringify(e.buckets.map(b => [b.end, b.good, b.total])),
        }));
        await tx(EPISODES)
          .insert(rows)
          .onConflict(['entity_ref', 'slo_name', 'start'])
          .merge(['end', 'ongoing', 'bad_events', 'total_events', 'peak_burn_rate', 'buckets']);
      }
      await tx(CURSORS)
        .insert({ entity_ref: entityRef, slo_name: sloName, bucket_end: new Date(update.cursor) })
        .onConflict(['entity_ref', 'slo_name'])
        .merge(['bucket_end']);
    });
  }

  /** Episodes of these entities that end after `from`, oldest first. */
  async episodesFor(entityRefs: string[], from: Date): Promise<StoredEpisode[]> {
    const out: StoredEpisode[] = [];
    for (let i = 0; i < entityRefs.length; i += BATCH_SIZE) {
      const rows = await this.db(EPISODES)
        .whereIn('entity_ref', entityRefs.slice(i, i + BATCH_SIZE))
        .andWhere('end', '>', from)
        .orderBy('start', 'asc');
      out.push(...rows.map(toEpisode));
    }
    return out.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  /** Retention: deletes episodes that ended before `before`; returns how many. */
  async deleteEndedBefore(before: Date): Promise<number> {
    return this.db(EPISODES).where('end', '<', before).andWhere('ongoing', false).delete();
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db(EPISODES).count({ n: '*' });
    return Number(n);
  }
}
