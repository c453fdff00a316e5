import { GateAuditAction, GateAuditEntry, GateOverride } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';

const OVERRIDES = 'nthlayer_gate_overrides';
const AUDIT = 'nthlayer_gate_audit';

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(value as string)).toISOString();
const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value));

function toOverride(r: any): GateOverride {
  return {
    id: Number(r.id),
    entityRef: r.entity_ref,
    version: r.version,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    revokedAt: isoOrNull(r.revoked_at),
    revokedBy: r.revoked_by,
  };
}

/** Gate overrides and the gate audit log (SQLite or PostgreSQL). */
export class GateOverrideStore {
  constructor(private readonly db: Knex) {}

  /** Stores an override and its audit entry in one transaction. */
  async create(o: Omit<GateOverride, 'id' | 'revokedAt' | 'revokedBy'>): Promise<GateOverride> {
    return this.db.transaction(async tx => {
      const [inserted] = await tx(OVERRIDES)
        .insert({
          entity_ref: o.entityRef,
          version: o.version,
          reason: o.reason,
          created_by: o.createdBy,
          created_at: new Date(o.createdAt),
          expires_at: new Date(o.expiresAt),
        })
        .returning('id');
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
      await this.#audit(tx, {
        entityRef: o.entityRef,
        at: o.createdAt,
        principal: o.createdBy,
        action: 'override.created',
        overrideId: id,
        decisionId: null,
        details: { reason: o.reason, expiresAt: o.expiresAt, version: o.version },
      });
      return { ...o, id, revokedAt: null, revokedBy: null };
    });
  }

  async get(id: number): Promise<GateOverride | undefined> {
    const row = await this.db(OVERRIDES).where({ id }).first();
    return row ? toOverride(row) : undefined;
  }

  /**
   * Revokes an override unless it is already revoked (then undefined), with its audit entry,
   * in one transaction: two concurrent revokes record one revocation.
   */
  async revoke(id: number, by: string, at: string): Promise<GateOverride | undefined> {
    return this.db.transaction(async tx => {
      const updated = await tx(OVERRIDES).where({ id }).whereNull('revoked_at').update({ revoked_at: new Date(at), revoked_by: by });
      if (!updated) return undefined;
      const row = toOverride(await tx(OVERRIDES).where({ id }).first());
      await this.#audit(tx, {
        entityRef: row.entityRef,
        at,
        principal: by,
        action: 'override.revoked',
        overrideId: id,
        decisionId: null,
        details: { reason: row.reason, expiresAt: row.expiresAt, version: row.version },
      });
      return row;
    });
  }

  /** Overrides of the entity in force at `now` (not revoked, not expired), newest first. */
  async listActive(entityRef: string, now: Date): Promise<GateOverride[]> {
    const rows = await this.db(OVERRIDES)
      .where({ entity_ref: entityRef })
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    return rows.map(toOverride);
  }

  /** Records that an override changed a stored decision. */
  async recordOverriddenDecision(entry: {
    entityRef: string;
    at: string;
    principal: string;
    overrideId: number;
    decisionId: number;
    details: Record<string, unknown>;
  }): Promise<void> {
    await this.#audit(this.db, { ...entry, action: 'decision.overridden' });
  }

  /** The entity's audit log, newest first. */
  async listAudit(entityRef: string, limit = 100): Promise<GateAuditEntry[]> {
    const rows = await this.db(AUDIT)
      .where({ entity_ref: entityRef })
      .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(limit);
    return rows.map(r => ({
      id: Number(r.id),
      entityRef: r.entity_ref,
      at: iso(r.at),
      principal: r.principal,
      action: r.action as GateAuditAction,
      overrideId: r.override_id === null ? null : Number(r.override_id),
      decisionId: r.decision_id === null ? null : Number(r.decision_id),
      details: JSON.parse(r.details),
    }));
  }

  async #audit(db: Knex | Knex.Transaction, e: Omit<GateAuditEntry, 'id'>): Promise<void> {
    await db(AUDIT).insert({
      entity_ref: e.entityRef,
      at: new Date(e.at),
      principal: e.principal,
      action: e.action,
      override_id: e.overrideId,
      decision_id: e.decisionId,
      details: JSON.stringify(e.details),
    });
  }
}
