// @ts-check

/**
 * Drift reports (the latest per entity, and a history row whenever the set of findings
 * changes) and PagerDuty incidents (read on the scheduler or pushed by webhooks).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_drift_latest', table => {
    table.comment('The latest drift report of each entity');
    table.string('entity_ref', 255).primary();
    reportColumns(table);
  });
  await knex.schema.createTable('nthlayer_drift_history', table => {
    table.comment('Drift reports of an entity whenever its findings changed');
    table.increments('id');
    table.string('entity_ref', 255).notNullable();
    reportColumns(table);
    table.index(['entity_ref', 'checked_at'], 'nthlayer_drift_history_entity_idx');
  });
  await knex.schema.createTable('nthlayer_incidents', table => {
    table.comment('PagerDuty incidents of managed services');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).nullable();
    table.string('service_id', 64).notNullable();
    table.string('number', 32).nullable();
    table.text('title').nullable();
    table.string('status', 32).notNullable();
    table.string('urgency', 16).nullable();
    table.string('priority', 64).nullable();
    table.text('url').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('source', 16).notNullable();
    table.index(['entity_ref', 'created_at'], 'nthlayer_incidents_entity_idx');
    table.index(['service_id'], 'nthlayer_incidents_service_idx');
  });
  await knex.schema.createTable('nthlayer_webhook_deliveries', table => {
    table.comment('Ids of PagerDuty webhook events already processed (replays are ignored)');
    table.string('event_id', 128).primary();
    table.timestamp('received_at', { useTz: true }).notNullable();
  });
};

/**
 * The columns of a stored drift report: when, the counts by severity, a fingerprint of the
 * findings (to tell a change from a repeat) and the report itself.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function reportColumns(table) {
  table.timestamp('checked_at', { useTz: true }).notNullable();
  table.integer('critical').notNullable();
  table.integer('warning').notNullable();
  table.integer('info').notNullable();
  table.string('fingerprint', 64).notNullable();
  table.text('report').notNullable();
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_webhook_deliveries');
  await knex.schema.dropTable('nthlayer_incidents');
  await knex.schema.dropTable('nthlayer_drift_history');
  await knex.schema.dropTable('nthlayer_drift_latest');
};
