import { Knex } from 'knex';

const TABLE = 'nthlayer_budget_notifications';

/** The budget level already notified per SLO (100 = none yet), so a crossing notifies once. */
export class BudgetNotificationStore {
  constructor(private readonly db: Knex) {}

  /** Every SLO's notified level, keyed `entityRef|sloName`. */
  async levels(): Promise<Map<string, number>> {
    const rows = await this.db(TABLE).select('entity_ref', 'slo_name', 'level');
    return new Map(rows.map(r => [`${r.entity_ref}|${r.slo_name}`, Number(r.level)]));
  }

  async set(entityRef: string, sloName: string, level: number, at: Date): Promise<void> {
    await this.db(TABLE)
      .insert({ entity_ref: entityRef, slo_name: sloName, level, updated_at: at })
      .onConflict(['entity_ref', 'slo_name'])
      .merge(['level', 'updated_at']);
  }
}
