import { SloMeasurement } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';
import { budgetDataVersion, budgetDataWritten } from './writeVersion';

const TABLE = 'nthlayer_slo_measurements';
const BATCH_SIZE = 500;

/** A measurement as the engine writes it. */
export interface MeasurementRow extends SloMeasurement {
  entityRef: string;
  sloKind: string;
}

interface DbRow {
  entity_ref: string;
  slo_name: string;
  slo_kind: string;
  window: string;
  threshold_ms: number | null;
  good_events: number | null;
  total_events: number | null;
  window_minutes: number | null;
  short_windows: string | null;
  measured_at: Date | string | null;
  checked_at: Date | string;
  stale: boolean | number;
  error: string | null;
}

function byText(a: string, b: string): number {
  return Number(a > b) - Number(a < b);
}

function toIso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Stores the latest measurement per entity and SLO (SQLite or PostgreSQL via knex). */
export class MeasurementStore {
  constructor(private readonly db: Knex) {}

  /** Inserts or replaces measurements in batches. */
  async upsert(rows: MeasurementRow[], checkedAt: Date): Promise<void> {
    // In primary-key order, so concurrent writers lock rows in one order (no deadlock).
    const sorted = [...rows].sort((a, b) => byText(a.entityRef, b.entityRef) || byText(a.sloName, b.sloName));
    for (let i = 0; i < sorted.length; i += BATCH_SIZE) {
      const batch = sorted.slice(i, i + BATCH_SIZE).map(r => ({
        entity_ref: r.entityRef,
        slo_name: r.sloName,
        slo_kind: r.sloKind,
        window: r.window,
        threshold_ms: r.thresholdMs,
        window_minutes: r.windowMinutes,
        short_windows: JSON.stringify(r.shortWindows),
        good_events: r.goodEvents,
        total_events: r.totalEvents,
        measured_at: r.measuredAt ? new Date(r.measuredAt) : null,
        checked_at: checkedAt,
        stale: r.stale,
        error: r.error,
      }));
      await this.db(TABLE)
        .insert(batch)
        .onConflict(['entity_ref', 'slo_name'])
        .merge();
      budgetDataWritten(this.db);
    }
  }

  /**
   * Marks existing measurements stale, keeping their numbers, and records why. SLOs
   * never measured get a row without numbers so the UI can say what went wrong.
   */
  async markStale(
    slos: Array<{
      entityRef: string;
      sloName: string;
      sloKind: string;
      window: string;
      windowMinutes: number;
      thresholdMs: number | null;
    }>,
    error: string,
    checkedAt: Date,
  ): Promise<void> {
    for (let i = 0; i < slos.length; i += BATCH_SIZE) {
      const batch = slos.slice(i, i + BATCH_SIZE);
      await this.db(TABLE)
          .insert(
            batch.map(s => ({
              entity_ref: s.entityRef,
              slo_name: s.sloName,
              slo_kind: s.sloKind,
              window: s.window,
              threshold_ms: s.thresholdMs,
              window_minutes: s.windowMinutes,
              short_windows: '[]',
              good_events: null,
              total_events: null,
              measured_at: null,
              checked_at: checkedAt,
              stale: true,
              error,
            })),
          )
          .onConflict(['entity_ref', 'slo_name'])
          .merge(['checked_at', 'stale', 'error']);
      budgetDataWritten(this.db);
    }
  }

  /** Moves with every write through this process (see {@link budgetDataVersion}). */
  get version(): number {
    return budgetDataVersion(this.db);
  }

  async listForEntity(entityRef: string): Promise<MeasurementRow[]> {
    const rows: DbRow[] = await this.db(TABLE).where({ entity_ref: entityRef });
    return rows.map(r => ({
      entityRef: r.entity_ref,
      sloName: r.slo_name,
      sloKind: r.slo_kind,
      window: r.window,
      thresholdMs: r.threshold_ms === null ? null : Number(r.threshold_ms),
      windowMinutes: Number(r.window_minutes ?? 0),
      shortWindows: r.short_windows ? JSON.parse(r.short_windows) : [],
      goodEvents: r.good_events === null ? null : Number(r.good_events),
      totalEvents: r.total_events === null ? null : Number(r.total_events),
      measuredAt: toIso(r.measured_at),
      stale: Boolean(r.stale),
      error: r.error,
    }));
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db(TABLE).count({ n: '*' });
    return Number(n);
  }
}
