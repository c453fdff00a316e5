import {
  LintFinding,
  PrometheusClient,
  PrometheusQueryError,
  RuleSelector,
  seriesFindings,
} from '@nthlayer/backstage-plugin-generators';

/** Where and how `promql/series` looks. */
export interface SeriesCheckOptions {
  /** Prometheus base URL, e.g. `http://localhost:9090` or `http://mimir:8080/prometheus`. */
  baseUrl: string;
  /** How far back a series counts as existing, in seconds. */
  lookbackSeconds: number;
  /** Per-request timeout. Default 15 s. */
  timeoutMs?: number;
  /** Extra request headers, e.g. `X-Scope-OrgID` for a Mimir tenant or `Authorization`. */
  headers?: Record<string, string>;
  /** Retries after the first attempt for unreachable / 5xx / 429 answers. Default 2. */
  retries?: number;
  /** First backoff in ms, doubled per retry. Default 250. */
  backoffMs?: number;
}

/** Prometheus answered with an error, or not at all. */
export class SeriesCheckError extends Error {}

/**
 * `promql/series` for the CLI: {@link seriesFindings} with lookups through Prometheus'
 * `/api/v1/series` (the index only, no samples), asked with the backend's client.
 *
 * @throws SeriesCheckError when Prometheus cannot be asked.
 */
export async function checkSeries(
  selectors: RuleSelector[],
  options: SeriesCheckOptions,
): Promise<LintFinding[]> {
  const client = new PrometheusClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 15_000,
    headers: options.headers,
    retries: options.retries,
    backoffMs: options.backoffMs,
  });
  const end = new Date();
  const start = new Date(end.getTime() - options.lookbackSeconds * 1000);
  try {
    return await seriesFindings(selectors, match => client.hasSeries(match, start, end), {
      lookback: describeSeconds(options.lookbackSeconds),
      source: options.baseUrl,
    });
  } catch (error) {
    if (error instanceof PrometheusQueryError) throw new SeriesCheckError(error.message);
    throw error;
  }
}

/**
 * Reads `--header 'Name: value'`; `undefined` unless the name is an HTTP token followed by
 * a colon, or the value holds a line break or NUL. Surrounding whitespace of the value is
 * dropped.
 */
export function parseHeaderOption(text: string): [name: string, value: string] | undefined {
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:([^\r\n\0]*)$/.exec(text);
  return match ? [match[1], match[2].trim()] : undefined;
}

function describeSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds}s`;
}
