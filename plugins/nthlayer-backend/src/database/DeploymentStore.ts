import { DeploymentRecord } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';

const TABLE = 'nthlayer_deployments';

const iso = (v: Date | string | null) => (v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** Deployments per entity (SQLite or PostgreSQL). */
export class DeploymentStore {
  constructor(private readonly db: Knex) {}

  /** Inserts a deploy, or updates the one with the same entity, version and start. */
  async upsert(d: Omit<DeploymentRecord, 'id'>): Promise<DeploymentRecord> {
    const row = {
      entity_ref: d.entityRef,
      version: d.version,
      commit: d.commit,
      author: d.author,
      started_at: new Date(d.startedAt),
      finished_at: d.finishedAt ? new Date(d.finishedAt) : null,
      status: d.status,
      source: d.source,
      url: d.url,
      labels: JSON.stringify(d.labels),
      recorded_by: d.recordedBy,
      recorded_at: new Date(d.recordedAt),
    };
    await this.db(TABLE)
      .insert(row)
      .onConflict(['entity_ref', 'version', 'started_at'])
      .merge(['commit', 'author', 'finished_at', 'status', 'source', 'url', 'labels', 'recorded_by', 'recorded_at']);
    const [stored] = await this.db(TABLE).where({
      entity_ref: d.entityRef,
      version: d.version,
      started_at: row.started_at,
    });
    return toRecord(stored);
  }

  /** The entity's deploys started in [from, to], oldest first, at most `limit`. */
  async listForEntity(entityRef: string, range: { from?: Date; to?: Date; limit?: number } = {}): Promise<DeploymentRecord[]> {
    let query = this.db(TABLE).where({ entity_ref: entityRef });
    if (range.from) query = query.andWhere('started_at', '>=', range.from);
    if (range.to) query = query.andWhere('started_at', '<=', range.to);
    const rows = await query.orderBy('started_at', 'desc').limit(range.limit ?? 200);
    return rows.reverse().map(toRecord);
  }

  /** One deploy by id, or undefined. */
  async get(id: number): Promise<DeploymentRecord | undefined> {
    const row = await this.db(TABLE).where({ id }).first();
    return row ? toRecord(row) : undefined;
  }

  /** The deploys of these entities started in [from, to], oldest first (at most `limit` per call). */
  async listForEntities(entityRefs: string[], range: { from: Date; to?: Date; limit?: number }): Promise<DeploymentRecord[]> {
    const out: DeploymentRecord[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      let query = this.db(TABLE)
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .andWhere('started_at', '>=', range.from);
      if (range.to) query = query.andWhere('started_at', '<=', range.to);
      const rows = await query.orderBy('started_at', 'desc').limit(range.limit ?? 2000);
      out.push(...rows.map(toRecord));
    }
    return out.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  }

  /** Per entity, the deployments started at or after `since` by final status (one query for all). */
  async statusCountsSince(since: Date): Promise<Map<string, { succeeded: number; failed: number; rolledBack: number }>> {
    const rows: Array<{ entity_ref: string; status: string; count: number | string }> = await this.db(TABLE)
      .where('started_at', '>=', since)
      .select('entity_ref', 'status')
      .count({ count: '*' })
      .groupBy('entity_ref', 'status');
    const counts = new Map<string, { succeeded: number; failed: number; rolledBack: number }>();
    for (const r of rows) {
      const c = counts.get(r.entity_ref as string) ?? { succeeded: 0, failed: 0, rolledBack: 0 };
      const n = Number(r.count);
      if (r.status === 'succeeded') c.succeeded += n;
      else if (r.status === 'failed') c.failed += n;
      else if (r.status === 'rolled_back') c.rolledBack += n;
      counts.set(r.entity_ref as string, c);
    }
    return counts;
  }
}

function toRecord(r: any): DeploymentRecord {
  return {
    id: Number(r.id),
    entityRef: r.entity_ref,
    version: r.version,
    commit: r.commit,
    author: r.author,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    status: r.status,
    source: r.source,
    url: r.url,
    labels: JSON.parse(r.labels),
    recordedBy: r.recorded_by,
    recordedAt: iso(r.recorded_at)!,
  };
}
