import { GateCheckResponse, StoredGateDecision } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';

const TABLE = 'nthlayer_gate_decisions';

export type { StoredGateDecision };

/** Append-only log of gate decisions (SQLite or PostgreSQL). */
export class GateDecisionStore {
  constructor(private readonly db: Knex) {}

  async append(row: Omit<StoredGateDecision, 'id' | 'decision'> & { decision: GateCheckResponse }): Promise<number> {
    const [inserted] = await this.db(TABLE)
      .insert({
        entity_ref: row.entityRef,
        decided_at: new Date(row.decidedAt),
        principal: row.principal,
        version: row.version,
        commit: row.commit,
        environment: row.environment,
        labels: JSON.stringify(row.labels),
        verdict: row.decision.verdict,
        exit_code: row.decision.exitCode,
        policy_hashes: JSON.stringify(row.decision.policies.map(p => p.hash)),
        decision: JSON.stringify(row.decision),
      })
      .returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  /** The entity's latest decisions, newest first. */
  async listForEntity(entityRef: string, limit = 20): Promise<StoredGateDecision[]> {
    const rows = await this.db(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([{ column: 'decided_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(limit);
    return rows.map(r => ({
      id: Number(r.id),
      entityRef: r.entity_ref,
      decidedAt: (r.decided_at instanceof Date ? r.decided_at : new Date(r.decided_at)).toISOString(),
      principal: r.principal,
      version: r.version,
      commit: r.commit,
      environment: r.environment,
      labels: JSON.parse(r.labels),
      decision: JSON.parse(r.decision),
    }));
  }
}
