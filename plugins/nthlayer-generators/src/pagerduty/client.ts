import {
  PagerDutyEscalationPolicyBody,
  PagerDutyEscalationPolicyObject,
  PagerDutyIncidentObject,
  PagerDutyScheduleBody,
  PagerDutyScheduleObject,
  PagerDutyServiceBody,
  PagerDutyServiceObject,
  PagerDutyTeamBody,
  PagerDutyTeamObject,
} from './pagerDutyObjects';

/** The fetch the client sends requests with (the global `fetch` by default). @public */
export type PagerDutyFetch = (
  url: string,
  init: RequestInit,
) => Promise<Response>;

/** Options of {@link PagerDutyClient}. @public */
export interface PagerDutyClientOptions {
  /** A REST API key (account or user key), sent as `Authorization: Token token=<token>`. */
  token: string;
  /** Default `https://api.pagerduty.com` (EU accounts: `https://api.eu.pagerduty.com`). */
  baseUrl?: string;
  fetch?: PagerDutyFetch;
  /** Waits between retries after a 429; default a `setTimeout`. Injected by tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a 429 before giving up; default 3 (so at most 4 attempts). */
  maxRetries?: number;
  /**
   * E-mail of a PagerDuty user, sent as the `From` header on writes (PagerDuty requires it
   * on some writes made with an account key, and records it for change tracking).
   */
  from?: string;
}

/**
 * An answer of PagerDuty other than 2xx (`status` is its HTTP status), or no answer at all
 * (`status` 0: unreachable, or not JSON). The message names the request and carries
 * PagerDuty's `error.message` and `error.errors`, cut to 300 characters.
 *
 * @public
 */
export class PagerDutyApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    /** PagerDuty's `error.code`, when it sent one. */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'PagerDutyApiError';
  }
}

/**
 * More than one PagerDuty object has the name NthLayer looks for: NthLayer identifies its
 * objects by name and so cannot tell which one is its own.
 *
 * @public
 */
export class PagerDutyAmbiguousNameError extends Error {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly ids: string[],
  ) {
    super(
      `${ids.length} PagerDuty ${kind}s are named "${objectName}" (${ids.join(
        ', ',
      )}); ` +
        'NthLayer identifies its objects by name and touches none of them. Rename all but one.',
    );
    this.name = 'PagerDutyAmbiguousNameError';
  }
}

/** Query of {@link PagerDutyClient.listIncidents}. @public */
export interface PagerDutyIncidentQuery {
  /** Sent as `service_ids[]`; an empty list sends no filter (all services of the account). */
  serviceIds: string[];
  /** Start of the range (incidents created from then on). */
  since: Date;
  /** End of the range. */
  until: Date;
}

const DEFAULT_BASE_URL = 'https://api.pagerduty.com';
const ACCEPT = 'application/vnd.pagerduty+json;version=2';
const PAGE_SIZE = 100;
const MESSAGE_LIMIT = 300;
/** Without a usable Retry-After / ratelimit-reset header: 1 s, 2 s, 4 s, ... */
const FALLBACK_DELAY_MS = 1000;
/** No header makes the client wait longer than this between two attempts. */
const MAX_DELAY_MS = 120_000;
/**
 * The incidents API refuses ranges over 6 months ("Maximum range is 6 months", parameters
 * since_incidents / until_incidents of `GET /incidents`). 180 days is within 6 calendar
 * months wherever they start (the shortest 6 months, September to March, are 181 days), so
 * longer ranges are asked for in windows of at most 180 days.
 *
 * @public
 */
export const PAGERDUTY_INCIDENT_WINDOW_MS = 180 * 24 * 3600 * 1000;

/** `text` cut to `limit` characters (code points), with an ellipsis when cut. */
function cut(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit
    ? text
    : `${chars.slice(0, limit - 1).join('')}…`;
}

/** Seconds from a `Retry-After` (seconds or an HTTP date) or `ratelimit-reset` (seconds) header. */
function retryDelayMs(headers: Headers, attempt: number, now: number): number {
  const retryAfter = headers.get('retry-after')?.trim();
  let ms: number | undefined;
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) ms = Number(retryAfter) * 1000;
    else if (!Number.isNaN(Date.parse(retryAfter)))
      ms = Date.parse(retryAfter) - now;
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (ms === undefined && reset && /^\d+(\.\d+)?$/.test(reset))
    ms = Number(reset) * 1000;
  if (ms === undefined) ms = FALLBACK_DELAY_MS * 2 ** attempt;
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_DELAY_MS);
}

