import { LintFinding, RuleSelector } from '@internal/plugin-nthlayer-generators';

/** Where and how far back `promql/series` looks. */
export interface SeriesCheckOptions {
  /** Prometheus base URL, e.g. `http://localhost:9090`. */
  baseUrl: string;
  /** How far back a series counts as existing, in seconds. */
  lookbackSeconds: number;
  /** Clock, for tests. */
  now?: () => number;
  timeoutMs?: number;
}

/** Prometheus answered with an error, or not at all. */
export class SeriesCheckError extends Error {}

const CONCURRENCY = 4;

/**
 * `promql/series`, the online check: does each raw-metric selector of a rule match series
 * Prometheus has seen within the lookback? Asks `/api/v1/series` (index only, no samples),
 * once per distinct selector and metric name.
 *
 * - the metric name has no series at all → error: the rule can never produce anything
 *   (exporter not scraped, metric renamed, typo);
 * - the name exists but not with these labels → warning: often a selector that is wrong,
 *   sometimes legitimate (e.g. `code=~"5.."` before the first server error).
 *
 * @throws SeriesCheckError when Prometheus cannot be asked.
 */
export async function checkSeries(
  selectors: RuleSelector[],
  options: SeriesCheckOptions,
): Promise<LintFinding[]> {
  const end = Math.floor((options.now ?? Date.now)() / 1000);
  const start = end - options.lookbackSeconds;
  const cache = new Map<string, Promise<boolean>>();
  const exists = (match: string) => {
    let answer = cache.get(match);
    if (!answer) {
      answer = hasSeries(options, match, start, end);
      cache.set(match, answer);
    }
    return answer;
  };

  const verdicts = await mapLimit(selectors, CONCURRENCY, async (s): Promise<LintFinding | undefined> => {
    if (await exists(s.selector)) return undefined;
    const named = await exists(`{__name__=${JSON.stringify(s.metric)}}`);
    const lookback = describeSeconds(options.lookbackSeconds);
    const finding: Pick<LintFinding, 'check' | 'severity' | 'message'> = named
      ? {
          check: 'promql/series',
          severity: 'warning',
          message: `${s.selector} matches no series in the last ${lookback}, though ${s.metric} has series with other labels`,
        }
      : {
          check: 'promql/series',
          severity: 'error',
          message: `no series named ${s.metric} in the last ${lookback} on ${options.baseUrl}: this rule can never see data (is the exporter scraped?)`,
        };
    return { ...finding, group: s.group, rule: s.rule, line: s.line };
  });
  // One finding per rule and message: a metric used in several selectors of a rule is
  // reported once.
  const seen = new Set<string>();
  return verdicts.filter((f): f is LintFinding => {
    if (!f) return false;
    const key = `${f.group}/${f.rule}/${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function hasSeries(
  options: SeriesCheckOptions,
  match: string,
  start: number,
  end: number,
): Promise<boolean> {
  const url = new URL('/api/v1/series', options.baseUrl);
  url.searchParams.append('match[]', match);
  url.searchParams.set('start', String(start));
  url.searchParams.set('end', String(end));
  url.searchParams.set('limit', '1');
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  } catch (error) {
    throw new SeriesCheckError(
      `Prometheus at ${options.baseUrl} is unreachable: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { status?: string; data?: unknown[]; error?: string }
    | undefined;
  if (!response.ok || body?.status !== 'success' || !Array.isArray(body.data)) {
    throw new SeriesCheckError(
      `Prometheus at ${options.baseUrl} answered ${response.status} for ${match}: ${body?.error ?? 'not a series response'}`,
    );
  }
  return body.data.length > 0;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function describeSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds}s`;
}
