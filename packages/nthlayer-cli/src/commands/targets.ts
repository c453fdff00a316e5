import { PagerDutyClient } from '@nthlayer/backstage-plugin-generators';

/** PagerDuty's REST API, unless `--pagerduty-url` says otherwise (EU accounts, tests). */
export const DEFAULT_PAGERDUTY_URL = 'https://api.pagerduty.com';

/** Default per-request timeout of the drift and apply commands, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** `--timeout <ms>` as a positive number of ms, or undefined when it is not one. */
export function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(text);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * A URL option as a base URL without a trailing slash, or undefined when it is not an
 * http(s) URL.
 */
export function parseBaseUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return text.replace(/\/+$/, '');
}

/** A base URL as messages show it: without credentials, query or fragment. */
export function shownUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseUrl;
  }
}

/** Why a fetch threw, in a few words: `ECONNREFUSED`, `timed out after 30000 ms`, … */
export function fetchFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
}

/** Options of {@link pagerDutyClient}. */
export interface PagerDutyTarget {
  token: string;
  baseUrl: string;
  timeoutMs: number;
  /** `From` header of writes: the e-mail of a PagerDuty user. */
  from?: string;
}

/**
 * The generators' PagerDuty client with a timeout per request and, when PagerDuty cannot
 * be reached, the reason (`ECONNREFUSED`) instead of fetch's bare "fetch failed". 429s are
 * retried by the client after their `Retry-After`.
 */
export function pagerDutyClient(target: PagerDutyTarget): PagerDutyClient {
  return new PagerDutyClient({
    token: target.token,
    baseUrl: target.baseUrl,
    ...(target.from ? { from: target.from } : {}),
    fetch: async (url, init) => {
      try {
        return await fetch(url, { ...init, signal: AbortSignal.timeout(target.timeoutMs) });
      } catch (error) {
        throw new Error(`${shownUrl(target.baseUrl)} is unreachable (${fetchFailure(error, target.timeoutMs)})`);
      }
    },
  });
}
