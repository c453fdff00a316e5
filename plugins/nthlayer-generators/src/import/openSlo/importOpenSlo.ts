import {
  Finding,
  NTHLAYER_ANNOTATIONS,
  ServiceType,
  SloDefinition,
  SloWindow,
  cutForMessage,
} from '@nthlayer/backstage-plugin-common';
import { openSloName } from '../../openslo/openSloNames';
import { readOpenSloDocuments } from './openSloDocuments';
import { OpenSloDoc, OpenSloReporter, openSloPosition, report, shortValue, sloLabel } from './openSloFindings';
import { OpenSloIndicator, OpenSloRefs, readOpenSloIndicator } from './openSloIndicator';
import { histogramSli, thresholdMsOfValue } from './openSloLatency';
import { OpenSloObjective, readOpenSloObjectives } from './openSloObjectives';
import { loadOpenSloSchema, openSloSchemaErrors } from './openSloSchema';
import { readOpenSloWindow } from './openSloWindow';

/**
 * How OpenSLO documents are imported for one service.
 *
 * @public
 */
export interface OpenSloImportOptions {
  /** The entity's name: a leading `<service>-` is stripped from SLO names. */
  serviceName: string;
  /** The entity's type; the SLOs' kinds come from their indicators whatever it is. */
  serviceType: ServiceType;
  /** used when a document's window cannot be honoured */
  fallbackWindow: SloWindow;
  /** Time zone of calendar windows that name none (default `UTC`). */
  defaultTimeZone?: string;
  /** annotation named in findings, default 'nthlayer.dev/openslo' */
  annotation?: string;
}

/**
 * The SLOs read from OpenSLO documents, and a finding for everything that could not be
 * honoured.
 *
 * @public
 */
export interface OpenSloImportResult {
  slos: SloDefinition[];
  findings: Finding[];
}

/** Kinds NthLayer has no use for: left out without validation or finding. */
const IGNORED_KINDS = new Set(['Service', 'AlertPolicy', 'AlertNotificationTarget', 'AlertCondition']);

const ALERT_POLICIES =
  'NthLayer generates its own multi-window burn-rate alerts from the SLO; the listed policies are not imported.';

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function specOf(doc: OpenSloDoc): Record<string, unknown> {
  return isMapping(doc.value.spec) ? doc.value.spec : {};
}

/** A feature NthLayer does not support yet, checked before the schema (which lags behind). */
function unsupported(doc: OpenSloDoc): { path: string; problem: string; accepted: string } | undefined {
  const spec = specOf(doc);
  if (doc.kind === 'SLO' && (spec.budgetingMethod === 'Timeslices' || spec.budgetingMethod === 'RatioTimeslices')) {
    return {
      path: 'spec.budgetingMethod',
      problem: `is ${shortValue(spec.budgetingMethod)}, which NthLayer does not support yet`,
      accepted: 'Occurrences',
    };
  }
  const indicator = isMapping(spec.indicator) && isMapping(spec.indicator.spec) ? spec.indicator.spec : undefined;
  let sliSpec: Record<string, unknown> | undefined;
  if (doc.kind === 'SLI') sliSpec = spec;
  else if (doc.kind === 'SLO') sliSpec = indicator;
  if (sliSpec && isMapping(sliSpec.ratioMetric) && sliSpec.ratioMetric.raw !== undefined) {
    return {
      path: `${doc.kind === 'SLI' ? 'spec' : 'spec.indicator.spec'}.ratioMetric.raw`,
      problem: 'is a raw ratio, which NthLayer does not support yet',
      accepted: 'a ratioMetric with good (or bad) and total counters',
    };
  }
  return undefined;
}

/**
 * The document as the shipped schema sees it: `targetPercent` (OpenSLO v1, missing from the
 * schema copy, which requires `target`) and `1W` read as given; NthLayer checks both itself.
 */
function schemaView(doc: OpenSloDoc): unknown {
  const spec = specOf(doc);
  if (doc.kind !== 'SLO') return doc.value;
  const objectives = Array.isArray(spec.objectives)
    ? spec.objectives.map(o =>
        isMapping(o) && o.target === undefined && typeof o.targetPercent === 'number' ? { ...o, target: 0.5 } : o,
      )
    : spec.objectives;
  const timeWindow = Array.isArray(spec.timeWindow)
    ? spec.timeWindow.map(w => (isMapping(w) && w.duration === '1W' ? { ...w, duration: '1w' } : w))
    : spec.timeWindow;
  return { ...doc.value, spec: { ...spec, objectives, timeWindow } };
}

