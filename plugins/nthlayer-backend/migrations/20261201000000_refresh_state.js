// @ts-check

/**
 * State of the budget task shared by every replica: when a manual refresh was last
 * accepted (the rate limit of POST /v1/refresh) and the outcome of the last refresh (health).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_refresh_state', table => {
    table.comment('One row per task: manual-refresh rate limit and last outcome');
    table.string('task', 64).primary();
    table.bigInteger('manual_requested_at').nullable().comment('Unix ms of the last accepted manual refresh');
    table.bigInteger('succeeded_at').nullable().comment('Unix ms the last successful refresh finished');
    table.text('summary').nullable().comment('JSON summary of the last successful refresh');
    table.bigInteger('failed_at').nullable().comment('Unix ms the last failed refresh finished');
    table.text('failure').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_refresh_state');
};
