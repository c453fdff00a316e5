// @ts-check

/**
 * A covering index for the thinned history reads (sparklines, charts, budget trend): every
 * refresh appends one row per SLO of every entity, so one SLO's 30 days are spread over as
 * many table pages as it has rows. With the counts in the index, a read walks one index range
 * instead (measured on 2.2 million snapshots: 35–40 ms → 3 ms per 30-day read on SQLite).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nthlayer_slo_snapshots', table => {
    table.index(
      ['entity_ref', 'slo_name', 'window', 'time', 'good_events', 'total_events', 'window_minutes'],
      'nthlayer_slo_snapshots_thinning',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('nthlayer_slo_snapshots', table => {
    table.dropIndex([], 'nthlayer_slo_snapshots_thinning');
  });
};