/** PagerDuty's `{ error: { message, code, errors } }`, as one line. */
function errorDetails(body: unknown): { text?: string; code?: number } {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { text: error };
  if (!error || typeof error !== 'object') return {};
  const { message, code, errors } = error as {
    message?: unknown;
    code?: unknown;
    errors?: unknown;
  };
  const parts = [
    typeof message === 'string' ? message : undefined,
    Array.isArray(errors) && errors.length > 0
      ? errors.map(String).join('; ')
      : undefined,
  ].filter((p): p is string => Boolean(p));
  return {
    text: parts.length > 0 ? parts.join(': ') : undefined,
    code: typeof code === 'number' ? code : undefined,
  };
}

interface RequestOptions {
  query?: Array<[string, string]>;
  body?: unknown;
}

/**
 * A client of the PagerDuty REST API v2 for what NthLayer reads and writes: services,
 * escalation policies, teams, schedules (read, find by name, create, update) and incidents
 * (list). Never deletes anything: it has no method that could.
 *
 * - Every request sends `Authorization: Token token=<token>`,
 *   `Accept: application/vnd.pagerduty+json;version=2` and `Content-Type: application/json`;
 *   writes also `From` when `from` is set.
 * - A 429 is retried up to `maxRetries` times after the delay of its `Retry-After` header
 *   (seconds or an HTTP date), else of its `ratelimit-reset` header (seconds), else 1 s, 2 s,
 *   4 s, ...; each delay is at most 2 minutes. Other errors are not retried.
 * - Any other non-2xx answer throws a {@link PagerDutyApiError} with its status.
 * - Lists are read 100 at a time (`limit=100`, `offset`) until PagerDuty answers
 *   `more: false`.
 * - `findXByName` asks with `query=<name>` (PagerDuty matches part of the name) and keeps
 *   exact, case-sensitive matches; more than one throws {@link PagerDutyAmbiguousNameError}.
 *
 * @public
 */
export class PagerDutyClient {
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #fetch: PagerDutyFetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxRetries: number;
  readonly #from: string | undefined;

  constructor(options: PagerDutyClientOptions) {
    this.#token = options.token;
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.#maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.#from = options.from;
  }

