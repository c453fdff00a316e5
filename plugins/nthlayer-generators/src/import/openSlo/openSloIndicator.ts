import {
  ACCEPTED_CUSTOM_SLI_QUERY,
  CustomSli,
  SloKind,
  counterSelectorOf,
  cutForMessage,
} from '@nthlayer/backstage-plugin-common';
import { OpenSloDoc, OpenSloReporter, openSloPosition, report, shortValue, sloLabel } from './openSloFindings';
import { LatencyHistogram, latencyHistogramOf, ratioLatency } from './openSloLatency';

/** The documents an SLO can refer to, by `metadata.name`, and the ones that were skipped. @public */
export interface OpenSloRefs {
  slis: Map<string, OpenSloDoc>;
  dataSources: Map<string, OpenSloDoc>;
  /** `SLI:<name>` / `DataSource:<name>` → the index of a skipped document of that name. */
  skipped: Map<string, number>;
}

/**
 * What an SLO measures: a ratio of two counters (availability, or latency when it is a
 * histogram's bucket over its count), or a latency histogram compared with each objective's
 * value.
 *
 * @public
 */
export type OpenSloIndicator =
  | { type: 'ratio'; kind: SloKind; customSli: CustomSli; thresholdMs?: number }
  | { type: 'threshold'; histogram: LatencyHistogram; doc: OpenSloDoc; path: string };

/** Where an SLI spec is: the SLO's inline `indicator` or a referenced SLI document. */
interface SliSource {
  doc: OpenSloDoc;
  /** Path of the SLI's spec in `doc`, e.g. `spec.indicator.spec`. */
  path: string;
  spec: Record<string, unknown>;
}

/** What reading an SLO's indicator needs. */
interface Reading {
  slo: OpenSloDoc;
  refs: OpenSloRefs;
  reporter: OpenSloReporter;
}

/** What a thresholdMetric must be, for findings. @public */
export const ACCEPTED_THRESHOLD_METRIC =
  'a latency histogram: histogram_quantile(q, sum by (le) (rate(<family>_bucket{…}[5m]))), <family>_bucket{…} or <family>{…} of a *_seconds or *_milliseconds histogram, with objectives op lt or lte and value the threshold in its unit';

const PROMETHEUS = /^prometheus$/i;

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function skip(r: Reading, doc: OpenSloDoc, path: string, problem: string, accepted: string): undefined {
  report(r.reporter, 'error', openSloPosition(doc, path), problem, accepted, `${sloLabel(r.slo)} is skipped.`);
  return undefined;
}

function refProblem(r: Reading, kind: 'SLI' | 'DataSource', name: string): string {
  const skippedAt = r.refs.skipped.get(`${kind}:${name}`);
  const shown = cutForMessage(name, 80);
  return skippedAt
    ? `names the ${kind} ${shown}, which was skipped (see the finding of document ${skippedAt})`
    : `names the ${kind} ${shown}, which is not among the documents`;
}

function sliSource(r: Reading): SliSource | undefined {
  const spec = r.slo.value.spec as Record<string, unknown>;
  if (isMapping(spec.indicator)) {
    const inner = isMapping(spec.indicator.spec) ? spec.indicator.spec : {};
    return { doc: r.slo, path: 'spec.indicator.spec', spec: inner };
  }
  const ref = String(spec.indicatorRef);
  const sli = r.refs.slis.get(ref);
  if (sli) return { doc: sli, path: 'spec', spec: sli.value.spec as Record<string, unknown> };
  return skip(r, r.slo, 'spec.indicatorRef', refProblem(r, 'SLI', ref), 'the metadata.name of an SLI document of the same set');
}

/** The PromQL of one metric source (`<path>.metricSource`): Prometheus only, by type or DataSource. */
function prometheusQuery(r: Reading, source: SliSource, path: string, holder: unknown): string | undefined {
  const at = `${source.path}.${path}.metricSource`;
  const metricSource = isMapping(holder) && isMapping(holder.metricSource) ? holder.metricSource : {};
  const ref = metricSource.metricSourceRef;
  if (typeof ref === 'string') {
    const dataSource = r.refs.dataSources.get(ref);
    if (!dataSource) return skip(r, source.doc, `${at}.metricSourceRef`, refProblem(r, 'DataSource', ref), 'the metadata.name of a DataSource document of the same set');
    const type = (dataSource.value.spec as Record<string, unknown>).type;
    if (typeof type !== 'string' || !PROMETHEUS.test(type)) {
      return skip(r, dataSource, 'spec.type', `is ${shortValue(type)}: NthLayer reads Prometheus data sources only`, 'Prometheus');
    }
  }
  const type = metricSource.type;
  if (type !== undefined && (typeof type !== 'string' || !PROMETHEUS.test(type))) {
    return skip(r, source.doc, `${at}.type`, `is ${shortValue(type)}: NthLayer reads Prometheus metric sources only`, 'Prometheus');
  }
  if (type === undefined && typeof ref !== 'string') {
    return skip(r, source.doc, `${at}.type`, 'is missing: NthLayer reads Prometheus metric sources only', 'Prometheus (or a metricSourceRef to a Prometheus DataSource)');
  }
  const spec = isMapping(metricSource.spec) ? metricSource.spec : {};
  if (typeof spec.query !== 'string' || !spec.query.trim()) {
    return skip(r, source.doc, `${at}.spec.query`, `is ${shortValue(spec.query)}`, 'a PromQL query');
  }
  return spec.query;
}

