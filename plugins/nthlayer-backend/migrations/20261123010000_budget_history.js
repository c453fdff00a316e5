// @ts-check

/**
 * Budget history: every refresh appends one snapshot per SLO (never rewritten in place),
 * and measurements gain the budget period and the burn-rate window counts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nthlayer_slo_measurements', table => {
    table.double('window_minutes').nullable();
    table.text('short_windows').nullable();
  });
  await knex.schema.createTable('nthlayer_slo_snapshots', table => {
    table.comment('Append-only error-budget history per entity and SLO');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('slo_name', 64).notNullable();
    table.string('window', 64).notNullable();
    table.double('window_minutes').notNullable();
    table.integer('threshold_ms').nullable();
    table.timestamp('time', { useTz: true }).notNullable();
    table.double('good_events').notNullable();
    table.double('total_events').notNullable();
    table.string('source', 16).notNullable();
    // One snapshot per SLO and minute: replicas racing on a refresh cannot write twice.
    table.unique(['entity_ref', 'slo_name', 'window', 'time'], {
      indexName: 'nthlayer_slo_snapshots_unique',
    });
    table.index(['time'], 'nthlayer_slo_snapshots_time');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_slo_snapshots');
  await knex.schema.alterTable('nthlayer_slo_measurements', table => {
    table.dropColumn('window_minutes');
    table.dropColumn('short_windows');
  });
};