/** Sorts valid documents by kind; unsupported and invalid ones are findings. */
function sortDocuments(docs: OpenSloDoc[], reporter: OpenSloReporter): { slos: OpenSloDoc[]; refs: OpenSloRefs } {
  const slos: OpenSloDoc[] = [];
  const refs: OpenSloRefs = { slis: new Map(), dataSources: new Map(), skipped: new Map() };
  for (const doc of docs) {
    if (IGNORED_KINDS.has(doc.kind)) continue;
    const feature = unsupported(doc);
    const errors = feature ? [] : openSloSchemaErrors(schemaView(doc));
    if (feature || errors.length > 0) {
      const consequence = doc.kind === 'SLO' ? `${sloLabel(doc)} is skipped.` : 'This document is skipped.';
      if (feature) report(reporter, 'error', openSloPosition(doc, feature.path), feature.problem, feature.accepted, consequence);
      else {
        report(
          reporter,
          'error',
          openSloPosition(doc),
          `does not match the OpenSLO v1 schema: ${errors.join('; ')}`,
          'a document valid against the OpenSLO v1 schema',
          consequence,
        );
      }
      if (doc.kind === 'SLI' || doc.kind === 'DataSource') refs.skipped.set(`${doc.kind}:${doc.name}`, doc.index);
      continue;
    }
    if (doc.kind === 'SLO') slos.push(doc);
    else if (doc.kind === 'SLI' || doc.kind === 'DataSource') {
      const map = doc.kind === 'SLI' ? refs.slis : refs.dataSources;
      const first = map.get(doc.name);
      if (first) {
        report(reporter, 'warning', openSloPosition(doc, 'metadata.name'), `repeats the name of document ${first.index}`, `one ${doc.kind} per name`, `The ${doc.kind} of document ${first.index} is used.`);
      } else map.set(doc.name, doc);
    }
  }
  return { slos, refs };
}

/** The SLO's name in NthLayer: metadata.name without the `<service>-` NthLayer writes. */
function baseName(name: string, serviceName: string): string {
  const prefix = `${openSloName(serviceName)}-`;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
}

interface SloParts {
  doc: OpenSloDoc;
  indicator: OpenSloIndicator;
  window: SloWindow;
  name: string;
  reporter: OpenSloReporter;
}

function thresholdSlo(parts: SloParts, objective: OpenSloObjective): SloDefinition | undefined {
  const { doc, indicator, reporter } = parts;
  if (indicator.type !== 'threshold') return undefined;
  const { op, value, targetPercent } = objective;
  const skipped = 'This objective is skipped.';
  if (op !== 'lt' && op !== 'lte') {
    report(reporter, 'error', openSloPosition(doc, `${objective.path}.op`), `is ${shortValue(op)}: thresholdMetric must be a latency histogram with objectives op lt or lte (requests faster than value)`, 'lt or lte', skipped);
    return undefined;
  }
  if (typeof value !== 'number' || !(value > 0)) {
    report(reporter, 'error', openSloPosition(doc, `${objective.path}.value`), `is ${shortValue(value)}, not a threshold`, `a positive number of ${indicator.histogram.unit}`, skipped);
    return undefined;
  }
  const { quantile } = indicator.histogram;
  if (quantile !== undefined && Math.abs(quantile * 100 - targetPercent) > 1e-9) {
    report(
      reporter,
      'warning',
      openSloPosition(indicator.doc, indicator.path),
      `asks for the quantile ${quantile}, not the objective's target ${targetPercent / 100}`,
      'histogram_quantile(<target>, …)',
      `NthLayer counts requests faster than the value; ${targetPercent}% of them must be (p${targetPercent}).`,
    );
  }
  const thresholdMs = thresholdMsOfValue(value, indicator.histogram.unit);
  return {
    name: parts.name,
    kind: 'latency',
    targetPercent,
    window: parts.window,
    latency: { percentile: targetPercent, thresholdMs },
    source: 'openslo',
    customSli: histogramSli(indicator.histogram, thresholdMs),
  };
}