function notesAsWarnings(r: Reading, doc: OpenSloDoc, path: string, notes: string[]) {
  for (const note of notes) {
    report(r.reporter, 'warning', openSloPosition(doc, path), 'is read as its counter', ACCEPTED_CUSTOM_SLI_QUERY, note);
  }
}

/** One side of a ratio as a counter selector. */
function ratioSide(r: Reading, source: SliSource, field: string, holder: unknown): string | undefined {
  const query = prometheusQuery(r, source, `ratioMetric.${field}`, holder);
  if (query === undefined) return undefined;
  const path = `${source.path}.ratioMetric.${field}.metricSource.spec.query`;
  const result = counterSelectorOf(query);
  if ('problem' in result) return skip(r, source.doc, path, result.problem, ACCEPTED_CUSTOM_SLI_QUERY);
  notesAsWarnings(r, source.doc, path, result.notes);
  return result.selector;
}

function readRatio(r: Reading, source: SliSource, ratio: Record<string, unknown>): OpenSloIndicator | undefined {
  const field = ratio.good !== undefined ? 'good' : 'bad';
  const events = ratioSide(r, source, field, ratio[field]);
  const total = ratioSide(r, source, 'total', ratio.total);
  if (events === undefined || total === undefined) return undefined;
  const customSli: CustomSli = field === 'good' ? { good: events, total } : { bad: events, total };
  const latency = ratioLatency(customSli);
  if (latency && 'thresholdMs' in latency) {
    return { type: 'ratio', kind: 'latency', customSli, thresholdMs: latency.thresholdMs };
  }
  if (latency) {
    report(
      r.reporter,
      'warning',
      openSloPosition(source.doc, `${source.path}.ratioMetric.good.metricSource.spec.query`),
      'reads histogram buckets, but its le matcher is not one threshold NthLayer can read',
      'le="0.3" or le=~"0[.]30*" (one bucket bound)',
      `${sloLabel(r.slo)} is imported as an availability SLO of the same ratio.`,
    );
  }
  return { type: 'ratio', kind: 'availability', customSli };
}

function readThreshold(r: Reading, source: SliSource, threshold: Record<string, unknown>): OpenSloIndicator | undefined {
  const query = prometheusQuery(r, source, 'thresholdMetric', threshold);
  if (query === undefined) return undefined;
  const path = `${source.path}.thresholdMetric.metricSource.spec.query`;
  const histogram = latencyHistogramOf(query);
  if ('problem' in histogram) {
    return skip(r, source.doc, path, `${histogram.problem}: thresholdMetric must be a latency histogram`, ACCEPTED_THRESHOLD_METRIC);
  }
  // The range of a quantile's rate() is that of the query, not a window: no note.
  return { type: 'threshold', histogram, doc: source.doc, path };
}

/**
 * Reads what an SLO document measures, from its inline `indicator` or the SLI its
 * `indicatorRef` names, through Prometheus metric sources (inline or a `metricSourceRef` to a
 * Prometheus `DataSource`). Every problem is a finding naming the document and field; the
 * SLO is then skipped (undefined).
 *
 * @public
 */
export function readOpenSloIndicator(
  slo: OpenSloDoc,
  refs: OpenSloRefs,
  reporter: OpenSloReporter,
): OpenSloIndicator | undefined {
  const r: Reading = { slo, refs, reporter };
  const source = sliSource(r);
  if (!source) return undefined;
  if (isMapping(source.spec.ratioMetric)) return readRatio(r, source, source.spec.ratioMetric);
  if (isMapping(source.spec.thresholdMetric)) return readThreshold(r, source, source.spec.thresholdMetric);
  return skip(r, source.doc, source.path, 'has neither ratioMetric nor thresholdMetric', 'an SLI with a ratioMetric or a thresholdMetric');
}
