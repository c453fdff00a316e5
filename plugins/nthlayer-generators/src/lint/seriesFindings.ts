import { mapLimit } from '@nthlayer/backstage-plugin-common';
import { RuleSelector } from './ruleSelectors';
import { LintFinding } from './types';

/** Answers "has Prometheus seen series matching `match` within the lookback?". @public */
export type SeriesLookup = (match: string) => Promise<boolean>;

/** Options of {@link seriesFindings}. @public */
export interface SeriesFindingsOptions {
  /** The lookback in words for messages, e.g. `1d`. */
  lookback: string;
  /** Which Prometheus was asked, for messages, e.g. `http://localhost:9090` or `default`. */
  source: string;
  /** Lookups in flight at once. Default 4. */
  concurrency?: number;
}

/**
 * `promql/series`, the online check: does each raw-metric selector of a rule match series
 * Prometheus has seen? Asks `lookup` once per distinct selector and metric name (the
 * caller does the I/O, e.g. through `/api/v1/series`, which reads the index only).
 *
 * - the metric name has no series at all → error: the rule can never see data (exporter
 *   not scraped, metric renamed, typo);
 * - the name exists but not with these labels → warning: often a wrong selector, sometimes
 *   legitimate (e.g. `code=~"5.."` before the first server error).
 *
 * One finding per rule and message. A failing lookup rejects the whole check.
 *
 * @public
 */
export async function seriesFindings(
  selectors: RuleSelector[],
  lookup: SeriesLookup,
  options: SeriesFindingsOptions,
): Promise<LintFinding[]> {
  const answers = new Map<string, Promise<boolean>>();
  const exists = (match: string) => {
    let answer = answers.get(match);
    if (!answer) {
      answer = lookup(match);
      answers.set(match, answer);
    }
    return answer;
  };
  // A failing lookup fails the check: start no more lookups, let those in flight settle.
  const verdicts = await mapLimit(selectors, options.concurrency ?? 4, async (s): Promise<LintFinding | undefined> => {
    if (await exists(s.selector)) return undefined;
    const named = await exists(`{__name__=${JSON.stringify(s.metric)}}`);
    const where = { group: s.group, rule: s.rule, line: s.line };
    return named
      ? {
          check: 'promql/series',
          severity: 'warning',
          message: `${s.selector} matches no series in the last ${options.lookback}, though ${s.metric} has series with other labels`,
          ...where,
        }
      : {
          check: 'promql/series',
          severity: 'error',
          message: `no series named ${s.metric} in the last ${options.lookback} on ${options.source}: this rule can never see data (is the exporter scraped?)`,
          ...where,
        };
  }, { stopOnError: true });
  const seen = new Set<string>();
  return verdicts.filter((f): f is LintFinding => {
    if (!f) return false;
    const key = `${f.group}/${f.rule}/${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
