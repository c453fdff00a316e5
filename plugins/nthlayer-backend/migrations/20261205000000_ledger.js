// @ts-check

/**
 * The error-budget ledger: burn episodes per entity and SLO (intervals where the 5-minute
 * burn rate exceeded 1, with their buckets, so a window can clip them), and per SLO the end
 * of the newest bucket read, so each run reads only what is new.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_burn_episodes', table => {
    table.comment('Burn episodes (5-minute burn rate > 1) per entity and SLO');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('slo_name', 64).notNullable();
    table.timestamp('start', { useTz: true }).notNullable();
    table.timestamp('end', { useTz: true }).notNullable();
    table.boolean('ongoing').notNullable();
    table.double('bad_events').notNullable();
    table.double('total_events').notNullable();
    table.double('peak_burn_rate').notNullable();
    // JSON [[endMs, good, total], ...]: the burning buckets.
    table.text('buckets').notNullable();
    table.unique(['entity_ref', 'slo_name', 'start'], { indexName: 'nthlayer_burn_episodes_unique' });
    table.index(['end'], 'nthlayer_burn_episodes_end');
  });
  await knex.schema.createTable('nthlayer_ledger_cursors', table => {
    table.comment('Per entity and SLO: the end of the newest 5-minute bucket the ledger read');
    table.string('entity_ref', 255).notNullable();
    table.string('slo_name', 64).notNullable();
    table.timestamp('bucket_end', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'slo_name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_ledger_cursors');
  await knex.schema.dropTable('nthlayer_burn_episodes');
};
