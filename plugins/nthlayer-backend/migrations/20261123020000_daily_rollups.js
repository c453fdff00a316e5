// @ts-check

/**
 * Daily event counts per SLI definition and member (service), so long windows (30d, 3d)
 * are read as a sum of stored days plus two short partial-day queries instead of a scan of
 * the whole window's raw samples at every refresh.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_daily_events', table => {
    table.comment('Good/total events per UTC day, SLI definition and member');
    table.string('definition', 512).notNullable();
    table.string('member', 255).notNullable();
    table.string('day', 10).notNullable();
    table.double('good_events').notNullable();
    table.double('total_events').notNullable();
    table.primary(['definition', 'member', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_daily_events');
};
