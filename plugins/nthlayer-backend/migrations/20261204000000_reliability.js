// @ts-check

/**
 * The reliability snapshot (dependency graph and portfolio inputs, rebuilt on the scheduler)
 * and the daily scores of services, teams, systems and the organisation.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_reliability_snapshot', table => {
    table.comment('The latest dependency graph and portfolio inputs, as the scheduled task built them');
    table.string('id', 32).primary();
    table.timestamp('built_at', { useTz: true }).notNullable();
    // JSON; up to a few MB at 10,000 services.
    table.text('data', 'longtext').notNullable();
  });
  await knex.schema.createTable('nthlayer_scores_daily', table => {
    table.comment('Reliability scores by day: services, teams, systems and org');
    table.string('day', 10).notNullable();
    table.string('ref', 255).notNullable();
    table.double('score').nullable();
    table.primary(['day', 'ref']);
    table.index(['ref', 'day'], 'nthlayer_scores_daily_ref_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_scores_daily');
  await knex.schema.dropTable('nthlayer_reliability_snapshot');
};
