// @ts-check

/**
 * Deploy gate decisions: every check's caller, inputs, verdict and the policies (by hash)
 * that decided it. Append-only.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nthlayer_gate_decisions', table => {
    table.comment('Every deploy gate decision NthLayer answered');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.string('principal', 255).notNullable();
    table.string('version', 128).notNullable();
    table.string('commit', 128).nullable();
    table.string('environment', 64).nullable();
    table.text('labels').notNullable();
    table.string('verdict', 8).notNullable();
    table.integer('exit_code').notNullable();
    table.text('policy_hashes').notNullable();
    table.text('decision').notNullable();
    table.index(['entity_ref', 'decided_at'], 'nthlayer_gate_decisions_entity');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nthlayer_gate_decisions');
};
