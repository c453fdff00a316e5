import { canonicalTechnology } from '../grafana/technologyPanels';
import {
  AlertCatalogue,
  CatalogueExporter,
  CatalogueService,
  catalogueServices,
} from './catalogue';

/**
 * The DESIGN §2 technologies: catalogue service and the exporter used by default (the
 * most common one where the catalogue lists several).
 *
 * @public
 */
export const SUPPORTED_TECHNOLOGIES: Record<
  string,
  { service: string; exporter: string }
> = {
  postgresql: { service: 'PostgreSQL', exporter: 'postgres-exporter' },
  mysql: { service: 'MySQL', exporter: 'mysqld-exporter' },
  redis: { service: 'Redis', exporter: 'oliver006-redis-exporter' },
  mongodb: { service: 'MongoDB', exporter: 'percona-mongodb-exporter' },
  elasticsearch: {
    service: 'Elasticsearch',
    exporter: 'prometheus-community-elasticsearch-exporter',
  },
  kafka: { service: 'Kafka', exporter: 'danielqsj-kafka-exporter' },
  rabbitmq: { service: 'RabbitMQ', exporter: 'rabbitmq-exporter' },
  nats: { service: 'Nats', exporter: 'nats-exporter' },
};

/** A technology resolved to the catalogue. @public */
export interface ResolvedTechnology {
  /** Canonical technology name, e.g. `postgresql`. */
  technology: string;
  service: CatalogueService;
  exporter: CatalogueExporter;
}

const normalise = (name: string) =>
  name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Finds the catalogue rules of a technology: a DESIGN §2 technology, else a catalogue
 * service of the same name (`memcached`, `cassandra`, `haproxy`, `opensearch`, …), else a
 * known alias (`postgres` → `postgresql`). `exporters` picks a non-default exporter by slug,
 * e.g. `{ rabbitmq: 'kbudde-rabbitmq-exporter' }`. Undefined when unknown.
 *
 * @public
 */
export function resolveTechnology(
  catalogue: AlertCatalogue,
  technology: string,
  exporters: Record<string, string> = {},
): ResolvedTechnology | undefined {
  const services = catalogueServices(catalogue);
  const raw = technology.trim().toLowerCase();
  const candidates = [raw, canonicalTechnology(raw)];
  for (const candidate of candidates) {
    const known = SUPPORTED_TECHNOLOGIES[candidate];
    const service = known
      ? services.find(s => s.name === known.service)
      : services.find(s => normalise(s.name) === normalise(candidate));
    if (!service || !service.exporters.length) continue;
    const slug = exporters[candidate] ?? known?.exporter;
    const exporter =
      service.exporters.find(e => e.slug === slug) ?? service.exporters[0];
    return { technology: candidate, service, exporter };
  }
  return undefined;
}

/** CamelCase of a phrase, keeping inner capitals: `MySQL too many (> 80%)` → `MySQLTooMany80`. */
export function camelCase(phrase: string): string {
  return phrase
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(word => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Alert name of a catalogue rule: CamelCase, prefixed by the technology's catalogue name
 * (`Postgresql down` → `PostgreSQLDown`, `Mgob backup failed` → `MongoDBMgobBackupFailed`).
 *
 * @public
 */
export function technologyAlertName(
  serviceName: string,
  ruleName: string,
): string {
  const prefix = camelCase(serviceName);
  const name = camelCase(ruleName);
  const body = name.toLowerCase().startsWith(prefix.toLowerCase())
    ? name.slice(prefix.length)
    : name;
  return `${prefix}${body}`;
}
