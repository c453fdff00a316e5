import { NthlayerService, ServiceType, SloDefinition } from './types';
import { windowKey } from './window';

/** Metric conventions per service type (DESIGN §2). @public */
export const SLI_CONVENTIONS: Record<
  ServiceType,
  { metric: string; badMatcher: string }
> = {
  api: { metric: 'http_requests_total', badMatcher: 'status=~"5.."' },
  worker: { metric: 'jobs_processed_total', badMatcher: 'status="failed"' },
  stream: { metric: 'events_processed_total', badMatcher: 'status="error"' },
};

/** Latency histogram of api services. @public */
export const LATENCY_HISTOGRAM = 'http_request_duration_seconds';

/** The label that identifies a service in batched queries. @public */
export const SERVICE_LABEL = 'service';

/** The PromQL pair whose ratio is an SLI: good events and total events. @public */
export interface SliQueries {
  good: string;
  total: string;
}

/**
 * A regex matching a histogram `le` label for a threshold, whichever way the client
 * library formats it (`0.5`, `0.50`; `1`, `1.0`). Uses `[.]` so no escaping is needed.
 *
 * @public
 */
export function leMatcher(thresholdMs: number): string {
  const seconds = String(thresholdMs / 1000);
  return Number.isInteger(thresholdMs / 1000)
    ? `${seconds}([.]0+)?`
    : `${seconds.replace('.', '[.]')}0*`;
}

function negate(matcher: string): string {
  return matcher.replace(/^(\w+)=~/, '$1!~').replace(/^(\w+)=(?!~)/, '$1!=');
}

function sum(expr: string, byService: boolean): string {
  return byService ? `sum by (${SERVICE_LABEL}) (${expr})` : `sum(${expr})`;
}

/**
 * Good/total queries for one SLO over its window, with `selector` as the base matchers.
 * `byService` aggregates by the service label (batched over every service of a group).
 */
function sliQueries(
  slo: SloDefinition,
  type: ServiceType,
  selector: string,
  byService: boolean,
  window: string,
): SliQueries {
  const range = `[${window}]`;
  if (slo.kind === 'latency' && slo.latency) {
    const le = `le=~"${leMatcher(slo.latency.thresholdMs)}"`;
    return {
      good: sum(`increase(${LATENCY_HISTOGRAM}_bucket{${selector},${le}}${range})`, byService),
      total: sum(`increase(${LATENCY_HISTOGRAM}_count{${selector}}${range})`, byService),
    };
  }
  const { metric, badMatcher } = SLI_CONVENTIONS[type];
  return {
    good: sum(`increase(${metric}{${selector},${negate(badMatcher)}}${range})`, byService),
    total: sum(`increase(${metric}{${selector}}${range})`, byService),
  };
}

/**
 * Key of the batch an SLO belongs to: services with the default selector and the same
 * SLO kind, type, window and latency threshold share one pair of queries.
 *
 * @public
 */
export function sliBatchKey(
  service: NthlayerService,
  slo: SloDefinition,
  options: { ignoreWindow?: boolean } = {},
): string {
  const threshold = slo.latency ? `:${slo.latency.thresholdMs}` : '';
  const window = options.ignoreWindow ? '*' : windowKey(slo.window);
  return `${service.prometheusInstance}|${slo.kind}:${service.type}:${window}${threshold}`;
}

/**
 * Batched `sum by (service)` queries for every service of a batch, over `range` (a PromQL
 * duration; defaults to the SLO's rolling window).
 *
 * @public
 */
export function batchedSliQueries(
  service: NthlayerService,
  slo: SloDefinition,
  range: string = slo.window.text,
): SliQueries {
  return sliQueries(slo, service.type, `${SERVICE_LABEL}!=""`, true, range);
}

/** Queries for one service with a custom selector. @public */
export function serviceSliQueries(
  service: NthlayerService,
  slo: SloDefinition,
  range: string = slo.window.text,
): SliQueries {
  return sliQueries(slo, service.type, service.selector, false, range);
}
