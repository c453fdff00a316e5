import {
  allPanels,
  dependencies,
  exprs,
  input,
  parse,
  rows,
} from './dashboardTestUtils';

describe('dependency rows of the dashboard', () => {
  it('reads dependencies from their exporters, filtered by a variable', () => {
    const { dashboard } = parse(input({}, dependencies));
    const byTitle = Object.fromEntries(
      rows(dashboard).map(r => [r.title, r.panels]),
    );
    const pg = byTitle['Dependency: PostgreSQL (payments-db, ledger-db)'];
    expect(pg.map(p => p.title)).toEqual(['Connections', 'Replication lag']);
    expect(exprs(pg[0])[0]).toBe(
      'sum by (instance) (pg_stat_activity_count{instance=~"$postgresql_instance"})',
    );
    expect(pg[0].description).toContain('postgres_exporter');
    const redis = byTitle['Dependency: Redis (sessions)'];
    expect(redis.map(p => p.title)).toEqual(['Memory', 'Hit ratio']);
    expect(exprs(redis[1])[0]).toContain(
      'redis_keyspace_misses_total{instance=~"$redis_instance"}',
    );
    const kafka = byTitle['Dependency: Kafka (orders)'];
    expect(exprs(kafka[0])[0]).toBe(
      'sum by (consumergroup, topic) (kafka_consumergroup_lag{consumergroup=~"$kafka_consumergroup"})',
    );
    const es = byTitle['Dependency: Elasticsearch (search)'];
    expect(es[0].title).toBe('Cluster health');
    const variables = dashboard.templating.list.map((v: any) => [
      v.name,
      v.definition,
    ]);
    expect(variables).toEqual([
      ['datasource', undefined],
      [
        'elasticsearch_cluster',
        'label_values(elasticsearch_cluster_health_status, cluster)',
      ],
      [
        'kafka_consumergroup',
        'label_values(kafka_consumergroup_lag, consumergroup)',
      ],
      ['postgresql_instance', 'label_values(pg_up, instance)'],
      ['redis_instance', 'label_values(redis_up, instance)'],
    ]);
    for (const panel of allPanels(dashboard)) {
      expect(panel.datasource).toEqual({
        type: 'prometheus',
        uid: '${datasource}',
      });
    }
  });

  it('reports a technology it has no panels for', () => {
    const { findings, dashboard } = parse(
      input({}, [
        {
          ref: 'resource:default/c',
          name: 'c',
          kind: 'resource',
          technology: 'cassandra',
        },
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/technology',
        value: 'cassandra',
      }),
    ]);
    expect(rows(dashboard)).toHaveLength(2);
  });
});
