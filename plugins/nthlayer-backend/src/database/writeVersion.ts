import { Knex } from 'knex';

/**
 * Counts the writes this process made to a database's budget data (measurements and SLI
 * sources): answers derived from them are reused until the count moves. Writes by another
 * replica are not counted here; readers bound those by their own TTL.
 */
const versions = new WeakMap<Knex, number>();

/** The number of budget-data writes made through `db` by this process so far. */
export function budgetDataVersion(db: Knex): number {
  return versions.get(db) ?? 0;
}

/** Records a write to the budget data through `db`. */
export function budgetDataWritten(db: Knex): void {
  versions.set(db, budgetDataVersion(db) + 1);
}
