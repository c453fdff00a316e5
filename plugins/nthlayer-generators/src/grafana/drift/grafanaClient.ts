/** The fetch the client sends requests with (the global `fetch` by default). @public */
export type GrafanaFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link GrafanaClient}. @public */
export interface GrafanaClientOptions {
  /** The instance's name in messages; without one, messages name the URL only. */
  name?: string;
  /** Base URL of Grafana, without `/api`, e.g. `https://grafana.example.com` or `http://host/grafana`. */
  baseUrl: string;
  /** A service account token, sent as `Authorization: Bearer <token>`; it needs `dashboards:read`. */
  token: string;
  fetch?: GrafanaFetch;
  /** Per-request timeout in ms; default 10000. */
  timeoutMs?: number;
}

/**
 * Grafana did not answer (`unreachable`: refused, timed out, or a 502/503/504 from a proxy in
 * front of it), answered other than 2xx (`status` is its HTTP status), or answered with a body
 * that is not the JSON expected. The message names the instance and the request, never the
 * token, and is cut to 300 characters.
 *
 * @public
 */
export class GrafanaError extends Error {
  constructor(
    message: string,
    /** Grafana's HTTP status; undefined when there was no answer. */
    readonly status: number | undefined,
    /** True when Grafana could not be reached: the target could not be checked. */
    readonly unreachable: boolean,
    /** The request's path, e.g. `/api/dashboards/uid/nthlayer-checkout-api`. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'GrafanaError';
  }
}

/**
 * What `GET /api/dashboards/uid/:uid` answers: the dashboard model as saved and Grafana's
 * metadata about it.
 *
 * @public
 */
export interface GrafanaDashboardWithMeta {
  dashboard: Record<string, any>;
  meta: GrafanaDashboardMeta;
}

/** The documented fields of a dashboard's `meta` (Grafana sends more). @public */
export interface GrafanaDashboardMeta {
  type?: string;
  canSave?: boolean;
  canEdit?: boolean;
  slug?: string;
  /** `/d/<uid>/<slug>`, relative to Grafana's URL. */
  url?: string;
  created?: string;
  updated?: string;
  version?: number;
  folderId?: number;
  folderUid?: string;
  folderTitle?: string;
  folderUrl?: string;
  provisioned?: boolean;
  [key: string]: unknown;
}

/** Query of {@link GrafanaClient.search}. @public */
export interface GrafanaSearchQuery {
  /** A case-insensitive substring of the title. */
  query?: string;
  /** Only dashboards (folders are not searched). */
  type: 'dash-db';
  /** Dashboards carrying this tag (every one of these tags). */
  tag?: string | string[];
  /** At most this many hits (Grafana's default 1000, maximum 5000). */
  limit?: number;
}

/** One hit of `GET /api/search` (the documented fields). @public */
export interface GrafanaSearchHit {
  id: number;
  uid: string;
  title: string;
  /** `/d/<uid>/<slug>`, relative to Grafana's URL. */
  url: string;
  type: 'dash-db' | 'dash-folder';
  tags: string[];
  isStarred: boolean;
  /** `db/<slug>` (deprecated since Grafana 5). */
  uri?: string;
  slug?: string;
  folderId?: number;
  folderUid?: string;
  folderTitle?: string;
  folderUrl?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MESSAGE_LIMIT = 300;

/** `text` cut to `limit` characters (code points), with an ellipsis when cut. */
function cut(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/** The base URL without credentials, query or trailing slash, for requests and messages. */
function cleanBaseUrl(baseUrl: string): { request: string; shown: string } {
  const request = baseUrl.replace(/\/+$/, '');
  try {
    const url = new URL(request);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return { request, shown: url.toString().replace(/\/+$/, '') };
  } catch {
    return { request, shown: request };
  }
}

/** Grafana's `{ message }` error body, when it sent one. */
function grafanaMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body?.message === 'string' && body.message) return body.message;
    if (typeof body?.error === 'string' && body.error) return body.error;
  } catch {
    // not JSON: the status says enough
  }
  return undefined;
}

/**
 * A read-only client for one Grafana's HTTP API, for drift checks of dashboards: a
 * dashboard by uid and dashboard search, with a service account token and a timeout per
 * request.
 *
 * @public
 */
export class GrafanaClient {
  readonly #options: GrafanaClientOptions;
  readonly #fetch: GrafanaFetch;
  readonly #base: { request: string; shown: string };