function sloOf(parts: SloParts, objective: OpenSloObjective): SloDefinition | undefined {
  const { indicator } = parts;
  if (indicator.type === 'threshold') return thresholdSlo(parts, objective);
  const { targetPercent } = objective;
  return {
    name: parts.name,
    kind: indicator.kind,
    targetPercent,
    window: parts.window,
    ...(indicator.thresholdMs !== undefined ? { latency: { percentile: targetPercent, thresholdMs: indicator.thresholdMs } } : {}),
    source: 'openslo',
    customSli: indicator.customSli,
  };
}

/** The NthLayer SLOs of one SLO document: one per usable objective. */
function importSloDocument(
  doc: OpenSloDoc,
  refs: OpenSloRefs,
  options: OpenSloImportOptions,
  reporter: OpenSloReporter,
  names: Set<string>,
): SloDefinition[] {
  const indicator = readOpenSloIndicator(doc, refs, reporter);
  if (!indicator) return [];
  const spec = specOf(doc);
  if (Array.isArray(spec.alertPolicies) && spec.alertPolicies.length > 0) {
    report(reporter, 'warning', openSloPosition(doc, 'spec.alertPolicies'), 'is not imported', 'an SLO without alertPolicies (NthLayer alerts on it)', ALERT_POLICIES);
  }
  const window = readOpenSloWindow(doc, options, reporter);
  const base = baseName(doc.name, options.serviceName);
  const slos: SloDefinition[] = [];
  for (const objective of readOpenSloObjectives(doc, indicator.type === 'threshold', reporter)) {
    const name = objective.suffix ? openSloName(base, objective.suffix) : openSloName(base);
    if (names.has(name)) {
      report(
        reporter,
        'error',
        openSloPosition(doc, objective.suffix ? objective.path : 'metadata.name'),
        `gives the SLO name ${cutForMessage(name, 80)}, which an earlier SLO already has`,
        'a unique name per SLO (metadata.name, and displayName when there are several objectives)',
        'This SLO is skipped.',
      );
      continue;
    }
    const slo = sloOf({ doc, indicator, window, name, reporter }, objective);
    if (!slo) continue;
    names.add(name);
    slos.push(slo);
  }
  return slos;
}

/**
 * Reads the SLOs of a service from OpenSLO v1 documents (a multi-document YAML, as
 * `nthlayer.dev/openslo` points to): each `SLO` with `budgetingMethod: Occurrences`, a
 * Prometheus ratio or latency-histogram indicator (inline, or an `SLI` by `indicatorRef`,
 * with metric sources inline or a Prometheus `DataSource` by `metricSourceRef`), a window
 * NthLayer can measure and a target per objective.
 *
 * @remarks
 * Never throws. Every document is validated against the bundled OpenSLO v1 JSON schema;
 * whatever cannot be honoured is a finding naming the document, SLO name and field path
 * (never the file's content beyond short values), and the SLO, objective or field is
 * skipped. Each imported SLO has `source: 'openslo'` and `customSli` set to the counters its
 * indicator selects (exactly as written), so the queries NthLayer generates measure what the
 * documents measure. The SLOs named as NthLayer writes them (`<service>-<slo>`) get back
 * their name: OpenSLO that NthLayer generated imports to the same SLOs.
 *
 * @public
 */
export function importOpenSlo(text: string, options: OpenSloImportOptions): OpenSloImportResult {
  const reporter: OpenSloReporter = {
    annotation: options.annotation ?? NTHLAYER_ANNOTATIONS.openslo,
    findings: [],
  };
  try {
    loadOpenSloSchema();
  } catch (error) {
    report(reporter, 'error', 'data/openslo-v1-schema', `could not be loaded (${cutForMessage(String((error as Error).message ?? error))})`, 'the OpenSLO v1 schema bundled with @nthlayer/backstage-plugin-generators', 'No OpenSLO document is imported; the tier defaults stay.');
    return { slos: [], findings: reporter.findings };
  }
  const docs = readOpenSloDocuments(text, reporter);
  const { slos: sloDocs, refs } = sortDocuments(docs, reporter);
  const names = new Set<string>();
  const slos = sloDocs.flatMap(doc => importSloDocument(doc, refs, options, reporter, names));
  if (slos.length === 0) {
    report(
      reporter,
      'error',
      `${docs.length} document${docs.length === 1 ? '' : 's'}`,
      `${docs.length === 1 ? 'contains' : 'contain'} no SLO NthLayer can import`,
      'OpenSLO v1 SLO documents with budgetingMethod Occurrences and a Prometheus ratio or latency histogram indicator',
      'The tier defaults stay.',
    );
  }
  return { slos, findings: reporter.findings };
}
