// @ts-check

/**
 * Deploy gate overrides, the gate audit log, and the budget levels already notified.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_gate_overrides', table => {
    table.comment('Overrides that let deploys of an entity through the gate until they expire');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('version', 128).nullable();
    table.text('reason').notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
    table.index(['entity_ref', 'expires_at'], 'nthlayer_gate_overrides_entity');
  });
  await knex.schema.createTable('nthlayer_gate_audit', table => {
    table.comment('Every override created or revoked and every gate decision an override changed');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('principal', 255).notNullable();
    table.string('action', 32).notNullable();
    table.bigInteger('override_id').nullable();
    table.bigInteger('decision_id').nullable();
    table.text('details').notNullable();
    table.index(['entity_ref', 'at'], 'nthlayer_gate_audit_entity');
  });
  await knex.schema.createTable('nthlayer_budget_notifications', table => {
    table.comment('The lowest budget level (50/25/10/0 %) already notified per SLO, so each crossing notifies once');
    table.string('entity_ref', 255).notNullable();
    table.string('slo_name', 255).notNullable();
    table.integer('level').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'slo_name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_budget_notifications');
  await knex.schema.dropTable('nthlayer_gate_audit');
  await knex.schema.dropTable('nthlayer_gate_overrides');
};
