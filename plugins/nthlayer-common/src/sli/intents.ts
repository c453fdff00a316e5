import { ServiceType } from '../types';
import type { CustomSli } from './custom';

/**
 * What an SLI needs from a service's metrics: counted requests (with the bad ones told apart by
 * a matcher), a latency histogram, processed jobs, processed events. @public
 */
export type SliIntent = 'requests' | 'latency' | 'jobs' | 'events';

/** Presets: families of metric names as an instrumentation library exports them. @public */
export type SliPresetId =
  | 'nthlayer'
  | 'otel-http'
  | 'otel-rpc'
  | 'micrometer'
  | 'grpc-go'
  | 'grpc-java'
  | 'istio'
  | 'envoy'
  | 'nginx-ingress'
  | 'otel-messaging'
  | 'custom';

/**
 * One candidate metric family for an intent: the series NthLayer counts, the label that names
 * the service in them, and (for counted events) the matcher selecting the bad ones.
 * @public
 */
export interface SliCandidate {
  preset: SliPresetId;
  intent: SliIntent;
  /**
   * For counted intents the counter sample (`http_requests_total`, `…_count` of a histogram);
   * for latency the histogram's base name (its `_bucket` series are read).
   */
  metric: string;
  /** The label whose value is the service's name (`nthlayer.dev/prometheus-selector` overrides). */
  serviceLabel: string;
  /** Counted intents: the matcher of bad events, e.g. `status=~"5.."`. */
  badMatcher?: string;
  /** Latency: the unit of the histogram's `le` bounds. */
  unit?: 'seconds' | 'milliseconds';
  /** Matchers every query of this family carries, e.g. Istio's `reporter="destination"`. */
  extraMatchers?: string;
  /** The entity's own queries (`nthlayer.dev/sli-good|bad|total`), used as written. */
  custom?: CustomSli;
}

/** A preset: who produces the metrics, and its candidate per intent. @public */
export interface SliPreset {
  id: SliPresetId;
  /** Shown on the SLO card: "measured from `metric` (title)". */
  title: string;
  /** The instrumentation or exporter that provides these metrics, for the "nothing found" finding. */
  providedBy: string;
  candidates: SliCandidate[];
}

const GRPC_SERVER_ERRORS = 'Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss';

function preset(
  id: SliPresetId,
  title: string,
  providedBy: string,
  candidates: Array<Omit<SliCandidate, 'preset'>>,
): SliPreset {
  return { id, title, providedBy, candidates: candidates.map(c => ({ ...c, preset: id })) };
}

/**
 * The presets in the order the resolver tries them: this project's convention first, then
 * the OpenTelemetry semantic conventions (stable names as the Prometheus exporter writes
 * them), Micrometer, gRPC, meshes and ingresses. @public
 */
