import { Knex } from 'knex';

const INCIDENTS = 'nthlayer_incidents';
const DELIVERIES = 'nthlayer_webhook_deliveries';
const MAX_LIST = 1000;

/** A PagerDuty incident of a managed service, as stored. */
export interface StoredIncident {
  /** PagerDuty's incident id. */
  id: string;
  /** The catalog entity of the incident's service, when known. */
  entityRef: string | null;
  serviceId: string;
  /** The incident number (`1234`), as text. */
  number: string | null;
  title: string | null;
  status: 'triggered' | 'acknowledged' | 'resolved' | string;
  urgency: string | null;
  /** The priority's name (`P1`), or null. */
  priority: string | null;
  url: string | null;
  /** ISO times. */
  createdAt: string;
  /**
   * When it was last resolved. Once known it is kept: a later write without it (a poll
   * that missed it, a reopened incident) never clears it.
   */
  resolvedAt: string | null;
  /** The time of the information (the event's `occurred_at`, the poll's time): later wins. */
  updatedAt: string;
  /** Where it came from: `webhook` or `poll`. */
  source: string;
}

/** An incident to store; `entityRef`, `resolvedAt` and the details may be left out. */
export type IncidentInput = Omit<
  StoredIncident,
  | 'entityRef'
  | 'number'
  | 'title'
  | 'urgency'
  | 'priority'
  | 'url'
  | 'resolvedAt'
> & {
  entityRef?: string | null;
  number?: number | string | null;
  title?: string | null;
  urgency?: string | null;
  priority?: string | null;
  url?: string | null;
  resolvedAt?: string | null;
};

/** A stored time as ISO text: PostgreSQL answers Dates, SQLite the milliseconds it stored. */
function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text).toISOString();
}
const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : iso(value);

function toIncident(r: any): StoredIncident {
  return {
    id: r.id,
    entityRef: r.entity_ref ?? null,
    serviceId: r.service_id,
    number: r.number ?? null,
    title: r.title ?? null,
    status: r.status,
    urgency: r.urgency ?? null,
    priority: r.priority ?? null,
    url: r.url ?? null,
    createdAt: iso(r.created_at),
    resolvedAt: isoOrNull(r.resolved_at),
    updatedAt: iso(r.updated_at),
    source: r.source,
  };
}

function time(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`IncidentStore: ${field} "${value}" is not a time`);
  return date;
}

/**
 * PagerDuty incidents (`nthlayer_incidents`) and the ids of webhook events already
 * processed (`nthlayer_webhook_deliveries`), on SQLite or PostgreSQL. Each write is one
 * statement or one transaction, safe with several backend replicas writing the same
 * incident at once.
 */
