import {
  CustomSli,
  Finding,
  SloKind,
  counterSelectorOf,
  ratioQueryOf,
} from '@nthlayer/backstage-plugin-common';
import { WHOLE_PART, fileFinding } from './fileFindings';

/** The PromQL a service file gives for one SLO, each with its path in the file. */
export interface FileSliQueries {
  /** `success_ratio.good_query` (legacy). */
  good?: { query: string; path: string };
  /** `success_ratio.total_query` (legacy). */
  total?: { query: string; path: string };
  /** One ratio query: legacy `indicator.query`, OpenSRM `slos.<name>.query`. */
  ratio?: { query: string; path: string };
  /** Legacy `indicator.latency_query`: a quantile, which has no events to count. */
  latency?: { query: string; path: string };
}

const FALLBACK = 'The SLO is measured from the metric family resolved for the service instead.';
const COUNTERS =
  'counter selectors without range or aggregation, e.g. http_requests_total{job="checkout",code!~"5.."} (NthLayer applies the windows)';

/**
 * A problem with a query of the file. Names the path and what is wrong with the query's
 * shape; the query text itself is not echoed (the file is read with the backend's
 * credentials).
 */
function problemFinding(path: string, problem: string): Finding {
  const finding = fileFinding(path, WHOLE_PART, COUNTERS, FALLBACK);
  // checkCustomSliQuery's problems start with "is …" / "selects …": what the query is.
  return { ...finding, message: `${finding.annotation}: ${finding.value} ${problem}. ${FALLBACK}` };
}

function noteFindings(path: string, notes: string[]): Finding[] {
  return notes.map(note => {
    const finding = fileFinding(path, WHOLE_PART, COUNTERS, note, 'warning');
    return { ...finding, message: `${finding.annotation}: ${finding.value}: ${note}` };
  });
}

/**
 * The custom SLI of one service-file SLO from its queries, validated with the PromQL
 * parser: good/total counters, or one `good / total` ratio. Problems are findings naming
 * the path; the SLO then falls back to the resolved family (undefined).
 */
export function customSliFromFile(
  kind: SloKind,
  queries: FileSliQueries,
  slo: string,
  findings: Finding[],
): CustomSli | undefined {
  const { good, total, ratio, latency } = queries;
  if (good || total) {
    if (!good || !total) {
      const missing = good ? 'total_query' : 'good_query';
      findings.push(
        fileFinding(`${slo}.success_ratio.${missing}`, undefined, 'both good_query and total_query', FALLBACK),
      );
      return undefined;
    }
    const parts = [good, total].map(q => ({ q, result: counterSelectorOf(q.query) }));
    let ok = true;
    for (const { q, result } of parts) {
      if ('problem' in result) {
        ok = false;
        findings.push(problemFinding(q.path, result.problem));
      } else findings.push(...noteFindings(q.path, result.notes));
    }
    if (!ok) return undefined;
    const [g, t] = parts.map(p => (p.result as { selector: string }).selector);
    return { good: g, total: t };
  }
  if (ratio) {
    const result = ratioQueryOf(ratio.query);
    if ('problem' in result) {
      findings.push(problemFinding(ratio.path, result.problem));
      return undefined;
    }
    findings.push(...noteFindings(ratio.path, result.notes));
    return result.sli;
  }
  if (latency && kind === 'latency') {
    findings.push(
      fileFinding(
        latency.path,
        WHOLE_PART,
        'the resolved latency histogram (or, in the legacy format, success_ratio with good_query = the bucket at the threshold and total_query = its _count)',
        'A quantile query has no events to count, so it is not used; the latency SLO is measured from the resolved histogram.',
        'warning',
      ),
    );
  }
  return undefined;
}
