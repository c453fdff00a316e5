import { DependencyGraphData, PortfolioServiceInput, ScoreHistoryPoint } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';

const SNAPSHOT = 'nthlayer_reliability_snapshot';
const SCORES = 'nthlayer_scores_daily';
const LATEST = 'latest';
const BATCH_SIZE = 500;

/** What the reliability task stores: the graph and each service's portfolio input. */
export interface ReliabilitySnapshotData {
  graph: DependencyGraphData;
  services: PortfolioServiceInput[];
  /** Services whose input could not be read, with why. */
  errors: Array<{ entityRef: string; error: string }>;
}

/** @internal */
export interface ReliabilitySnapshot {
  builtAt: string;
  data: ReliabilitySnapshotData;
}

function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Stores the latest reliability snapshot and the daily scores (SQLite or PostgreSQL via knex). */
export class ReliabilityStore {
  constructor(private readonly db: Knex) {}

  async saveSnapshot(builtAt: Date, data: ReliabilitySnapshotData): Promise<void> {
    await this.db(SNAPSHOT)
      .insert({ id: LATEST, built_at: builtAt, data: JSON.stringify(data) })
      .onConflict('id')
      .merge();
  }

  /** When the stored snapshot was built, without reading it. */
  async builtAt(): Promise<string | undefined> {
    const row = await this.db(SNAPSHOT).where({ id: LATEST }).first('built_at');
    return row ? toIso(row.built_at) : undefined;
  }

  async loadSnapshot(): Promise<ReliabilitySnapshot | undefined> {
    const row = await this.db(SNAPSHOT).where({ id: LATEST }).first('built_at', 'data');
    if (!row) return undefined;
    return { builtAt: toIso(row.built_at), data: JSON.parse(row.data) };
  }

  /** Inserts or replaces the scores of one day (`YYYY-MM-DD`). */
  async upsertScores(day: string, scores: Array<{ ref: string; score: number | null }>): Promise<void> {
    const sorted = [...scores].sort((a, b) => Number(a.ref > b.ref) - Number(a.ref < b.ref));
    for (let i = 0; i < sorted.length; i += BATCH_SIZE) {
      await this.db(SCORES)
        .insert(sorted.slice(i, i + BATCH_SIZE).map(s => ({ day, ref: s.ref, score: s.score })))
        .onConflict(['day', 'ref'])
        .merge();
    }
  }

  /** Every stored score of one day, by ref. */
  async scoresOn(day: string): Promise<Map<string, number | null>> {
    const rows = await this.db(SCORES).where({ day }).select('ref', 'score');
    return new Map(rows.map(r => [r.ref as string, r.score === null ? null : Number(r.score)]));
  }

  /** One ref's daily scores from `fromDay` on, oldest first. */
  async history(ref: string, fromDay: string): Promise<ScoreHistoryPoint[]> {
    const rows = await this.db(SCORES).where({ ref }).andWhere('day', '>=', fromDay).orderBy('day').select('day', 'score');
    return rows.map(r => ({ day: r.day, score: r.score === null ? null : Number(r.score) }));
  }

  async deleteScoresBefore(day: string): Promise<number> {
    return this.db(SCORES).where('day', '<', day).delete();
  }
}
