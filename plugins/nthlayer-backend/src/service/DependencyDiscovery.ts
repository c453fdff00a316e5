import { LoggerService } from '@backstage/backend-plugin-api';
import { DiscoveredEdge, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { PrometheusRegistry } from './PrometheusRegistry';

/** A metric whose series name a caller and the service it called. */
export interface DiscoverySource {
  /** A counter, e.g. `traces_service_graph_request_total`. */
  metric: string;
  clientLabel: string;
  serverLabel: string;
}

/**
 * Tempo's metrics-generator service graph, and OpenTelemetry's HTTP client duration
 * histogram (its `_count`) where services export client metrics.
 */
export const DEFAULT_DISCOVERY_SOURCES: DiscoverySource[] = [
  { metric: 'traces_service_graph_request_total', clientLabel: 'client', serverLabel: 'server' },
  { metric: 'http_client_request_duration_seconds_count', clientLabel: 'service', serverLabel: 'server_address' },
];

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** `payment-api.shop.svc:8080` → `payment-api`: a server address names a service by its first DNS label. */
export function serverName(address: string): string {
  const host = address.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
  return /^\d+(\.\d+){3}$/.test(host) ? host : host.split('.')[0];
}

/** Reads the edges seen in metrics from every configured Prometheus instance. */
export class DependencyDiscovery {
  constructor(
    private readonly deps: {
      prometheus: PrometheusRegistry;
      sources: DiscoverySource[];
      /** PromQL range of "seen recently", e.g. `7d`. */
      lookback: string;
      logger: LoggerService;
    },
  ) {
    for (const s of deps.sources) {
      if (!METRIC.test(s.metric) || !LABEL.test(s.clientLabel) || !LABEL.test(s.serverLabel)) {
        throw new Error(`nthlayer.graph.discovery: "${cutForMessage(s.metric)}" (${s.clientLabel}, ${s.serverLabel}) is not a metric with two label names`);
      }
    }
  }

  /** Two instant queries per source and instance; undefined when none answered. */
  async discover(now: Date): Promise<DiscoveredEdge[] | undefined> {
    const edges: DiscoveredEdge[] = [];
    let answered = false;
    for (const name of this.deps.prometheus.names) {
      const client = this.deps.prometheus.get(name);
      for (const s of this.deps.sources) {
        const by = `sum by (${s.clientLabel}, ${s.serverLabel})`;
        try {
          const [lookback, rate] = await Promise.all([
            client.queryVector(`${by} (increase(${s.metric}[${this.deps.lookback}]))`, now),
            client.queryVector(`${by} (rate(${s.metric}[5m]))`, now),
          ]);
          answered = true;
          const rates = new Map(rate.map(r => [`${r.labels[s.clientLabel]}\u0000${r.labels[s.serverLabel]}`, r.value]));
          for (const sample of lookback) {
            const from = sample.labels[s.clientLabel];
            const to = sample.labels[s.serverLabel];
            if (!from || !to || !Number.isFinite(sample.value)) continue;
            edges.push({
              client: from,
              server: serverName(to),
              requestsLookback: sample.value,
              requestRate: rates.get(`${from}\u0000${to}`) ?? 0,
            });
          }
        } catch (error) {
          this.deps.logger.warn(`NthLayer could not read ${s.metric} from Prometheus "${name}" for dependency discovery: ${(error as Error).message}`);
        }
      }
    }
    return answered ? edges : undefined;
  }
}