  constructor(options: GrafanaClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#base = cleanBaseUrl(options.baseUrl);
  }

  /** The instance's name (`default` without one). */
  get name(): string {
    return this.#options.name ?? 'default';
  }

  /** How messages name the instance: `Grafana "<name>" at <url>`, or `Grafana at <url>`. */
  get where(): string {
    return this.#options.name
      ? `Grafana "${this.#options.name}" at ${this.#base.shown}`
      : `Grafana at ${this.#base.shown}`;
  }

  /**
   * The dashboard with `uid` and its metadata (`GET /api/dashboards/uid/:uid`), or
   * undefined when Grafana has no such dashboard (404).
   */
  async getDashboard(uid: string): Promise<GrafanaDashboardWithMeta | undefined> {
    const body = await this.#get(`/api/dashboards/uid/${encodeURIComponent(uid)}`, true);
    if (body === undefined) return undefined;
    const answer = body as Partial<GrafanaDashboardWithMeta> | null;
    if (!answer || typeof answer.dashboard !== 'object' || answer.dashboard === null) {
      throw this.#error(
        `${this.where} answered GET /api/dashboards/uid/${uid} without a dashboard`,
        200,
        false,
        `/api/dashboards/uid/${uid}`,
      );
    }
    return { dashboard: answer.dashboard, meta: answer.meta ?? {} };
  }

  /** Dashboards matching `query` (`GET /api/search`), in Grafana's order. */
  async search(query: GrafanaSearchQuery): Promise<GrafanaSearchHit[]> {
    const params = new URLSearchParams({ type: query.type });
    if (query.query !== undefined) params.set('query', query.query);
    const tags = query.tag === undefined ? [] : [query.tag].flat();
    for (const tag of tags) params.append('tag', tag);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const path = `/api/search?${params}`;
    const body = await this.#get(path, false);
    if (!Array.isArray(body)) {
      throw this.#error(`${this.where} answered GET /api/search without a list`, 200, false, path);
    }
    return body as GrafanaSearchHit[];
  }

  #error(message: string, status: number | undefined, unreachable: boolean, path: string): GrafanaError {
    // Grafana never echoes the token; this guards against bodies of proxies that would.
    const token = this.#options.token;
    const safe = token.length >= 8 ? message.split(token).join('<token>') : message;
    return new GrafanaError(cut(safe, MESSAGE_LIMIT), status, unreachable, path);
  }

  /** The JSON body of a GET; undefined on a 404 when `notFoundIsUndefined`. */
  async #get(path: string, notFoundIsUndefined: boolean): Promise<unknown> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const request = `GET ${path.split('?')[0]}`;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#base.request}${path}`, {
        method: 'GET',
        headers: {
          Authorization: `Bearer ${this.#options.token}`,
          Accept: 'application/json',
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `timed out after ${timeoutMs} ms`
          : err.cause?.code ?? err.message;
      throw this.#error(`${this.where} is unreachable (${request}): ${reason}`, undefined, true, path);
    }
    if (response.status === 404 && notFoundIsUndefined) return undefined;
    if (!response.ok) {
      const detail = grafanaMessage(text);
      const said = detail ? `: ${detail}` : '';
      if (response.status === 401 || response.status === 403) {
        throw this.#error(
          `${this.where} refused ${request} (HTTP ${response.status}${said}): the service account ` +
            'token lacks access to dashboards (it needs dashboards:read on their folders).',
          response.status,
          false,
          path,
        );
      }
      const gateway = [502, 503, 504].includes(response.status);
      throw this.#error(
        `${this.where} ${gateway ? 'is unreachable' : 'failed'} (${request}, HTTP ${response.status})${said}`,
        response.status,
        gateway,
        path,
      );
    }
    try {
      return JSON.parse(text);
    } catch {
      throw this.#error(
        `${this.where} answered ${request} (HTTP ${response.status}) with a body that is not JSON`,
        response.status,
        false,
        path,
      );
    }
  }
}
