// @ts-check

/**
 * Deployments reported by CI/CD (POST /v1/deployments): one row per entity, version and
 * start time; a later report of the same deploy (finished, failed, rolled back) updates it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_deployments', table => {
    table.comment('Deployments of catalog entities as CI/CD reported them');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.string('version', 128).notNullable();
    table.string('commit', 128).nullable();
    table.string('author', 255).nullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('status', 16).notNullable();
    table.string('source', 64).notNullable();
    table.string('url', 2048).nullable();
    table.text('labels').notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'version', 'started_at'], { indexName: 'nthlayer_deployments_unique' });
    table.index(['entity_ref', 'started_at'], 'nthlayer_deployments_entity');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_deployments');
};
