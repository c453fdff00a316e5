// @ts-check

/**
 * The latest measurement of every SLO: event counts over the SLO window. Rows are
 * never deleted by the budget engine; a failed refresh marks them stale instead.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_slo_measurements', table => {
    table.comment('Latest error-budget measurement per entity and SLO');
    table.string('entity_ref', 255).notNullable();
    table.string('slo_name', 64).notNullable();
    table.string('slo_kind', 32).notNullable();
    table.string('window', 64).notNullable();
    table.integer('threshold_ms').nullable();
    table.double('good_events').nullable();
    table.double('total_events').nullable();
    table.timestamp('measured_at', { useTz: true }).nullable();
    table.timestamp('checked_at', { useTz: true }).notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('error').nullable();
    table.primary(['entity_ref', 'slo_name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_slo_measurements');
};
