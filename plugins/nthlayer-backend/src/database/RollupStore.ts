import { Knex } from 'knex';

const TABLE = 'nthlayer_daily_events';
const BATCH_SIZE = 500;

/** Events of one member (service) of an SLI definition on one UTC day. */
export interface DailyEvents {
  definition: string;
  member: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  goodEvents: number;
  totalEvents: number;
}

/** Sums of stored days per member. */
export interface DaySums {
  good: number;
  total: number;
  days: number;
}

/** Daily event counts; days are immutable once written (a re-fill keeps the first). */
export class RollupStore {
  constructor(private readonly db: Knex) {}

  async insert(rows: DailyEvents[]): Promise<void> {
    // In primary-key order, so concurrent writers lock rows in one order (no deadlock).
    const text = (a: string, b: string) => Number(a > b) - Number(a < b);
    const sorted = [...rows].sort(
      (a, b) => text(a.definition, b.definition) || text(a.member, b.member) || text(a.day, b.day),
    );
    for (let i = 0; i < sorted.length; i += BATCH_SIZE) {
      await this.db(TABLE)
        .insert(
          sorted.slice(i, i + BATCH_SIZE).map(r => ({
            definition: r.definition,
            member: r.member,
            day: r.day,
            good_events: r.goodEvents,
            total_events: r.totalEvents,
          })),
        )
        .onConflict(['definition', 'member', 'day'])
        .ignore();
    }
  }

  /** Per member: sums over the days in [fromDay, toDay] and how many days are stored. */
  async sum(definition: string, fromDay: string, toDay: string): Promise<Map<string, DaySums>> {
    const rows: Array<{ member: string; good: number; total: number; days: number }> =
      await this.db(TABLE)
        .where({ definition })
        .andWhere('day', '>=', fromDay)
        .andWhere('day', '<=', toDay)
        .groupBy('member')
        .select('member')
        .sum({ good: 'good_events' })
        .sum({ total: 'total_events' })
        .count({ days: '*' });
    return new Map(
      rows.map(r => [r.member, { good: Number(r.good), total: Number(r.total), days: Number(r.days) }]),
    );
  }

  /** The stored days in [fromDay, toDay], per member and day. */
  async list(
    definition: string,
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Map<string, { good: number; total: number }>>> {
    const rows: Array<{ member: string; day: string; good_events: number; total_events: number }> =
      await this.db(TABLE)
        .where({ definition })
        .andWhere('day', '>=', fromDay)
        .andWhere('day', '<=', toDay)
        .select('member', 'day', 'good_events', 'total_events');
    const result = new Map<string, Map<string, { good: number; total: number }>>();
    for (const r of rows) {
      const days = result.get(r.member) ?? new Map();
      days.set(r.day, { good: Number(r.good_events), total: Number(r.total_events) });
      result.set(r.member, days);
    }
    return result;
  }

  async deleteBefore(day: string): Promise<number> {
    return this.db(TABLE).where('day', '<', day).delete();
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db(TABLE).count({ n: '*' });
    return Number(n);
  }
}
