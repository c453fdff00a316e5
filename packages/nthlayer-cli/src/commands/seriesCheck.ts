import { LintFinding, RuleSelector, seriesFindings } from '@nthlayer/backstage-plugin-generators';

/** Where and how far back `promql/series` looks. */
export interface SeriesCheckOptions {
  /** Prometheus base URL, e.g. `http://localhost:9090`. */
  baseUrl: string;
  /** How far back a series counts as existing, in seconds. */
  lookbackSeconds: number;
  timeoutMs?: number;
}

/** Prometheus answered with an error, or not at all. */
export class SeriesCheckError extends Error {}

/**
 * `promql/series` for the CLI: {@link seriesFindings} with lookups through Prometheus'
 * `/api/v1/series` (the index only, no samples).
 *
 * @throws SeriesCheckError when Prometheus cannot be asked.
 */
export async function checkSeries(
  selectors: RuleSelector[],
  options: SeriesCheckOptions,
): Promise<LintFinding[]> {
  const end = Math.floor(Date.now() / 1000);
  const start = end - options.lookbackSeconds;
  return seriesFindings(selectors, match => hasSeries(options, match, start, end), {
    lookback: describeSeconds(options.lookbackSeconds),
    source: options.baseUrl,
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

function describeSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds}s`;
}
