import {
  CustomSli,
  LabelMatcherPart,
  SLI_PRESETS,
  counterSelectorOf,
  leMatcher,
  vectorSelectorParts,
} from '@nthlayer/backstage-plugin-common';
import { parser } from '@prometheus-io/lezer-promql';

/**
 * The unit of a histogram's `le` bounds.
 *
 * @public
 */
export type HistogramUnit = 'seconds' | 'milliseconds';

/**
 * A latency histogram a `thresholdMetric` query names: its family (the name without
 * `_bucket`), the label matchers as written, and the unit of its bounds.
 *
 * @public
 */
export interface LatencyHistogram {
  family: string;
  /** The selector's label matchers, comma-separated, without braces (may be empty). */
  matchers: string;
  unit: HistogramUnit;
  /** The quantile of `histogram_quantile(q, …)`, when the query is one. */
  quantile?: number;
}

type Node = ReturnType<typeof parser.parse>['topNode'];

const SEP = String.raw`(?:\[\.\]|\\\.|\.)`;
/** `0[.]30*`: leMatcher's form of a fractional bound. */
const LE_FRACTION = new RegExp(String.raw`^(\d+)${SEP}(\d+)0\*$`);
/** `1([.]0+)?`: leMatcher's form of an integral bound. */
const LE_INTEGER = new RegExp(String.raw`^(\d+)\(${SEP}0\+\)\?$`);
/** `0.3`, `0[.]3`, `0\.3` as a regex. */
const LE_PLAIN = new RegExp(String.raw`^(\d+)(?:${SEP}(\d+))?$`);

const UNIT_SUFFIX = /_(seconds|milliseconds)$/;

/** 299.99999999999997 → 300. */
function clean(n: number): number {
  return parseFloat(n.toPrecision(12));
}

/**
 * The unit of a histogram family's bounds: a preset's (e.g. Envoy's `…_rq_time` is in
 * milliseconds), else milliseconds when the name says so, else seconds.
 *
 * @public
 */
export function histogramUnit(family: string): HistogramUnit {
  const known = SLI_PRESETS.flatMap(p => p.candidates).find(c => c.intent === 'latency' && c.metric === family);
  if (known?.unit) return known.unit;
  return family.includes('milliseconds') ? 'milliseconds' : 'seconds';
}

