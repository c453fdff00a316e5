// @ts-check

/**
 * Which metric family each entity's SLIs are measured from (resolved against Prometheus by
 * the budget task), with the candidates it tried, for the SLO card and the generators.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_sli_sources', table => {
    table.comment('The metric family each SLI intent of an entity resolved to');
    table.string('entity_ref', 255).notNullable();
    table.string('intent', 16).notNullable();
    table.string('preset', 32).nullable();
    table.string('metric', 255).nullable();
    table.text('resolution').notNullable();
    table.timestamp('resolved_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'intent']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_sli_sources');
};
