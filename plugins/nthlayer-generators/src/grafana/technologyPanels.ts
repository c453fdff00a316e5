import { PanelSpec } from './panelKit';

/** Dashboard panels of one dependency technology, read from its usual exporter. */
export interface TechnologyPanels {
  title: string;
  /** The exporter whose metric names the panels use. */
  exporter: string;
  /** The template variable that picks the dependency's series: label and a metric that has it. */
  variable: { label: string; metric: string };
  /** Panels given `m`, the matcher on the variable, e.g. `instance=~"$postgresql_instance"`. */
  panels: (
    m: string,
  ) => Array<Omit<PanelSpec, 'description'> & { about: string }>;
}

const R = '[5m]';

/** Known technologies (DESIGN §2 list). Metric names are the exporters' defaults. */
export const TECHNOLOGY_PANELS: Record<string, TechnologyPanels> = {
  postgresql: {
    title: 'PostgreSQL',
    exporter: 'postgres_exporter (prometheus-community)',
    variable: { label: 'instance', metric: 'pg_up' },
    panels: m => [
      {
        title: 'Connections',
        about:
          'Backends by instance (pg_stat_activity_count) against max_connections.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (pg_stat_activity_count{${m}})`,
            legend: '{{instance}} used',
          },
          {
            expr: `max by (instance) (pg_settings_max_connections{${m}})`,
            legend: '{{instance}} max',
          },
        ],
      },
      {
        title: 'Replication lag',
        about:
          'Seconds the replica is behind its primary (pg_replication_lag_seconds).',
        unit: 's',
        queries: [
          {
            expr: `max by (instance) (pg_replication_lag_seconds{${m}})`,
            legend: '{{instance}}',
          },
        ],
      },
    ],
  },
  mysql: {
    title: 'MySQL',
    exporter: 'mysqld_exporter (prometheus)',
    variable: { label: 'instance', metric: 'mysql_up' },
    panels: m => [
      {
        title: 'Connections',
        about: 'Connected threads against max_connections.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (mysql_global_status_threads_connected{${m}})`,
            legend: '{{instance}} used',
          },
          {
            expr: `max by (instance) (mysql_global_variables_max_connections{${m}})`,
            legend: '{{instance}} max',
          },
        ],
      },
      {
        title: 'Replication lag',
        about:
          'Seconds behind the source (mysql_slave_status_seconds_behind_master).',
        unit: 's',
        queries: [
          {
            expr: `max by (instance) (mysql_slave_status_seconds_behind_master{${m}})`,
            legend: '{{instance}}',
          },
        ],
      },
    ],
  },
  redis: {
    title: 'Redis',
    exporter: 'redis_exporter (oliver006)',
    variable: { label: 'instance', metric: 'redis_up' },
    panels: m => [
      {
        title: 'Memory',
        about: 'Used memory against maxmemory (0 when unlimited).',
        unit: 'bytes',
        queries: [
          {
            expr: `sum by (instance) (redis_memory_used_bytes{${m}})`,
            legend: '{{instance}} used',
          },
          {
            expr: `max by (instance) (redis_memory_max_bytes{${m}})`,
            legend: '{{instance}} max',
          },
        ],
      },
      {
        title: 'Hit ratio',
        about: 'Keyspace hits / (hits + misses) over 5-minute windows.',
        unit: 'percentunit',
        queries: [
          {
            expr:
              `sum by (instance) (rate(redis_keyspace_hits_total{${m}}${R})) / (sum by (instance) ` +
              `(rate(redis_keyspace_hits_total{${m}}${R})) + sum by (instance) ` +
              `(rate(redis_keyspace_misses_total{${m}}${R})))`,
            legend: '{{instance}}',
          },
        ],
      },
    ],
  },
  mongodb: {
    title: 'MongoDB',
    exporter: 'mongodb_exporter (Percona, v2 metric names)',
    variable: { label: 'instance', metric: 'mongodb_up' },
    panels: m => [
      {
        title: 'Connections',
        about: 'Current and available connections (mongodb_ss_connections).',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (mongodb_ss_connections{${m},conn_type="current"})`,
            legend: '{{instance}} current',
          },
          {
            expr: `sum by (instance) (mongodb_ss_connections{${m},conn_type="available"})`,
            legend: '{{instance}} available',
          },
        ],
      },
      {
        title: 'Operations',
        about: 'Operations per second by type (mongodb_ss_opcounters).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (legacy_op_type) (rate(mongodb_ss_opcounters{${m}}${R}))`,
            legend: '{{legacy_op_type}}',
          },
        ],
      },
    ],
  },
  elasticsearch: {
    title: 'Elasticsearch',
    exporter: 'elasticsearch_exporter (prometheus-community)',
    variable: {
      label: 'cluster',
      metric: 'elasticsearch_cluster_health_status',
    },
    panels: m => [
      {
        title: 'Cluster health',
        about: 'The current health colour of the cluster is 1, the others 0.',
        unit: 'short',
        queries: [
          {
            expr: `max by (cluster, color) (elasticsearch_cluster_health_status{${m}})`,
            legend: '{{cluster}} {{color}}',
          },
        ],
      },
      {
        title: 'Nodes and unassigned shards',
        about: 'Nodes in the cluster and shards not allocated to any node.',
        unit: 'short',
        queries: [
          {
            expr: `max by (cluster) (elasticsearch_cluster_health_number_of_nodes{${m}})`,
            legend: '{{cluster}} nodes',
          },
          {
            expr: `max by (cluster) (elasticsearch_cluster_health_unassigned_shards{${m}})`,
            legend: '{{cluster}} unassigned shards',
          },
        ],
      },
    ],
  },
  kafka: {
    title: 'Kafka',
    exporter: 'kafka_exporter (danielqsj)',
    variable: { label: 'consumergroup', metric: 'kafka_consumergroup_lag' },
    panels: m => [
      {
        title: 'Consumer lag',
        about: 'Messages not yet consumed, by consumer group and topic.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag{${m}})`,
            legend: '{{consumergroup}} {{topic}}',
          },
        ],
      },
      {
        title: 'Consumption rate',
        about: 'Committed offsets per second, by consumer group.',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (consumergroup) (rate(kafka_consumergroup_current_offset{${m}}${R}))`,
            legend: '{{consumergroup}}',
          },
        ],
      },
    ],
  },
  rabbitmq: {
    title: 'RabbitMQ',
    exporter: 'the rabbitmq_prometheus plugin built into RabbitMQ',
    variable: { label: 'instance', metric: 'rabbitmq_build_info' },
    panels: m => [
      {
        title: 'Queued messages',
        about:
          'Messages ready for delivery and delivered but not yet acknowledged.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (rabbitmq_queue_messages_ready{${m}})`,
            legend: '{{instance}} ready',
          },
          {
            expr: `sum by (instance) (rabbitmq_queue_messages_unacked{${m}})`,
            legend: '{{instance}} unacked',
          },
        ],
      },
      {
        title: 'Connections',
        about: 'Open client connections.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (rabbitmq_connections{${m}})`,
            legend: '{{instance}}',
          },
        ],
      },
    ],
  },
  nats: {
    title: 'NATS',
    exporter: 'prometheus-nats-exporter (nats-io)',
    variable: { label: 'instance', metric: 'gnatsd_varz_connections' },
    panels: m => [
      {
        title: 'Connections and slow consumers',
        about:
          'Client connections and consumers NATS had to drop messages for.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (instance) (gnatsd_varz_connections{${m}})`,
            legend: '{{instance}} connections',
          },
          {
            expr: `sum by (instance) (gnatsd_varz_slow_consumers{${m}})`,
            legend: '{{instance}} slow consumers',
          },
        ],
      },
    ],
  },
};

const ALIASES: Record<string, string> = {
  postgres: 'postgresql',
  pg: 'postgresql',
  mariadb: 'mysql',
  mongo: 'mongodb',
  elastic: 'elasticsearch',
  opensearch: 'elasticsearch',
};

/** The canonical technology name, e.g. `postgres` → `postgresql`. */
export function canonicalTechnology(technology: string): string {
  const key = technology.trim().toLowerCase();
  return ALIASES[key] ?? key;
}
