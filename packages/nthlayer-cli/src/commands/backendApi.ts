import { cutForMessage } from '@nthlayer/backstage-plugin-common';

/** Where the NthLayer backend is and how to sign in to it. */
export interface BackendOptions {
  backendUrl?: string;
  token?: string;
  /** Milliseconds to wait for the backend. Default 30,000. */
  timeout?: string;
}

export type Log = { out: (line: string) => void; err: (line: string) => void };

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
  /** What the caller lacks when this fails, e.g. `no verdict`. */
  failure: string,
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
    url = new URL(path, backendUrl.endsWith('/') ? backendUrl : `${backendUrl}/`);
  } catch {
    log.err(`--backend-url is not a URL: "${cutForMessage(backendUrl, 200)}"`);
    return undefined;
  }
  const timeoutMs = Number(options.timeout ?? 30_000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    log.err(`${failure}: the NthLayer backend at ${url.origin} could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    return undefined;
  }
  const text = await response.text();
  if (!response.ok) {
    log.err(`${failure}: ${refusal(response.status, text, path)}`);
    return undefined;
  }
  return text;
}

function refusal(status: number, text: string, path: string): string {
  let message = '';
  try {
    message = JSON.parse(text)?.error?.message ?? '';
  } catch {
    message = '';
  }
  const detail = message ? `: ${cutForMessage(message, 300)}` : '';
  const permission = path.includes('deployments') ? 'nthlayer.deployment.create' : 'nthlayer.gate.check';
  if (status === 401) return `the backend refused the token (401)${detail} — check --token / NTHLAYER_TOKEN and backend.auth.externalAccess`;
  if (status === 403) return `the token may not do this (403)${detail} — it needs the permission ${permission}`;
  if (status === 404) return `not found (404)${detail}`;
  if (status === 400) return `the backend rejected the request (400)${detail}`;
  return `the backend answered ${status}${detail}`;
}