export class IncidentStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores an incident by its id: inserted when new; replaced when `updatedAt` is later
   * than the stored one (`updated`); else left as it is (`stale`: an older or repeated
   * delivery). Either way a known `resolvedAt` or `entityRef` is never lost: a newer write
   * without them keeps the stored ones, and a stale write fills them in where the stored
   * row has none.
   */
  async upsert(
    incident: IncidentInput,
  ): Promise<'inserted' | 'updated' | 'stale'> {
    const row = {
      id: incident.id,
      entity_ref: incident.entityRef ?? null,
      service_id: incident.serviceId,
      number:
        incident.number === null || incident.number === undefined
          ? null
          : String(incident.number),
      title: incident.title ?? null,
      status: incident.status,
      urgency: incident.urgency ?? null,
      priority: incident.priority ?? null,
      url: incident.url ?? null,
      created_at: time(incident.createdAt, 'createdAt'),
      resolved_at: incident.resolvedAt
        ? time(incident.resolvedAt, 'resolvedAt')
        : null,
      updated_at: time(incident.updatedAt, 'updatedAt'),
      source: incident.source,
    };
    return this.db.transaction(async tx => {
      const inserted = await tx(INCIDENTS)
        .insert(row)
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length > 0) return 'inserted';
      const {
        id,
        entity_ref: entityRef,
        resolved_at: resolvedAt,
        ...fields
      } = row;
      const updated = await tx(INCIDENTS)
        .where({ id })
        .where('updated_at', '<', row.updated_at)
        .update({
          ...fields,
          entity_ref: tx.raw('COALESCE(?, entity_ref)', [entityRef]),
          resolved_at: tx.raw('COALESCE(?, resolved_at)', [resolvedAt]),
        });
      if (updated > 0) return 'updated';
      if (resolvedAt)
        await tx(INCIDENTS)
          .where({ id })
          .whereNull('resolved_at')
          .update({ resolved_at: resolvedAt });
      if (entityRef)
        await tx(INCIDENTS)
          .where({ id })
          .whereNull('entity_ref')
          .update({ entity_ref: entityRef });
      return 'stale';
    });
  }

  async get(id: string): Promise<StoredIncident | undefined> {
    const row = await this.db(INCIDENTS).where({ id }).first();
    return row ? toIncident(row) : undefined;
  }

  /**
   * The entity's incidents created in [from, to), newest first, at most `limit` (default
   * 100, at most 1000).
   */
  async listForEntity(
    entityRef: string,
    options: { from?: Date; to?: Date; limit?: number } = {},
  ): Promise<StoredIncident[]> {
    let query = this.db(INCIDENTS).where({ entity_ref: entityRef });
    if (options.from) query = query.where('created_at', '>=', options.from);
    if (options.to) query = query.where('created_at', '<', options.to);
    const limit = Math.min(
      Math.max(Math.floor(options.limit ?? 100), 1),
      MAX_LIST,
    );
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toIncident);
  }

  /**
   * Incidents of these entities open at any time after `from` (created after it, or not
   * resolved before it), oldest first, at most `limit` (default 2000).
   */
  async listOpenSince(entityRefs: string[], from: Date, limit = 2000): Promise<StoredIncident[]> {
    const out: StoredIncident[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db(INCIDENTS)
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .andWhere(q => q.where('created_at', '>=', from).orWhereNull('resolved_at').orWhere('resolved_at', '>=', from))
        .orderBy('created_at', 'desc')
        .limit(limit);
      out.push(...rows.map(toIncident));
    }
    return out.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }

  /** How many of the entity's incidents are not resolved (triggered or acknowledged). */
  async openCount(entityRef: string): Promise<number> {
    const [{ count }] = await this.db(INCIDENTS)
      .where({ entity_ref: entityRef })
      .whereNot({ status: 'resolved' })
      .count({ count: '*' });
    return Number(count);
  }

  /**
   * Per entity, the incidents created at or after `since`: how many, how many are still open,
   * how many were resolved and their mean time to resolve in minutes. One query for all.
   */
  async statsSince(since: Date): Promise<Map<string, { count: number; open: number; resolved: number; mttrMinutes: number | null }>> {
    const rows = await this.db(INCIDENTS)
      .whereNotNull('entity_ref')
      .where('created_at', '>=', since)
      .select('entity_ref', 'status', 'created_at', 'resolved_at');
    const stats = new Map<string, { count: number; open: number; resolved: number; totalMinutes: number }>();
    for (const r of rows) {
      const s = stats.get(r.entity_ref) ?? { count: 0, open: 0, resolved: 0, totalMinutes: 0 };
      s.count++;
      if (r.status !== 'resolved') s.open++;
      else if (r.resolved_at) {
        s.resolved++;
        s.totalMinutes += (new Date(r.resolved_at).getTime() - new Date(r.created_at).getTime()) / 60_000;
      }
      stats.set(r.entity_ref, s);
    }
    return new Map(
      [...stats].map(([ref, s]) => [
        ref,
        { count: s.count, open: s.open, resolved: s.resolved, mttrMinutes: s.resolved ? s.totalMinutes / s.resolved : null },
      ]),
    );
  }

  /** How many incidents of the entity were created at or after `since`. */
  async countSince(entityRef: string, since: Date): Promise<number> {
    const [{ count }] = await this.db(INCIDENTS)
      .where({ entity_ref: entityRef })
      .where('created_at', '>=', since)
      .count({ count: '*' });
    return Number(count);
  }

  /**
   * Records that a webhook event was processed: true the first time, false for an event id
   * already recorded (a replay or a retried delivery, to be ignored). Atomic: of two
   * concurrent deliveries of one event, one gets true.
   */
  async recordDelivery(
    eventId: string,
    receivedAt: Date = new Date(),
  ): Promise<boolean> {
    const inserted = await this.db(DELIVERIES)
      .insert({ event_id: eventId, received_at: receivedAt })
      .onConflict('event_id')
      .ignore()
      .returning('event_id');
    return inserted.length > 0;
  }

  /** Forgets delivery ids received before `before` (PagerDuty retries for hours, not weeks); returns how many. */
  async pruneDeliveries(before: Date): Promise<number> {
    return this.db(DELIVERIES).where('received_at', '<', before).delete();
  }
}