/** The bound an `le` matcher selects, in the histogram's unit; undefined when not one bound. */
function leBound(matcher: LabelMatcherPart): number | undefined {
  const value = matcher.value.trim();
  if (matcher.op === '=') {
    const n = Number(value);
    return value !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
  }
  if (matcher.op !== '=~') return undefined;
  const m = LE_FRACTION.exec(value) ?? LE_INTEGER.exec(value) ?? LE_PLAIN.exec(value);
  if (!m) return undefined;
  const n = Number(m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`);
  return n > 0 ? n : undefined;
}

/** A bound in the histogram's unit in milliseconds. */
function toMs(bound: number, unit: HistogramUnit): number {
  return unit === 'milliseconds' ? clean(bound) : clean(bound * 1000);
}

/**
 * Whether a good/total ratio is a latency SLI: good `<family>_bucket{…, le…}` over total
 * `<family>_count{…}`. Gives the threshold in milliseconds read from the `le` matcher
 * (`le="0.3"`, or either form of `leMatcher`),
 * `unreadable` when the bucket's `le` is not one bound, undefined when not a histogram ratio.
 *
 * @public
 */
export function ratioLatency(sli: CustomSli): { thresholdMs: number } | { unreadable: true } | undefined {
  if (!sli.good) return undefined;
  const good = vectorSelectorParts(sli.good);
  const total = vectorSelectorParts(sli.total);
  if (!good?.name?.endsWith('_bucket') || !total?.name) return undefined;
  const family = good.name.slice(0, -'_bucket'.length);
  if (total.name !== `${family}_count`) return undefined;
  const le = good.matchers.filter(m => m.label === 'le');
  const bound = le.length === 1 ? leBound(le[0]) : undefined;
  return bound === undefined ? { unreadable: true } : { thresholdMs: toMs(bound, histogramUnit(family)) };
}

function unwrapParens(node: Node | null): Node | null {
  let current = node;
  while (current && current.type.name === 'ParenExpr') current = current.firstChild;
  return current;
}

function callArguments(node: Node): Node[] {
  const args: Node[] = [];
  for (let c = node.getChild('FunctionCallBody')?.firstChild ?? null; c; c = c.nextSibling) args.push(c);
  return args;
}

/** `sum by (le) (X)` → X; anything else unchanged. */
function withoutSumByLe(text: string, node: Node | null): Node | null {
  if (!node || node.type.name !== 'AggregateExpr') return node;
  const op = node.getChild('AggregateOp');
  const modifier = node.getChild('AggregateModifier');
  const labels = modifier?.getChild('GroupingLabels')?.getChildren('LabelName') ?? [];
  const byLe = modifier?.getChild('By') && labels.length === 1 && text.slice(labels[0].from, labels[0].to) === 'le';
  const args = callArguments(node);
  if (!op || text.slice(op.from, op.to).toLowerCase() !== 'sum' || !byLe || args.length !== 1) return node;
  return unwrapParens(args[0]);
}

/** `histogram_quantile(q, X)` → q and X, or undefined. */
function quantileCall(text: string): { quantile: number; inner: string } | undefined {
  const top = unwrapParens(parser.parse(text).topNode.firstChild);
  if (!top || top.type.name !== 'FunctionCall') return undefined;
  const identifier = top.getChild('FunctionIdentifier');
  if (!identifier || text.slice(identifier.from, identifier.to) !== 'histogram_quantile') return undefined;
  const args = callArguments(top);
  if (args.length !== 2 || args[0].type.name !== 'NumberDurationLiteral') return undefined;
  const inner = withoutSumByLe(text, unwrapParens(args[1]));
  return inner ? { quantile: Number(text.slice(args[0].from, args[0].to)), inner: text.slice(inner.from, inner.to) } : undefined;
}

function fromSelector(
  selector: string,
  requireUnitName: boolean,
  extra: Pick<LatencyHistogram, 'quantile'>,
): LatencyHistogram | { problem: string } {
  const parts = vectorSelectorParts(selector);
  if (!parts?.name) return { problem: 'selects no metric by name' };
  const family = parts.name.replace(/_bucket$/, '');
  const known = SLI_PRESETS.some(p => p.candidates.some(c => c.intent === 'latency' && c.metric === family));
  if (requireUnitName && !known && !UNIT_SUFFIX.test(family)) {
    return { problem: `selects ${parts.name}, which is not a latency histogram (no _seconds or _milliseconds histogram)` };
  }
  if (parts.matchers.some(m => m.label === 'le')) {
    return { problem: 'selects one bucket (le): give the whole histogram, the objective value is the threshold' };
  }
  return {
    family,
    matchers: parts.matchers.map(m => m.text).join(','),
    unit: histogramUnit(family),
    ...extra,
  };
}

/**
 * The latency histogram of a `thresholdMetric` query: `histogram_quantile(q, sum by (le)
 * (rate(<family>_bucket{…}[5m])))`, or `<family>_bucket{…}` / `<family>{…}` of a family named
 * `…_seconds` or `…_milliseconds` (or a preset's latency histogram). Anything else — a gauge,
 * a counter, an expression — is the problem.
 *
 * @public
 */
export function latencyHistogramOf(query: string): LatencyHistogram | { problem: string } {
  const text = query.trim();
  const whole = counterSelectorOf(text);
  if ('selector' in whole) {
    if (!/_bucket$/.test(vectorSelectorParts(whole.selector)?.name ?? '')) {
      return { problem: 'counts events, not a latency histogram\'s buckets' };
    }
    return fromSelector(whole.selector, true, {});
  }
  if (/^is (not valid PromQL|empty|longer)/.test(whole.problem)) return whole;
  const call = quantileCall(text);
  if (call) {
    const inner = counterSelectorOf(call.inner);
    if ('problem' in inner) return { problem: `is a histogram_quantile() whose histogram ${inner.problem}` };
    if (!/_bucket$/.test(vectorSelectorParts(inner.selector)?.name ?? '')) {
      return { problem: 'is a histogram_quantile() of something other than a histogram\'s _bucket series' };
    }
    return fromSelector(inner.selector, false, { quantile: call.quantile });
  }
  if (vectorSelectorParts(text)) return fromSelector(text, true, {});
  return { problem: 'is not a latency histogram (a gauge or an expression)' };
}

/**
 * The good/total counters of "requests faster than `thresholdMs`" from a histogram: the
 * bucket at the threshold (`le` in the histogram's unit, as NthLayer writes it) over the
 * `_count`.
 *
 * @public
 */
export function histogramSli(histogram: LatencyHistogram, thresholdMs: number): CustomSli {
  const le = histogram.unit === 'milliseconds' ? leMatcher(clean(thresholdMs * 1000)) : leMatcher(thresholdMs);
  const { family, matchers } = histogram;
  return {
    good: `${family}_bucket{${matchers ? `${matchers},` : ''}le=~"${le}"}`,
    total: matchers ? `${family}_count{${matchers}}` : `${family}_count`,
  };
}

/**
 * A threshold in milliseconds from an objective's `value` in the histogram's unit.
 *
 * @public
 */
export function thresholdMsOfValue(value: number, unit: HistogramUnit): number {
  return toMs(value, unit);
}
