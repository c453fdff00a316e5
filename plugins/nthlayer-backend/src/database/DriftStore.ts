import { DriftHistoryEntry, DriftReport } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';

const LATEST = 'nthlayer_drift_latest';
const HISTORY = 'nthlayer_drift_history';
/** Rows per statement: well under SQLite's 32,766 bound parameters (7 columns a row). */
const CHUNK = 500;
const MAX_HISTORY = 100;

/**
 * What tells one report's drift from another's: its findings and target states, not its time
 * (nor a budget trend's slope, which moves with every point of history).
 */
export function driftFingerprint(report: DriftReport): string {
  const targets = report.targets.map(t => [t.target, t.state, t.instance ?? '', t.detail ?? '']);
  const findings = report.findings
    // A trend's slope moves with every new point of history: its severity is what changes.
    .map(f =>
      JSON.stringify(
        f.kind === 'trend'
          ? [f.target, f.severity, f.kind, f.object]
          : [f.target, f.severity, f.kind, f.object, f.field ?? '', f.expected ?? '', f.actual ?? ''],
      ),
    )
    .sort();
  return createHash('sha256').update(JSON.stringify({ targets, findings })).digest('hex');
}

function time(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text).toISOString();
}

/** The drift reports of the drift task: the latest per entity, and a history row per change. */
export class DriftStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores the reports of one run in one transaction: each becomes its entity's latest; a
   * report whose fingerprint differs from the previous latest (or the first one) is also
   * appended to the history. Returns how many changed.
   */
  async save(reports: DriftReport[]): Promise<{ changed: number }> {
    if (reports.length === 0) return { changed: 0 };
    return this.db.transaction(async tx => {
      const previous = new Map<string, string>();
      for (let i = 0; i < reports.length; i += CHUNK) {
        const refs = reports.slice(i, i + CHUNK).map(r => r.entityRef);
        const rows: Array<{ entity_ref: string; fingerprint: string }> = await tx(LATEST)
          .select('entity_ref', 'fingerprint')
          .whereIn('entity_ref', refs);
        for (const row of rows) previous.set(row.entity_ref, row.fingerprint);
      }
      const rows = reports.map(report => ({
        entity_ref: report.entityRef,
        checked_at: new Date(report.checkedAt),
        critical: report.summary.critical,
        warning: report.summary.warning,
        info: report.summary.info,
        fingerprint: driftFingerprint(report),
        report: JSON.stringify(report),
      }));
      const changed = rows.filter(r => previous.get(r.entity_ref) !== r.fingerprint);
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(LATEST).insert(rows.slice(i, i + CHUNK)).onConflict('entity_ref').merge();
      }
      for (let i = 0; i < changed.length; i += CHUNK) {
        await tx(HISTORY).insert(changed.slice(i, i + CHUNK));
      }
      return { changed: changed.length };
    });
  }

  /** The entity's latest report, or undefined before its first check. */
  async latest(entityRef: string): Promise<DriftReport | undefined> {
    const row = await this.db(LATEST).select('report').where({ entity_ref: entityRef }).first();
    return row ? (JSON.parse(row.report) as DriftReport) : undefined;
  }

  /** The counts of the entity's latest reports by severity, for the gate: none before a check. */
  async latestCounts(entityRef: string): Promise<DriftHistoryEntry | undefined> {
    const row = await this.db(LATEST)
      .select('checked_at', 'critical', 'warning', 'info')
      .where({ entity_ref: entityRef })
      .first();
    return row
      ? { checkedAt: time(row.checked_at), critical: row.critical, warning: row.warning, info: row.info }
      : undefined;
  }

  /** The critical counts of every entity's latest report (the portfolio reads them in one query). */
  async allCriticalCounts(): Promise<Map<string, number>> {
    const rows = await this.db(LATEST).select('entity_ref', 'critical');
    return new Map(rows.map(r => [r.entity_ref as string, Number(r.critical)]));
  }

  /** The changes of the entity's drift, newest first. */
  async history(entityRef: string, limit = MAX_HISTORY): Promise<DriftHistoryEntry[]> {
    const rows = await this.db(HISTORY)
      .select('checked_at', 'critical', 'warning', 'info')
      .where({ entity_ref: entityRef })
      .orderBy('checked_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(limit, MAX_HISTORY));
    return rows.map(r => ({ checkedAt: time(r.checked_at), critical: r.critical, warning: r.warning, info: r.info }));
  }

  /** Deletes history rows older than `before` (retention); the latest rows are kept. */
  async deleteHistoryBefore(before: Date): Promise<number> {
    return this.db(HISTORY).where('checked_at', '<', before).delete();
  }
}
