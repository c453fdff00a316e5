import { Knex } from 'knex';

const TABLE = 'nthlayer_refresh_state';

/** The shared state of one task, times in Unix milliseconds. */
export interface RefreshState {
  manualRequestedAt: number | null;
  succeededAt: number | null;
  /** The summary of the last successful refresh, as the engine returned it. */
  summary: unknown;
  failedAt: number | null;
  failure: string | null;
}

/** A manual refresh claim: granted, or refused with the milliseconds until the next one. */
export type ManualClaim =
  | { granted: true; release: () => Promise<void> }
  | { granted: false; retryAfterMs: number };

const toMs = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Task state shared by the replicas of one database (SQLite or PostgreSQL). The manual
 * refresh claim is one conditional UPDATE: of two replicas (or requests) claiming at once,
 * exactly one sees its row updated.
 */
export class RefreshStateStore {
  constructor(private readonly db: Knex) {}

  async #ensure(task: string): Promise<void> {
    await this.db(TABLE).insert({ task }).onConflict('task').ignore();
  }

  /** Claims a manual refresh unless one was claimed less than `minIntervalMs` before `now`. */
  async claimManual(task: string, now: number, minIntervalMs: number): Promise<ManualClaim> {
    await this.#ensure(task);
    const before = await this.db(TABLE).where({ task }).first('manual_requested_at');
    const updated = await this.db(TABLE)
      .where({ task })
      .andWhere(q =>
        q.whereNull('manual_requested_at').orWhere('manual_requested_at', '<=', now - minIntervalMs),
      )
      .update({ manual_requested_at: now });
    if (updated === 1) {
      const previous = toMs(before?.manual_requested_at);
      return {
        granted: true,
        // Gives the claim back (the refresh could not be started); only if it is still ours.
        release: async () => {
          await this.db(TABLE)
            .where({ task, manual_requested_at: now })
            .update({ manual_requested_at: previous });
        },
      };
    }
    const row = await this.db(TABLE).where({ task }).first('manual_requested_at');
    const last = toMs(row?.manual_requested_at) ?? now;
    return { granted: false, retryAfterMs: Math.max(0, last + minIntervalMs - now) };
  }

  async recordSuccess(task: string, at: number, summary: unknown): Promise<void> {
    await this.#ensure(task);
    await this.db(TABLE)
      .where({ task })
      .update({ succeeded_at: at, summary: JSON.stringify(summary) });
  }

  async recordFailure(task: string, at: number, failure: string): Promise<void> {
    await this.#ensure(task);
    await this.db(TABLE).where({ task }).update({ failed_at: at, failure });
  }

  async get(task: string): Promise<RefreshState> {
    const row = await this.db(TABLE).where({ task }).first();
    return {
      manualRequestedAt: toMs(row?.manual_requested_at),
      succeededAt: toMs(row?.succeeded_at),
      summary: row?.summary ? JSON.parse(row.summary) : null,
      failedAt: toMs(row?.failed_at),
      failure: row?.failure ?? null,
    };
  }
}