export const SLI_PRESETS: readonly SliPreset[] = [
  preset('nthlayer', 'NthLayer convention', 'a client library exporting http_requests_total{service,status} (DESIGN §2)', [
    { intent: 'requests', metric: 'http_requests_total', serviceLabel: 'service', badMatcher: 'status=~"5.."' },
    { intent: 'latency', metric: 'http_request_duration_seconds', serviceLabel: 'service', unit: 'seconds' },
    { intent: 'jobs', metric: 'jobs_processed_total', serviceLabel: 'service', badMatcher: 'status="failed"' },
    { intent: 'events', metric: 'events_processed_total', serviceLabel: 'service', badMatcher: 'status="error"' },
  ]),
  preset('otel-http', 'OpenTelemetry HTTP', 'an OpenTelemetry SDK or agent (HTTP server semantic conventions) through the Prometheus exporter or OTLP ingestion', [
    { intent: 'requests', metric: 'http_server_request_duration_seconds_count', serviceLabel: 'job', badMatcher: 'http_response_status_code=~"5.."' },
    { intent: 'latency', metric: 'http_server_request_duration_seconds', serviceLabel: 'job', unit: 'seconds' },
  ]),
  preset('otel-rpc', 'OpenTelemetry RPC', 'an OpenTelemetry SDK or agent (RPC server semantic conventions, gRPC)', [
    // rpc.grpc.status_code: 2 Unknown, 4 DeadlineExceeded, 12 Unimplemented, 13 Internal, 14 Unavailable, 15 DataLoss.
    { intent: 'requests', metric: 'rpc_server_duration_milliseconds_count', serviceLabel: 'job', badMatcher: 'rpc_grpc_status_code=~"2|4|12|13|14|15"' },
    { intent: 'latency', metric: 'rpc_server_duration_milliseconds', serviceLabel: 'job', unit: 'milliseconds' },
  ]),
  preset('micrometer', 'Micrometer (Spring Boot)', 'Spring Boot Actuator with micrometer-registry-prometheus (the `application` common tag; percentiles-histogram for latency)', [
    { intent: 'requests', metric: 'http_server_requests_seconds_count', serviceLabel: 'application', badMatcher: 'outcome="SERVER_ERROR"' },
    { intent: 'latency', metric: 'http_server_requests_seconds', serviceLabel: 'application', unit: 'seconds' },
  ]),
  preset('grpc-go', 'gRPC Go (go-grpc-prometheus)', 'grpc-ecosystem/go-grpc-prometheus or go-grpc-middleware providers/prometheus (handling-time histogram enabled for latency)', [
    { intent: 'requests', metric: 'grpc_server_handled_total', serviceLabel: 'job', badMatcher: `grpc_code=~"${GRPC_SERVER_ERRORS}"` },
    { intent: 'latency', metric: 'grpc_server_handling_seconds', serviceLabel: 'job', unit: 'seconds' },
  ]),
  preset('grpc-java', 'gRPC Java (java-grpc-prometheus)', 'java-grpc-prometheus (MonitoringServerInterceptor with all metrics)', [
    { intent: 'requests', metric: 'grpc_server_handled_total', serviceLabel: 'job', badMatcher: `grpc_code=~"${GRPC_SERVER_ERRORS}"` },
    { intent: 'latency', metric: 'grpc_server_handled_latency_seconds', serviceLabel: 'job', unit: 'seconds' },
  ]),
  preset('istio', 'Istio', 'the Istio sidecar or ambient waypoint (standard metrics, reporter="destination")', [
    { intent: 'requests', metric: 'istio_requests_total', serviceLabel: 'destination_service_name', badMatcher: 'response_code=~"5.."', extraMatchers: 'reporter="destination"' },
    { intent: 'latency', metric: 'istio_request_duration_milliseconds', serviceLabel: 'destination_service_name', unit: 'milliseconds', extraMatchers: 'reporter="destination"' },
  ]),
  preset('envoy', 'Envoy', "Envoy's Prometheus stats endpoint (/stats/prometheus), one cluster per service", [
    { intent: 'requests', metric: 'envoy_cluster_upstream_rq_xx', serviceLabel: 'envoy_cluster_name', badMatcher: 'envoy_response_code_class="5"' },
    { intent: 'latency', metric: 'envoy_cluster_upstream_rq_time', serviceLabel: 'envoy_cluster_name', unit: 'milliseconds' },
  ]),
  preset('nginx-ingress', 'NGINX Ingress', 'ingress-nginx controller metrics (the `service` label is the backend Service)', [
    { intent: 'requests', metric: 'nginx_ingress_controller_requests', serviceLabel: 'service', badMatcher: 'status=~"5.."' },
    { intent: 'latency', metric: 'nginx_ingress_controller_request_duration_seconds', serviceLabel: 'service', unit: 'seconds' },
  ]),
  preset('otel-messaging', 'OpenTelemetry messaging', 'an OpenTelemetry SDK or agent (messaging consumer semantic conventions)', [
    { intent: 'jobs', metric: 'messaging_process_duration_seconds_count', serviceLabel: 'job', badMatcher: 'error_type!=""' },
    { intent: 'events', metric: 'messaging_process_duration_seconds_count', serviceLabel: 'job', badMatcher: 'error_type!=""' },
  ]),
];

