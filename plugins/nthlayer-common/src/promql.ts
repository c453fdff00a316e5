import { defaultSelector } from './selector';
import { SliCandidate, SliIntent, sliCandidates } from './sli/intents';
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
  const m = matcher.match(/^(\w+)(=~|!~|!=|=)(.*)$/s);
  if (!m) return matcher;
  const opposite: Record<string, string> = { '=~': '!~', '!~': '=~', '!=': '=', '=': '!=' };
  return `${m[1]}${opposite[m[2]]}${m[3]}`;
}

function sum(expr: string, byLabel: string | undefined): string {
  return byLabel ? `sum by (${byLabel}) (${expr})` : `sum(${expr})`;
}

/** The `le` matcher of a threshold in the histogram's unit. */
function leFor(thresholdMs: number, unit: SliCandidate['unit']): string {
  if (unit !== 'milliseconds') return leMatcher(thresholdMs);
  const ms = String(thresholdMs);
  return Number.isInteger(thresholdMs) ? `${ms}([.]0+)?` : `${ms.replace('.', '[.]')}0*`;
}

/** The intent an SLO is measured by: latency from a histogram, availability by the type's counter. @public */
export function sliIntentOf(service: Pick<NthlayerService, 'type'>, slo: Pick<SloDefinition, 'kind'>): SliIntent {
  if (slo.kind === 'latency') return 'latency';
  return ({ api: 'requests', worker: 'jobs', stream: 'events' } as const)[service.type];
}

/**
 * The metric family an SLO is measured from: the one resolved for the service (`sli`), else
 * this project's convention (DESIGN §2). @public
 */
export function sliCandidateFor(
  service: Pick<NthlayerService, 'type' | 'sli' | 'customSli'>,
  slo: Pick<SloDefinition, 'kind' | 'customSli'>,
): SliCandidate {
  const intent = sliIntentOf(service, slo);
  const custom = slo.customSli ?? (intent !== 'latency' ? service.customSli : undefined);
  if (custom) {
    // metric: the total query, as the card shows what the SLI is measured from.
    return { preset: 'custom', intent, metric: custom.total, serviceLabel: '', custom };
  }
  return service.sli?.[intent] ?? sliCandidates(intent, 'nthlayer')[0];
}

/**
 * Event selectors (without range) of an SLO: good and total — or, for a custom SLI given by
 * its bad events, bad and total. @public
 */
export interface SliSelectors {
  good?: string;
  bad?: string;
  total: string;
  /** The family they come from. */
  candidate: SliCandidate;
}

/**
 * The base matchers of a service's series in a family: `<serviceLabel>="<name>"` for the
 * default selector, else the entity's own `nthlayer.dev/prometheus-selector`, plus the
 * family's fixed matchers. @public
 */
export function sliServiceMatchers(
  service: Pick<NthlayerService, 'name' | 'selector'>,
  candidate: SliCandidate,
): string {
  // The model's default selector (`service="<name>"`) names the service in this project's
  // convention; another family names it with its own label.
  const base = service.selector === defaultSelector(service.name)
    ? `${candidate.serviceLabel}="${service.name.replace(/["\\]/g, '\\$&')}"`
    : service.selector;
  return candidate.extraMatchers ? `${base},${candidate.extraMatchers}` : base;
}

/**
 * Good and total event selectors of one SLO from the metric family it is measured from
 * (resolved, or the convention): what the recording rules, OpenSLO and dashboards query.
 * @public
 */
export function sliSelectors(
  service: Pick<NthlayerService, 'name' | 'selector' | 'defaultSelector' | 'type' | 'sli' | 'customSli'>,
  slo: SloDefinition,
): SliSelectors {
  const candidate = sliCandidateFor(service, slo);
  if (candidate.custom) {
    const { good, bad, total } = candidate.custom;
    return good ? { good, total, candidate } : { bad, total, candidate };
  }
  const base = sliServiceMatchers(service, candidate);
  if (slo.kind === 'latency' && slo.latency) {
    const le = `le=~"${leFor(slo.latency.thresholdMs, candidate.unit)}"`;
    return { good: `${candidate.metric}_bucket{${base},${le}}`, total: `${candidate.metric}_count{${base}}`, candidate };
  }
  return {
    good: `${candidate.metric}{${base},${negate(candidate.badMatcher!)}}`,
    total: `${candidate.metric}{${base}}`,
    candidate,
  };
}

/**
 * Good/total queries for one SLO over its window from `candidate`'s metrics, with `selector`
 * as the base matchers. `byLabel` aggregates by that label (batched over every service of a
 * group).
 */
function sliQueries(
  slo: SloDefinition,
  candidate: SliCandidate,
  selector: string,
  byLabel: string | undefined,
  window: string,
): SliQueries {
  const range = `[${window}]`;
  if (candidate.custom) {
    // The entity's own counters, as written; never batched (byLabel is unset for them).
    const { good, bad, total } = candidate.custom;
    const inc = (sel: string) => `sum(increase(${sel}${range}))`;
    return { good: good ? inc(good) : `${inc(total)} - (${inc(bad!)} or vector(0))`, total: inc(total) };
  }
  const base = candidate.extraMatchers ? `${selector},${candidate.extraMatchers}` : selector;
  if (slo.kind === 'latency' && slo.latency) {
    const le = `le=~"${leFor(slo.latency.thresholdMs, candidate.unit)}"`;
    return {
      good: sum(`increase(${candidate.metric}_bucket{${base},${le}}${range})`, byLabel),
      total: sum(`increase(${candidate.metric}_count{${base}}${range})`, byLabel),
    };
  }
  const bad = candidate.badMatcher!;
  return {
    good: sum(`increase(${candidate.metric}{${base},${negate(bad)}}${range})`, byLabel),
    total: sum(`increase(${candidate.metric}{${base}}${range})`, byLabel),
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
  const candidate = sliCandidateFor(service, slo);
  const family = candidate.preset === 'nthlayer' ? '' : `@${candidate.preset}:${candidate.custom ? JSON.stringify(candidate.custom) : candidate.metric}`;
  return `${service.prometheusInstance}|${slo.kind}:${service.type}${family}:${window}${threshold}`;
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
  const candidate = sliCandidateFor(service, slo);
  return sliQueries(slo, candidate, `${candidate.serviceLabel}!=""`, candidate.serviceLabel, range);
}

/** The label batched queries of this SLO are aggregated by (the member's value is its name). @public */
export function sliBatchLabel(service: Pick<NthlayerService, 'type' | 'sli' | 'customSli'>, slo: Pick<SloDefinition, 'kind' | 'customSli'>): string {
  return sliCandidateFor(service, slo).serviceLabel;
}

/** Queries for one service with a custom selector. @public */
export function serviceSliQueries(
  service: NthlayerService,
  slo: SloDefinition,
  range: string = slo.window.text,
): SliQueries {
  const candidate = sliCandidateFor(service, slo);
  // sliQueries adds the family's fixed matchers itself.
  const selector = sliServiceMatchers({ name: service.name, selector: service.selector }, { ...candidate, extraMatchers: undefined });
  return sliQueries(slo, candidate, selector, undefined, range);
}