  /** `GET /services/{id}`, optionally with `include[]=escalation_policies` / `teams`. */
  async getService(
    id: string,
    options: { include?: Array<'escalation_policies' | 'teams'> } = {},
  ): Promise<PagerDutyServiceObject> {
    const query = (options.include ?? []).map(
      i => ['include[]', i] as [string, string],
    );
    const body = await this.#request<{ service: PagerDutyServiceObject }>(
      'GET',
      `/services/${encodeURIComponent(id)}`,
      { query },
    );
    return body.service;
  }

  /** The service of exactly that name, or undefined. */
  async findServiceByName(
    name: string,
  ): Promise<PagerDutyServiceObject | undefined> {
    return this.#findByName<PagerDutyServiceObject>(
      '/services',
      'services',
      'service',
      name,
    );
  }

  /** `GET /escalation_policies/{id}`. */
  async getEscalationPolicy(
    id: string,
  ): Promise<PagerDutyEscalationPolicyObject> {
    const body = await this.#request<{
      escalation_policy: PagerDutyEscalationPolicyObject;
    }>('GET', `/escalation_policies/${encodeURIComponent(id)}`);
    return body.escalation_policy;
  }

  /** The escalation policy of exactly that name, or undefined. */
  async findEscalationPolicyByName(
    name: string,
  ): Promise<PagerDutyEscalationPolicyObject | undefined> {
    return this.#findByName<PagerDutyEscalationPolicyObject>(
      '/escalation_policies',
      'escalation_policies',
      'escalation policy',
      name,
    );
  }

  /** `GET /teams/{id}`. */
  async getTeam(id: string): Promise<PagerDutyTeamObject> {
    const body = await this.#request<{ team: PagerDutyTeamObject }>(
      'GET',
      `/teams/${encodeURIComponent(id)}`,
    );
    return body.team;
  }

  /** The team of exactly that name, or undefined. */
  async findTeamByName(name: string): Promise<PagerDutyTeamObject | undefined> {
    return this.#findByName<PagerDutyTeamObject>(
      '/teams',
      'teams',
      'team',
      name,
    );
  }

  /** `GET /schedules/{id}`: the schedule with its layers. */
  async getSchedule(id: string): Promise<PagerDutyScheduleObject> {
    const body = await this.#request<{ schedule: PagerDutyScheduleObject }>(
      'GET',
      `/schedules/${encodeURIComponent(id)}`,
    );
    return body.schedule;
  }

  /**
   * The schedule of exactly that name as `GET /schedules` lists it, or undefined (the list
   * may leave the layers out: read them with {@link PagerDutyClient.getSchedule}).
   */
  async findScheduleByName(
    name: string,
  ): Promise<PagerDutyScheduleObject | undefined> {
    return this.#findByName<PagerDutyScheduleObject>(
      '/schedules',
      'schedules',
      'schedule',
      name,
    );
  }

  /**
   * The incidents of the services created between since and until (as PagerDuty bounds them), all pages. Ranges over 180 days
   * are asked for in consecutive windows (PagerDuty refuses more than 6 months at once);
   * an incident at the boundary of two windows is returned once. `since` after `until`
   * throws.
   */
  async listIncidents(
    query: PagerDutyIncidentQuery,
  ): Promise<PagerDutyIncidentObject[]> {
    const since = query.since.getTime();
    const until = query.until.getTime();
    if (Number.isNaN(since) || Number.isNaN(until)) {
      throw new Error('listIncidents needs valid since and until dates');
    }
    if (since > until) {
      throw new Error(
        `listIncidents: since (${query.since.toISOString()}) is after until (${query.until.toISOString()})`,
      );
    }
    const seen = new Set<string>();
    const incidents: PagerDutyIncidentObject[] = [];
    for (let start = since; ; start += PAGERDUTY_INCIDENT_WINDOW_MS) {
      const end = Math.min(start + PAGERDUTY_INCIDENT_WINDOW_MS, until);
      const params: Array<[string, string]> = [
        ...query.serviceIds.map(
          id => ['service_ids[]', id] as [string, string],
        ),
        ['since', new Date(start).toISOString()],
        ['until', new Date(end).toISOString()],
      ];
      for (const incident of await this.#list<PagerDutyIncidentObject>(
        '/incidents',
        'incidents',
        params,
      )) {
        if (seen.has(incident.id)) continue;
        seen.add(incident.id);
        incidents.push(incident);
      }
      if (end >= until) break;
    }
    return incidents;
  }

  /** `POST /teams`. */
  async createTeam(body: PagerDutyTeamBody): Promise<PagerDutyTeamObject> {
    return (
      await this.#request<{ team: PagerDutyTeamObject }>('POST', '/teams', {
        body,
      })
    ).team;
  }

  /** `PUT /teams/{id}`. */
  async updateTeam(
    id: string,
    body: PagerDutyTeamBody,
  ): Promise<PagerDutyTeamObject> {
    const path = `/teams/${encodeURIComponent(id)}`;
    return (
      await this.#request<{ team: PagerDutyTeamObject }>('PUT', path, { body })
    ).team;
  }

  /** `POST /schedules`. */
  async createSchedule(
    body: PagerDutyScheduleBody,
  ): Promise<PagerDutyScheduleObject> {
    const answer = await this.#request<{ schedule: PagerDutyScheduleObject }>(
      'POST',
      '/schedules',
      {
        body,
      },
    );
    return answer.schedule;
  }

  /** `PUT /schedules/{id}`. */
  async updateSchedule(
    id: string,
    body: PagerDutyScheduleBody,
  ): Promise<PagerDutyScheduleObject> {
    const path = `/schedules/${encodeURIComponent(id)}`;
    return (
      await this.#request<{ schedule: PagerDutyScheduleObject }>('PUT', path, {
        body,
      })
    ).schedule;
  }

  /** `POST /escalation_policies`. */
  async createEscalationPolicy(
    body: PagerDutyEscalationPolicyBody,
  ): Promise<PagerDutyEscalationPolicyObject> {
    const answer = await this.#request<{
      escalation_policy: PagerDutyEscalationPolicyObject;
    }>('POST', '/escalation_policies', { body });
    return answer.escalation_policy;
  }

  /** `PUT /escalation_policies/{id}`. */
  async updateEscalationPolicy(
    id: string,
    body: PagerDutyEscalationPolicyBody,
  ): Promise<PagerDutyEscalationPolicyObject> {
    const answer = await this.#request<{
      escalation_policy: PagerDutyEscalationPolicyObject;
    }>('PUT', `/escalation_policies/${encodeURIComponent(id)}`, { body });
    return answer.escalation_policy;
  }

  /** `POST /services`. */
  async createService(
    body: PagerDutyServiceBody,
  ): Promise<PagerDutyServiceObject> {
    const answer = await this.#request<{ service: PagerDutyServiceObject }>(
      'POST',
      '/services',
      {
        body,
      },
    );
    return answer.service;
  }

  /** `PUT /services/{id}`. */
  async updateService(
    id: string,
    body: PagerDutyServiceBody,
  ): Promise<PagerDutyServiceObject> {
    const path = `/services/${encodeURIComponent(id)}`;
    return (
      await this.#request<{ service: PagerDutyServiceObject }>('PUT', path, {
        body,
      })
    ).service;
  }

  async #findByName<T extends { id: string; name: string }>(
    path: string,
    key: string,
    kind: string,
    name: string,
  ): Promise<T | undefined> {
    const matches = (await this.#list<T>(path, key, [['query', name]])).filter(
      o => o.name === name,
    );
    if (matches.length > 1) {
      throw new PagerDutyAmbiguousNameError(
        kind,
        name,
        matches.map(m => m.id),
      );
    }
    return matches[0];
  }

  /** Every page of a classic (offset) paginated list. */
  async #list<T>(
    path: string,
    key: string,
    params: Array<[string, string]>,
  ): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; ) {
      const page = await this.#request<Record<string, unknown>>('GET', path, {
        query: [
          ...params,
          ['limit', String(PAGE_SIZE)],
          ['offset', String(offset)],
        ],
      });
      const batch = page[key];
      if (!Array.isArray(batch)) {
        throw new PagerDutyApiError(
          `PagerDuty GET ${path} answered without a "${key}" list`,
          200,
          'GET',
          path,
        );
      }
      items.push(...(batch as T[]));
      // An empty page that claims more would loop forever: stop there.
      if (page.more !== true || batch.length === 0) return items;
      offset += batch.length;
    }
  }

  async #request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of options.query ?? []) search.append(name, value);
    const queryString = search.toString();
    const url = `${this.#baseUrl}${path}${
      queryString ? `?${queryString}` : ''
    }`;
    const headers: Record<string, string> = {
      Authorization: `Token token=${this.#token}`,
      Accept: ACCEPT,
      'Content-Type': 'application/json',
    };
    if (method !== 'GET' && this.#from) headers.From = this.#from;
    const init: RequestInit = {
      method,
      headers,
      ...(options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
    };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, init);
      } catch (error) {
        throw new PagerDutyApiError(
          cut(
            `PagerDuty ${method} ${path} could not be sent: ${
              (error as Error).message
            }`,
            MESSAGE_LIMIT,
          ),
          0,
          method,
          path,
        );
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (response.status === 429) {
        if (attempt < this.#maxRetries) {
          await this.#sleep(
            retryDelayMs(response.headers, attempt, Date.now()),
          );
          continue;
        }
        throw new PagerDutyApiError(
          `PagerDuty rate limit: ${method} ${path} still answered 429 after ${
            this.#maxRetries
          } ` +
            `retries${
              errorDetails(body).text
                ? ` (${cut(errorDetails(body).text!, MESSAGE_LIMIT)})`
                : ''
            }`,
          429,
          method,
          path,
          errorDetails(body).code,
        );
      }
      if (!response.ok) {
        const details = errorDetails(body);
        const reason = details.text ?? (text ? text : response.statusText);
        throw new PagerDutyApiError(
          `PagerDuty ${method} ${path} answered ${response.status}: ${cut(
            reason || 'no details',
            MESSAGE_LIMIT,
          )}`,
          response.status,
          method,
          path,
          details.code,
        );
      }
      if (body === undefined || body === null || typeof body !== 'object') {
        throw new PagerDutyApiError(
          `PagerDuty ${method} ${path} answered ${response.status} without a JSON object`,
          0,
          method,
          path,
        );
      }
      return body as unknown as T;
    }
  }
}
