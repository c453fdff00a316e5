/**
 * A loopback PagerDuty REST API v2 for tests: a real node `http` server on 127.0.0.1 with
 * in-memory state, implementing the routes NthLayer uses:
 *
 * - `GET|POST /teams`, `GET|PUT /teams/{id}`; the same for `/schedules`,
 *   `/escalation_policies` and `/services`;
 * - `GET /incidents` with `service_ids[]`, `since`, `until` (at most 6 months apart; default
 *   the month before the fake's clock), `limit` (default 25, at most 100), `offset`.
 *
 * Like PagerDuty it assigns ids, wraps single objects (`{ service: {...} }`) and pages lists
 * (`{ services: [...], limit, offset, more, total }`, `total` `null` unless `total=true`),
 * answers errors as `{ error: { message, code, errors } }`, matches `query` against part of
 * the name (case-insensitive), refuses a second team, escalation policy or service of a
 * name (case-insensitive), refuses references to objects it does not hold (users,
 * schedules, teams, escalation policies), and answers references with their `summary`.
 * Every request body is checked against the zod schemas of `pagerDutyContract.ts` (a 400
 * names the faulty fields). `PUT` replaces the top-level fields it sends and keeps the
 * others. It never deletes: `DELETE` is answered 405.
 *
 * Not PagerDuty: error codes other than 2001 (invalid input) and 2100 (not found) are
 * illustrative; `since` is inclusive and `until` exclusive; incidents are added with
 * {@link PagerDutyFake.addIncident}, users with {@link PagerDutyFake.addUser}.
 *
 * Test helper, exported for other packages' tests as `@nthlayer/backstage-plugin-generators/testing`.
 */
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import {
  pagerDutyRequestBodies,
  PagerDutyRequestKind,
} from '../pagerDutyContract';

/** A request the fake received, and its answer's status. @public */
export interface PagerDutyFakeRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | undefined>;
  body?: unknown;
  status: number;
}

/** An incident to add; everything but the service and creation time has a default. @public */
export interface PagerDutyFakeIncidentInput {
  serviceId: string;
  createdAt: string;
  title?: string;
  status?: 'triggered' | 'acknowledged' | 'resolved';
  urgency?: 'high' | 'low';
  /** The priority's name (`P1`), or null for none (the default). */
  priority?: string | null;
  /** Defaults to `createdAt` plus 30 minutes for a resolved incident, else null. */
  resolvedAt?: string | null;
}

/** A stored PagerDuty object: the body as sent, plus the fields the server assigns. @public */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PagerDutyFakeObject = Record<string, any>;

/** The collections the fake holds. @public */
export type PagerDutyFakeCollection = 'teams' | 'schedules' | 'escalation_policies' | 'services';

const COLLECTIONS: Record<
  PagerDutyFakeCollection,
  {
    key: string;
    create: PagerDutyRequestKind;
    update: PagerDutyRequestKind;
    uniqueNames: boolean;
  }
> = {
  teams: { key: 'team', create: 'team', update: 'team', uniqueNames: true },
  // PagerDuty allows several schedules of one name.
  schedules: {
    key: 'schedule',
    create: 'schedule',
    update: 'schedule',
    uniqueNames: false,
  },
  escalation_policies: {
    key: 'escalation_policy',
    create: 'escalationPolicy',
    update: 'escalationPolicy',
    uniqueNames: true,
  },
  services: {
    key: 'service',
    create: 'createService',
    update: 'updateService',
    uniqueNames: true,
  },
};

const WEB = 'https://nthlayer-fake.pagerduty.com';
const HTML_PATHS: Record<string, string> = {
  team: 'teams',
  schedule: 'schedules',
  escalation_policy: 'escalation_policies',
  service: 'service-directory',
  user: 'users',
  incident: 'incidents',
};
const API_PATHS: Record<string, string> = {
  team: 'teams',
  schedule: 'schedules',
  escalation_policy: 'escalation_policies',
  service: 'services',
  user: 'users',
  incident: 'incidents',
  priority: 'priorities',
};

class FakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

const invalid = (errors: string[]) =>
  new FakeError(400, 'Invalid Input Provided', 2001, errors);
const notFound = () => new FakeError(404, 'Not Found', 2100);

