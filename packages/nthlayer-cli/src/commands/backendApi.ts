import { cutForMessage } from '@nthlayer/backstage-plugin-common';
import { fetchFailure } from './targets';

/** Where the NthLayer backend is and how to sign in to it. */
export interface BackendOptions {
  backendUrl?: string;
  token?: string;
  /** Milliseconds to wait for the backend. Default 30,000. */
  timeout?: string;
}

export type Log = { out: (line: string) => void; err: (line: string) => void };

/** What a call to the backend is for, as its error messages say it. */
export interface BackendCall {
  /** What the caller lacks when the call fails, e.g. `no verdict`. */
  failure: string;
  /**
   * What a 403 means for this call, after the dash: the permission the token lacks, or
   * (for reads that are not permission-gated) what else may refuse it.
   */
  forbidden: string;
}

/** The 403 hint of a call that needs `permission`. */
export function needsPermission(permission: string): string {
  return `it needs the permission ${permission}`;
}

/**
 * POSTs JSON to the NthLayer backend with a Backstage token and returns the answer's text,
 * or undefined after saying on stderr why there is none (no URL or token, unreachable,
 * 401/403/404/400/5xx with the backend's message).
 */
export async function postToBackend(
  path: string,
  body: unknown,
  options: BackendOptions,
  log: Log,
  call: BackendCall,
): Promise<string | undefined> {
  return requestBackend({ method: 'POST', path, body }, options, log, call);
}

/**
 * GETs `path` with `query` (parameters without a value are left out) from the NthLayer
 * backend, with the error handling of {@link postToBackend}.
 */
export async function getFromBackend(
  path: string,
  query: Record<string, string | undefined>,
  options: BackendOptions,
  log: Log,
  call: BackendCall,
): Promise<string | undefined> {
  return requestBackend({ method: 'GET', path, query }, options, log, call);
}

interface BackendRequest {
  method: 'GET' | 'POST';
  /** Relative to the backend URL, e.g. `api/nthlayer/v1/portfolio`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON (POST). */
  body?: unknown;
}

async function requestBackend(
  request: BackendRequest,
  options: BackendOptions,
  log: Log,
  call: BackendCall,
): Promise<string | undefined> {
  const backendUrl = options.backendUrl ?? process.env.NTHLAYER_BACKEND_URL;
  const token = options.token ?? process.env.NTHLAYER_TOKEN;
  if (!backendUrl) {
    log.err('--backend-url (or NTHLAYER_BACKEND_URL) is required, e.g. https://backstage.example.com');
    return undefined;
  }
  if (!token) {
    log.err('--token (or NTHLAYER_TOKEN) is required: a Backstage static external access token restricted to the nthlayer plugin');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(request.path, backendUrl.endsWith('/') ? backendUrl : `${backendUrl}/`);
  } catch {
    log.err(`--backend-url is not a URL: "${cutForMessage(backendUrl, 200)}"`);
    return undefined;
  }
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const timeout = Number(options.timeout ?? 30_000);
  const timeoutMs = Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers:
        request.method === 'POST'
          ? { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
          : { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      ...(request.method === 'POST' ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    log.err(`${call.failure}: the NthLayer backend at ${url.origin} could not be reached (${fetchFailure(error, timeoutMs)})`);
    return undefined;
  }
  const text = await response.text();
  if (!response.ok) {
    log.err(`${call.failure}: ${refusal(response.status, text, call.forbidden)}`);
    return undefined;
  }
  return text;
}

function refusal(status: number, text: string, forbidden: string): string {
  let message = '';
  try {
    message = JSON.parse(text)?.error?.message ?? '';
  } catch {
    message = '';
  }
  const detail = message ? `: ${cutForMessage(message, 300)}` : '';
  if (status === 401) return `the backend refused the token (401)${detail} — check --token / NTHLAYER_TOKEN and backend.auth.externalAccess`;
  if (status === 403) return `the token may not do this (403)${detail} — ${forbidden}`;
  if (status === 404) return `not found (404)${detail}`;
  if (status === 400) return `the backend rejected the request (400)${detail}`;
  return `the backend answered ${status}${detail}`;
}
