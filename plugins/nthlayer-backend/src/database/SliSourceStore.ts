import { SliIntent, SliResolution } from '@nthlayer/backstage-plugin-common';
import { Knex } from 'knex';
import { budgetDataWritten } from './writeVersion';

const TABLE = 'nthlayer_sli_sources';
const BATCH_SIZE = 200;

/** How each SLI intent of an entity resolved, as the budget task last found it. */
export interface StoredSliSource {
  entityRef: string;
  resolution: SliResolution;
  resolvedAt: string;
}

/** The SLI sources of every entity (SQLite or PostgreSQL), replaced per entity and intent. */
export class SliSourceStore {
  constructor(private readonly db: Knex) {}

  async upsert(rows: StoredSliSource[]): Promise<void> {
    // Sorted by key: concurrent writers on PostgreSQL take row locks in one order.
    const sorted = [...rows].sort((a, b) =>
      `${a.entityRef}|${a.resolution.intent}` < `${b.entityRef}|${b.resolution.intent}` ? -1 : 1,
    );
    for (let i = 0; i < sorted.length; i += BATCH_SIZE) {
      await this.db(TABLE)
        .insert(
          sorted.slice(i, i + BATCH_SIZE).map(r => ({
            entity_ref: r.entityRef,
            intent: r.resolution.intent,
            preset: r.resolution.chosen?.preset ?? null,
            metric: r.resolution.chosen?.metric ?? null,
            resolution: JSON.stringify(r.resolution),
            resolved_at: new Date(r.resolvedAt),
          })),
        )
        .onConflict(['entity_ref', 'intent'])
        .merge(['preset', 'metric', 'resolution', 'resolved_at']);
      budgetDataWritten(this.db);
    }
  }

  /** The entity's resolutions by intent. */
  async forEntity(entityRef: string): Promise<Map<SliIntent, StoredSliSource>> {
    const rows = await this.db(TABLE).where({ entity_ref: entityRef });
    return new Map(
      rows.map(r => [
        r.intent as SliIntent,
        {
          entityRef: r.entity_ref,
          resolution: JSON.parse(r.resolution),
          resolvedAt: (r.resolved_at instanceof Date ? r.resolved_at : new Date(r.resolved_at)).toISOString(),
        },
      ]),
    );
  }
}