/** Seconds-precision UTC time, as PagerDuty writes times. */
function pdTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The loopback PagerDuty. Start it with {@link PagerDutyFake.start}. @public */
export class PagerDutyFake {
  /** Every request received, in order. */
  readonly requests: PagerDutyFakeRequest[] = [];
  /** The objects held, by id (the body as sent plus server fields; edit them to simulate hand changes). */
  readonly state: Record<PagerDutyFakeCollection, Map<string, PagerDutyFakeObject>> = {
    teams: new Map(),
    schedules: new Map(),
    escalation_policies: new Map(),
    services: new Map(),
  };
  readonly users = new Map<
    string,
    { id: string; name: string; email: string }
  >();
  readonly #incidents: PagerDutyFakeObject[] = [];
  #nextId = 1;
  #nextIncidentNumber = 1;
  #rateLimits: Array<Record<string, string>> = [];
  /** The fake's clock: creation times and the default incident range. */
  now: () => number;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly token: string,
    now?: () => number,
  ) {
    this.now = now ?? (() => Date.now());
  }

  /** Starts a fake on 127.0.0.1 and a free port; it accepts `Token token=<token>`. */
  static async start(
    options: { token?: string; now?: () => number } = {},
  ): Promise<PagerDutyFake> {
    const started: { fake?: PagerDutyFake } = {};
    const server = createServer((req, res) => {
      started.fake!.handle(req, res).catch(error => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: String(error), code: 2000, errors: [] },
          }),
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    started.fake = new PagerDutyFake(
      server,
      `http://127.0.0.1:${port}`,
      options.token ?? 'fake-token',
      options.now,
    );
    return started.fake;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** The requests that could change state (anything but GET). */
  writes(): PagerDutyFakeRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /**
   * The next `count` requests are answered 429 with these headers, e.g.
   * `{ 'Retry-After': '2' }` or `{ 'ratelimit-reset': '7' }`.
   */
  rateLimitNext(count: number, headers: Record<string, string>): void {
    for (let i = 0; i < count; i++) this.#rateLimits.push(headers);
  }

  /** Adds a user (escalation targets and schedule layers may refer to users the fake holds). */
  addUser(
    name: string,
    email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
  ): string {
    const id = this.#id();
    this.users.set(id, { id, name, email });
    return id;
  }

  /** Adds an incident; returns its id. */
  addIncident(input: PagerDutyFakeIncidentInput): string {
    const id = this.#id('Q');
    const status = input.status ?? 'triggered';
    const created = Date.parse(input.createdAt);
    if (Number.isNaN(created))
      throw new Error(
        `addIncident: createdAt ${input.createdAt} is not a time`,
      );
    const defaultResolvedAt =
      status === 'resolved' ? pdTime(created + 30 * 60_000) : null;
    const resolvedAt =
      input.resolvedAt !== undefined ? input.resolvedAt : defaultResolvedAt;
    this.#incidents.push({
      id,
      number: this.#nextIncidentNumber++,
      serviceId: input.serviceId,
      createdAt: pdTime(created),
      title: input.title ?? `Incident ${id}`,
      status,
      urgency: input.urgency ?? 'high',
      priority: input.priority ?? null,
      resolvedAt,
    });
    return id;
  }

  #id(prefix = 'P'): string {
    return `${prefix}${(this.#nextId++)
      .toString(36)
      .toUpperCase()
      .padStart(6, '0')}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', chunk => (text += chunk));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams)
      (query[name] ??= []).push(value);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: PagerDutyFakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers,
      status: 0,
    };
    this.requests.push(record);
    const send = (
      status: number,
      body: unknown,
      extra: Record<string, string> = {},
    ) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...extra });
      res.end(JSON.stringify(body));
    };
    const limited = this.#rateLimits.shift();
    if (limited) {
      send(
        429,
        { error: { message: 'Rate Limit Exceeded', code: 2020, errors: [] } },
        limited,
      );
      return;
    }
    try {
      if (req.headers.authorization !== `Token token=${this.token}`) {
        throw new FakeError(401, 'Authentication failed', 2006);
      }
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw invalid(['the request body is not JSON']);
        }
        record.body = body;
      }
      const [status, answer] = this.#route(record.method, url, body);
      send(status, answer);
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      send(error.status, {
        error: {
          message: error.message,
          code: error.code,
          errors: error.errors,
        },
      });
    }
  }

  #route(method: string, url: URL, body: unknown): [number, unknown] {
    if (url.pathname === '/incidents') {
      if (method !== 'GET')
        throw new FakeError(405, 'Method Not Allowed', 2000);
      return [200, this.#listIncidents(url.searchParams)];
    }
    const match =
      /^\/(teams|schedules|escalation_policies|services)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!match) throw notFound();
    const collection = match[1] as PagerDutyFakeCollection;
    const id = match[2] ? decodeURIComponent(match[2]) : undefined;
    const { key } = COLLECTIONS[collection];
    if (method === 'GET' && !id)
      return [200, this.#list(collection, url.searchParams)];
    if (method === 'GET' && id) {
      const stored = this.state[collection].get(id);
      if (!stored) throw notFound();
      return [200, { [key]: this.#render(collection, stored) }];
    }
    if (method === 'POST' && !id) {
      const stored = this.#write(collection, undefined, body);
      return [201, { [key]: this.#render(collection, stored) }];
    }
    if (method === 'PUT' && id) {
      if (!this.state[collection].has(id)) throw notFound();
      const stored = this.#write(collection, id, body);
      return [200, { [key]: this.#render(collection, stored) }];
    }
    throw new FakeError(
      405,
      'Method Not Allowed (the fake deletes nothing)',
      2000,
    );
  }

  #write(
    collection: PagerDutyFakeCollection,
    id: string | undefined,
    body: unknown,
  ): PagerDutyFakeObject {
    const { key, create, update, uniqueNames } = COLLECTIONS[collection];
    const parsed = pagerDutyRequestBodies[id ? update : create].safeParse(body);
    if (!parsed.success) {
      throw invalid(
        parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`),
      );
    }
    const sent = (body as PagerDutyFakeObject)[key] as PagerDutyFakeObject;
    const previous = id ? this.state[collection].get(id)! : undefined;
    const next: PagerDutyFakeObject = structuredClone({ ...(previous ?? {}), ...sent });
    next.id = id ?? this.#id();
    if (!previous && collection === 'services')
      next.created_at = pdTime(this.now());
    if (collection === 'escalation_policies') {
      next.escalation_rules = (next.escalation_rules as PagerDutyFakeObject[]).map(rule => ({
        ...rule,
        id: rule.id ?? this.#id('R'),
      }));
    }
    if (collection === 'schedules' && Array.isArray(next.schedule_layers)) {
      next.schedule_layers = (next.schedule_layers as PagerDutyFakeObject[]).map(layer => ({
        ...layer,
        id: layer.id ?? this.#id('L'),
      }));
    }
    const errors = this.#referenceErrors(collection, next);
    if (uniqueNames && typeof next.name === 'string') {
      const name = next.name.toLowerCase();
      for (const other of this.state[collection].values()) {
        if (other.id !== next.id && String(other.name).toLowerCase() === name) {
          errors.push(`${key}.name: Name has already been taken`);
        }
      }
    }
    if (errors.length > 0) throw invalid(errors);
    this.state[collection].set(next.id, next);
    return next;
  }

  /** References to objects the fake does not hold, as PagerDuty refuses them. */
  #referenceErrors(collection: PagerDutyFakeCollection, o: PagerDutyFakeObject): string[] {
    const errors: string[] = [];
    if (collection === 'escalation_policies') {
      (o.escalation_rules as PagerDutyFakeObject[]).forEach((rule, r) =>
        (rule.targets as PagerDutyFakeObject[]).forEach((target, t) => {
          const isUser = String(target.type).startsWith('user');
          const known = isUser
            ? this.users.has(target.id)
            : this.state.schedules.has(target.id);
          if (!known) {
            errors.push(
              `escalation_policy.escalation_rules.${r}.targets.${t}: ${
                isUser ? 'user' : 'schedule'
              } ${target.id} not found`,
            );
          }
        }),
      );
      ((o.teams ?? []) as PagerDutyFakeObject[]).forEach((team, t) => {
        if (!this.state.teams.has(team.id))
          errors.push(
            `escalation_policy.teams.${t}: team ${team.id} not found`,
          );
      });
    }
    if (collection === 'schedules') {
      ((o.schedule_layers ?? []) as PagerDutyFakeObject[]).forEach((layer, l) =>
        (layer.users as PagerDutyFakeObject[]).forEach((u, i) => {
          if (!this.users.has(u.user.id)) {
            errors.push(
              `schedule.schedule_layers.${l}.users.${i}.user: user ${u.user.id} not found`,
            );
          }
        }),
      );
    }
    if (
      collection === 'services' &&
      !this.state.escalation_policies.has(o.escalation_policy?.id)
    ) {
      errors.push(
        `service.escalation_policy: escalation policy ${o.escalation_policy?.id} not found`,
      );
    }
    return errors;
  }

  #list(collection: PagerDutyFakeCollection, params: URLSearchParams): unknown {
    const search = params.get('query')?.toLowerCase();
    const all = [...this.state[collection].values()]
      .filter(
        o =>
          !search ||
          String(o.name ?? '')
            .toLowerCase()
            .includes(search),
      )
      .sort(
        (a, b) =>
          String(a.name).localeCompare(String(b.name)) ||
          a.id.localeCompare(b.id),
      )
      .map(o => this.#render(collection, o));
    return this.#page(collection, all, params);
  }

  #page(key: string, all: unknown[], params: URLSearchParams): unknown {
    const limit = Math.min(
      Math.max(Number(params.get('limit') ?? 25) || 25, 1),
      100,
    );
    const offset = Math.max(Number(params.get('offset') ?? 0) || 0, 0);
    const items = all.slice(offset, offset + limit);
    return {
      [key]: items,
      limit,
      offset,
      more: offset + items.length < all.length,
      total: params.get('total') === 'true' ? all.length : null,
    };
  }

  #listIncidents(params: URLSearchParams): unknown {
    const time = (name: string): number | undefined => {
      const value = params.get(name);
      if (value === null) return undefined;
      const ms = Date.parse(value);
      if (Number.isNaN(ms))
        throw new FakeError(
          400,
          "Invalid 'since' or 'until' Parameter Values",
          2004,
          [`${name}: ${value}`],
        );
      return ms;
    };
    const until = time('until') ?? this.now();
    const since =
      time('since') ??
      DateTime.fromMillis(until).minus({ months: 1 }).toMillis();
    if (
      since > until ||
      DateTime.fromMillis(since).plus({ months: 6 }).toMillis() < until
    ) {
      throw new FakeError(400, 'Invalid Query Date Range', 2005, [
        'The maximum range is 6 months and since must not be after until',
      ]);
    }
    const services = new Set(params.getAll('service_ids[]'));
    const all = this.#incidents
      .filter(i => services.size === 0 || services.has(i.serviceId))
      .filter(
        i =>
          Date.parse(i.createdAt) >= since && Date.parse(i.createdAt) < until,
      )
      .sort(
        (a, b) =>
          Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
          a.number - b.number,
      )
      .map(i => this.#renderIncident(i));
    return this.#page('incidents', all, params);
  }

  #ref(kind: string, id: string): PagerDutyFakeObject {
    const names: Record<string, (id: string) => string | undefined> = {
      team: i => this.state.teams.get(i)?.name,
      schedule: i => this.state.schedules.get(i)?.name,
      escalation_policy: i => this.state.escalation_policies.get(i)?.name,
      service: i => this.state.services.get(i)?.name,
      user: i => this.users.get(i)?.name,
    };
    return {
      id,
      type: `${kind}_reference`,
      summary: names[kind]?.(id) ?? null,
      self: `${this.baseUrl}/${API_PATHS[kind]}/${id}`,
      html_url: `${WEB}/${HTML_PATHS[kind]}/${id}`,
    };
  }

  #links(kind: string, o: PagerDutyFakeObject): PagerDutyFakeObject {
    return {
      summary: o.name ?? null,
      self: `${this.baseUrl}/${API_PATHS[kind]}/${o.id}`,
      html_url: `${WEB}/${HTML_PATHS[kind]}/${o.id}`,
    };
  }

  #render(collection: PagerDutyFakeCollection, o: PagerDutyFakeObject): PagerDutyFakeObject {
    switch (collection) {
      case 'teams':
        return { ...o, type: 'team', ...this.#links('team', o) };
      case 'schedules': {
        const layers = ((o.schedule_layers ?? []) as PagerDutyFakeObject[]).map(layer => ({
          ...layer,
          users: (layer.users as PagerDutyFakeObject[]).map(u => ({
            user: this.#ref('user', u.user.id),
          })),
        }));
        const userIds = [
          ...new Set(
            layers.flatMap(l =>
              l.users.map((u: PagerDutyFakeObject) => u.user.id as string),
            ),
          ),
        ];
        const policies = [...this.state.escalation_policies.values()].filter(
          p =>
            (p.escalation_rules as PagerDutyFakeObject[]).some(r =>
              (r.targets as PagerDutyFakeObject[]).some(
                t => !String(t.type).startsWith('user') && t.id === o.id,
              ),
            ),
        );
        return {
          ...o,
          type: 'schedule',
          ...this.#links('schedule', o),
          schedule_layers: layers,
          users: userIds.map(id => this.#ref('user', id)),
          escalation_policies: policies.map(p =>
            this.#ref('escalation_policy', p.id),
          ),
          teams: [],
        };
      }
      case 'escalation_policies':
        return {
          num_loops: 0,
          on_call_handoff_notifications: 'if_has_services',
          ...o,
          type: 'escalation_policy',
          ...this.#links('escalation_policy', o),
          escalation_rules: (o.escalation_rules as PagerDutyFakeObject[]).map(rule => ({
            ...rule,
            targets: (rule.targets as PagerDutyFakeObject[]).map(t =>
              this.#ref(
                String(t.type).startsWith('user') ? 'user' : 'schedule',
                t.id,
              ),
            ),
          })),
          teams: ((o.teams ?? []) as PagerDutyFakeObject[]).map(t =>
            this.#ref('team', t.id),
          ),
          services: [...this.state.services.values()]
            .filter(s => s.escalation_policy?.id === o.id)
            .map(s => this.#ref('service', s.id)),
        };
      case 'services':
      default: {
        const policy = this.state.escalation_policies.get(
          o.escalation_policy?.id,
        );
        const rendered: PagerDutyFakeObject = {
          status: 'active',
          incident_urgency_rule: { type: 'constant', urgency: 'high' },
          scheduled_actions: [],
          alert_creation: 'create_alerts_and_incidents',
          ...o,
          type: 'service',
          ...this.#links('service', o),
          // Unset in a POST, the timeouts are off: PagerDuty answers null.
          acknowledgement_timeout: o.acknowledgement_timeout ?? null,
          auto_resolve_timeout: o.auto_resolve_timeout ?? null,
          escalation_policy: this.#ref(
            'escalation_policy',
            o.escalation_policy.id,
          ),
          teams: ((policy?.teams ?? []) as PagerDutyFakeObject[]).map(t =>
            this.#ref('team', t.id),
          ),
          integrations: [],
          addons: [],
        };
        if (
          rendered.support_hours === null ||
          rendered.support_hours === undefined
        )
          delete rendered.support_hours;
        return rendered;
      }
    }
  }

  #renderIncident(i: PagerDutyFakeObject): PagerDutyFakeObject {
    return {
      id: i.id,
      type: 'incident',
      summary: `[#${i.number}] ${i.title}`,
      self: `${this.baseUrl}/incidents/${i.id}`,
      html_url: `${WEB}/incidents/${i.id}`,
      incident_number: i.number,
      title: i.title,
      created_at: i.createdAt,
      updated_at: i.resolvedAt ?? i.createdAt,
      status: i.status,
      incident_key: `key-${i.id}`,
      service: this.#ref('service', i.serviceId),
      assignments: [],
      last_status_change_at: i.resolvedAt ?? i.createdAt,
      resolved_at: i.resolvedAt,
      teams: [],
      urgency: i.urgency,
      priority:
        i.priority === null
          ? null
          : {
              id: `PRIO${i.priority.replace(/\W/g, '')}`,
              type: 'priority_reference',
              summary: i.priority,
              self: `${this.baseUrl}/priorities/PRIO${i.priority.replace(
                /\W/g,
                '',
              )}`,
            },
    };
  }
}