/** The intents each service type's SLOs need (availability, then latency for api). @public */
export const SLI_INTENTS: Record<ServiceType, SliIntent[]> = {
  api: ['requests', 'latency'],
  worker: ['jobs'],
  stream: ['events'],
};

/** The entity's own PromQL: not resolved, never tried; named on the card. @public */
export const CUSTOM_SLI_PRESET: SliPreset = {
  id: 'custom',
  title: 'custom PromQL',
  providedBy: "the entity's nthlayer.dev/sli-good (or -bad) and nthlayer.dev/sli-total annotations",
  candidates: [],
};

/** A preset by id (`custom` included), or undefined. @public */
export function sliPreset(id: string): SliPreset | undefined {
  return id === 'custom' ? CUSTOM_SLI_PRESET : SLI_PRESETS.find(p => p.id === id);
}

/**
 * The candidates for an intent in resolution order; with a pinned preset only that preset's
 * (none when it does not cover the intent). @public
 */
export function sliCandidates(intent: SliIntent, pinned?: SliPresetId): SliCandidate[] {
  return SLI_PRESETS.filter(p => !pinned || p.id === pinned).flatMap(p => p.candidates.filter(c => c.intent === intent));
}

/**
 * The series selector that tells whether a candidate exists for a service: counted intents by
 * their counter, latency by its `_bucket` series. `serviceMatcher` overrides the candidate's
 * service label (e.g. the entity's own selector, `job="checkout"`). @public
 */
export function candidateSeriesSelector(c: SliCandidate, serviceName: string, serviceMatcher?: string): string {
  const name = c.intent === 'latency' ? `${c.metric}_bucket` : c.metric;
  const matchers = [serviceMatcher ?? `${c.serviceLabel}="${serviceName.replace(/["\\]/g, '\\$&')}"`];
  if (c.extraMatchers) matchers.push(c.extraMatchers);
  return `${name}{${matchers.join(',')}}`;
}

/** How an intent was resolved for a service. @public */
export interface SliResolution {
  intent: SliIntent;
  /** The first candidate with series, or null when none has. */
  chosen: SliCandidate | null;
  /** Every candidate asked, in order, with whether series exist (up to the chosen one). */
  tried: Array<{ preset: SliPresetId; metric: string; selector: string; found: boolean }>;
  pinned?: SliPresetId;
}

/**
 * Picks the first candidate whose series exist (`exists` answers per selector, e.g. from the
 * Prometheus series API), asking in order and stopping at the first hit. @public
 */
export async function resolveSliIntent(
  intent: SliIntent,
  serviceName: string,
  exists: (selector: string, candidate: SliCandidate) => Promise<boolean>,
  options: { pinned?: SliPresetId; serviceMatcher?: string } = {},
): Promise<SliResolution> {
  const tried: SliResolution['tried'] = [];
  for (const candidate of sliCandidates(intent, options.pinned)) {
    const selector = candidateSeriesSelector(candidate, serviceName, options.serviceMatcher);
    const found = await exists(selector, candidate);
    tried.push({ preset: candidate.preset, metric: candidate.metric, selector, found });
    if (found) return { intent, chosen: candidate, tried, pinned: options.pinned };
  }
  return { intent, chosen: null, tried, pinned: options.pinned };
}

/**
 * The message of the finding for an intent nothing was found for: what was looked for and
 * which instrumentation would provide it. @public
 */
export function unresolvedSliMessage(resolution: SliResolution): string {
  const looked = resolution.tried.map(t => `${t.selector} (${sliPreset(t.preset)!.title})`);
  const hints = [...new Set(resolution.tried.map(t => sliPreset(t.preset)!.providedBy))];
  const pinned = resolution.pinned ? ` (nthlayer.dev/sli-preset pins ${resolution.pinned})` : '';
  if (looked.length === 0) {
    return `No metrics for ${resolution.intent}${pinned}: the preset has none for this intent.`;
  }
  return `No series for ${resolution.intent}${pinned}. Looked for: ${looked.join('; ')}. Any of these provides them: ${hints.join('; ')}.`;
}
