import { PermissionsService, SchedulerService, coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { RELIABILITY_TASK_ID } from './plugin';
import { NTHLAYER_ACTION_NAMES } from './service/actions/registerNthlayerActions';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

/*
 * The actions through the plugin: the real plugin with its real actions registry (the one
 * startTestBackend installs, serving /.backstage/actions under /api/nthlayer as in production),
 * real services over SQLite, a catalog that hides one entity from one user, and a permission
 * policy deciding per user. Actions and REST routes are asked the same things and compared.
 */

const API = '/api/nthlayer/v1';
const ACTIONS = '/api/nthlayer/.backstage/actions/v1/actions';
const ref = (name: string) => `component:default/${name}`;

const OWNER = 'user:default/owner'; // may override gates
const OTHER = 'user:default/someone-else'; // may not override
const NO_CHECK = 'user:default/no-gate-check'; // lacks nthlayer.gate.check
const OUTSIDER = 'user:default/outsider'; // the catalog hides secret-api from them

function withDependsOn(entity: Entity, targets: string[]): Entity {
  return { ...entity, spec: { ...entity.spec, dependsOn: targets }, relations: targets.map(targetRef => ({ type: 'dependsOn', targetRef })) };
}

const tier1 = (name: string) => serviceEntity(name, { 'nthlayer.dev/tier': '1' });
const entities: Entity[] = [
  tier1('payment-api'),
  withDependsOn(tier1('checkout-api'), [ref('payment-api')]),
  withDependsOn(tier1('secret-api'), [ref('payment-api')]),
  serviceEntity('plain', {}),
];
/** Availability good events of 1,000,000 (tier 1, 99.9 %): 999,050 → 5 % left (block), 999,700 → 70 %. */
const GOOD: Record<string, number> = { 'payment-api': 999_050, 'checkout-api': 999_700, 'secret-api': 999_700 };

const hiddenFrom = (options: any) => options?.credentials?.principal?.userEntityRef === OUTSIDER;
const isSecret = (entityRef: unknown) =>
  (typeof entityRef === 'string' ? entityRef : stringifyEntityRef(entityRef as Entity)).toLowerCase() === ref('secret-api');

/** The mock catalog, hiding secret-api from OUTSIDER as a catalog permission policy would. */
function visibilityCatalog() {
  const catalog = catalogServiceMock({ entities });
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
  const streamEntities = catalog.streamEntities.bind(catalog);
  const byRef = jest.spyOn(catalog, 'getEntityByRef').mockImplementation((async (entityRef: any, options: any) =>
    hiddenFrom(options) && isSecret(entityRef) ? undefined : getEntityByRef(entityRef, options)) as any);
  jest.spyOn(catalog, 'getEntitiesByRefs').mockImplementation((async (req: any, options: any) => {
    const answer = await getEntitiesByRefs(req, options);
    return hiddenFrom(options) ? { items: answer.items.map(e => (e && isSecret(e) ? undefined : e)) } : answer;
  }) as any);
  jest.spyOn(catalog, 'streamEntities').mockImplementation((async function* stream(req: any, options: any) {
    for await (const page of streamEntities(req, options)) yield hiddenFrom(options) ? page.filter(e => !isSecret(e)) : page;
  }) as any);
  return { catalog, byRef };
}

/** nthlayer.gate.override for OWNER only, nthlayer.gate.check for all but NO_CHECK, everything else allowed. */
function perUserPermissions() {
  const authorize = jest.fn(async (requests: any[], options: { credentials: any }) =>
    requests.map(r => {
      const user = options.credentials.principal.userEntityRef;
      if (r.permission.name === 'nthlayer.gate.override') return { result: user === OWNER ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      if (r.permission.name === 'nthlayer.gate.check') return { result: user === NO_CHECK ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
      return { result: AuthorizeResult.ALLOW };
    }),
  );
  return { service: mockServices.permissions.mock({ authorize: authorize as any }) as unknown as PermissionsService, authorize };
}

const LATER = { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } };

describe('NthLayer actions in the actions registry', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  let scheduler: SchedulerService | undefined;
  const permissions = perUserPermissions();
  const { catalog, byRef } = visibilityCatalog();

  beforeAll(async () => {
    const knex: Knex = await databases.init('SQLITE_3');
    const capture = createBackendModule({
      pluginId: 'nthlayer',
      moduleId: 'test-scheduler',
      register(env) {
        env.registerInit({
          deps: { s: coreServices.scheduler },
          async init({ s }) {
            scheduler = s;
          },
        });
      },
    });
    server = await startNthlayerTestBackend({
      entities,
      catalog,
      knex,
      permissions: permissions.service,
      features: [capture],
      config: {
        // The tasks run only when a test triggers them.
        graph: { discovery: { enabled: false }, schedule: LATER },
        drift: { schedule: LATER },
      },
    });
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measuredAt = new Date(Date.now() - 60_000).toISOString();
    await db.measurements.upsert(
      Object.entries(GOOD).flatMap(([name, good]) => [
        tier1Measurement(ref(name), 'availability', good, measuredAt),
        tier1Measurement(ref(name), 'latency', 990_000, measuredAt),
      ]),
      new Date(),
    );
  }, 60_000);

  const as = (user: string) => mockCredentials.user.header(user);
  const invoke = (name: string, input: object, auth = as(OWNER)) =>
    request(server).post(`${ACTIONS}/nthlayer:${name}/invoke`).set('Authorization', auth).send(input);
  const rest = (path: string, user = OWNER) => request(server).get(`${API}${path}`).set('Authorization', as(user));
  const entityPath = (name: string) => `/entities/component/default/${name}`;
  const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

  it('registers the seven actions as nthlayer:<name>, only request-gate-override destructive, check-deploy-gate not read-only', async () => {
    const res = await request(server).get(ACTIONS).set('Authorization', as(OWNER));
    expect(res.status).toBe(200);
    const listed = Object.fromEntries(res.body.actions.map((a: any) => [a.name, a]));
    expect(Object.keys(listed).sort()).toEqual([...NTHLAYER_ACTION_NAMES].sort());
    for (const name of NTHLAYER_ACTION_NAMES) {
      const action = listed[name];
      expect(action).toMatchObject({ id: `nthlayer:${name}`, pluginId: 'nthlayer' });
      // The gate check records its decision in the gate log: it changes something, additively.
      const hints: Record<string, object> = {
        'request-gate-override': { readOnly: false, idempotent: false, destructive: true },
        'check-deploy-gate': { readOnly: false, idempotent: false, destructive: false },
      };
      expect(action.attributes).toEqual(hints[name] ?? { readOnly: true, idempotent: true, destructive: false });
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.description.length).toBeGreaterThan(80);
      // Assistants read the field descriptions; unknown fields are refused.
      expect(action.schema.input.additionalProperties).toBe(false);
      for (const [field, schema] of Object.entries<any>(action.schema.input.properties)) {
        expect([name, field, typeof schema.description]).toEqual([name, field, 'string']);
      }
      expect(action.schema.output.type).toBe('object');
    }
    expect(listed['get-slos'].schema.input.required).toEqual(['entityRef']);
  });

  it.each([
    ['get-slos', { entityRef: 'component:default/' }, /entityRef must be an entity ref such as component:default\/payment-api/],
    ['get-slos', { entityRef: 'a:b:c/d' }, /entityRef must be an entity ref/],
    ['get-slos', { entityRef: 'payment api' }, /entityRef must be an entity ref/],
    ['get-drift', { entityRef: 42 }, /Expected string, received number/],
    ['get-slos', {}, /entityRef[\s\S]*Required/],
    ['get-slos', { entityRef: 'payment-api', kind: 'component' }, /Unrecognized key\(s\) in object: 'kind'/],
    ['get-portfolio', { limit: 'many' }, /Expected number, received string/],
    ['get-portfolio', { limit: 501 }, /less than or equal to 500/],
    ['get-portfolio', { tier: 4 }, /less than or equal to 3/],
    ['check-deploy-gate', { entityRef: 'payment-api' }, /version[\s\S]*Required/],
    ['request-gate-override', { entityRef: 'payment-api', reason: 'a good reason' }, /exactly one of expiresAt/],
    ['request-gate-override', { entityRef: 'payment-api', reason: 'too short', expiresInHours: 1 }, /at least 10 character/],
  ])('%s refuses %j with a 400 saying why', async (name, input, message) => {
    const res = await invoke(name, input);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('get-slos answers what GET .../slos answers, for a full ref and a bare name', async () => {
    const route = await rest(`${entityPath('payment-api')}/slos`);
    expect(route.status).toBe(200);
    expect(route.body.slos.map((s: any) => s.name)).toEqual(['availability', 'latency']);
    const full = await invoke('get-slos', { entityRef: ref('payment-api') });
    expect(full.status).toBe(200);
    expect(full.body.output).toEqual(route.body);
    const bare = await invoke('get-slos', { entityRef: 'payment-api' });
    expect(bare.body.output).toEqual(route.body);
    // Not managed: the same "no service, no SLOs" as the route.
    const plain = await invoke('get-slos', { entityRef: 'Component:default/plain' });
    expect(plain.status).toBe(200);
    expect(plain.body.output).toEqual((await rest(`${entityPath('plain')}/slos`)).body);
    expect(plain.body.output).toMatchObject({ service: null, slos: [] });
  });

  it('explain-budget gives each SLO\'s explanation with its numbers, or one SLO by name', async () => {
    const slos = (await rest(`${entityPath('payment-api')}/slos`)).body.slos;
    const res = await invoke('explain-budget', { entityRef: 'payment-api' });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out).toMatchObject({ entityRef: ref('payment-api'), managed: true, findings: [] });
    expect(out.slos.map((s: any) => [s.name, s.status, s.remainingPercent, s.targetPercent, s.window])).toEqual([
      ['availability', slos[0].status, 5, 99.9, '30d'],
      ['latency', slos[1].status, 80, 95, '30d'],
    ]);
    expect(out.slos[0].explanation).toBe(slos[0].explanation);
    expect(out.slos[0].explanation).toMatch(/95\.0 % of the error budget is spent/);
    expect(out.slos[0].burnRates).toEqual(slos[0].burnRates.map((b: any) => ({ window: b.window, burnRate: b.burnRate })));
    expect(out.summary).toBe(`${ref('payment-api')}: availability ${slos[0].status} (5 % of the error budget left), latency ${slos[1].status} (80 % of the error budget left).`);

    const one = await invoke('explain-budget', { entityRef: 'payment-api', slo: 'latency' });
    expect(one.body.output.slos.map((s: any) => s.name)).toEqual(['latency']);
    const unknown = await invoke('explain-budget', { entityRef: 'payment-api', slo: 'throughput' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(`${ref('payment-api')} has no SLO "throughput"; its SLOs: availability, latency`);
    const plain = await invoke('explain-budget', { entityRef: 'plain' });
    expect(plain.body.output).toMatchObject({ managed: false, slos: [] });
    expect(plain.body.output.summary).toMatch(/is not managed by NthLayer/);
  });

  it('reads with the caller\'s credentials: an entity the catalog hides from them is not found, as on the routes', async () => {
    expect((await invoke('get-slos', { entityRef: 'secret-api' })).status).toBe(200);
    byRef.mockClear();
    for (const name of ['get-slos', 'explain-budget', 'get-drift', 'get-blast-radius']) {
      const res = await invoke(name, { entityRef: 'secret-api' }, as(OUTSIDER));
      expect([name, res.status, res.body.error?.name]).toEqual([name, 404, 'NotFoundError']);
    }
    const gate = await invoke('check-deploy-gate', { entityRef: 'secret-api', version: 'v1' }, as(OUTSIDER));
    expect(gate.status).toBe(404);
    expect((await rest(`${entityPath('secret-api')}/slos`, OUTSIDER)).status).toBe(404);
    // The catalog was asked as the outsider, never as the plugin.
    const secretReads = byRef.mock.calls.filter(([entityRef]) => isSecret(entityRef));
    expect(secretReads.length).toBeGreaterThan(0);
    for (const [, options] of secretReads) {
      expect((options as any).credentials.principal).toMatchObject({ type: 'user', userEntityRef: OUTSIDER });
    }
    expect((await invoke('get-slos', { entityRef: 'secret-api' }, as(OTHER))).status).toBe(200);
  });

  it('check-deploy-gate decides as POST /v1/gates/check does, stored with the caller', async () => {
    const body = { entityRef: ref('payment-api'), version: 'v2.0.0', labels: ['canary'], environment: 'production' };
    const route = await request(server).post(`${API}/gates/check`).set('Authorization', as(OTHER)).send(body);
    expect(route.status).toBe(200);
    const action = await invoke('check-deploy-gate', { ...body, entityRef: 'payment-api' }, as(OTHER));
    expect(action.status).toBe(200);
    // Another decision, stored after the route's: its own id and time, the rest alike.
    const withoutIdAndTime = (d: any) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'id' && k !== 'decidedAt'));
    const id = action.body.output.id;
    expect(withoutIdAndTime(action.body.output)).toEqual(withoutIdAndTime(route.body));
    expect(action.body.output).toMatchObject({ verdict: 'block', exitCode: 2 });
    expect(id).toBe(route.body.id + 1);
    const gate = await rest(`${entityPath('payment-api')}/gate`);
    expect(gate.body.decisions[0]).toMatchObject({ id, principal: OTHER, version: 'v2.0.0', environment: 'production', labels: ['canary'] });

    // The same permission as the route, asked with the caller's credentials.
    permissions.authorize.mockClear();
    const denied = await invoke('check-deploy-gate', { entityRef: 'payment-api', version: 'v2.0.0' }, as(NO_CHECK));
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed to ask the NthLayer deploy gate (permission nthlayer.gate.check)',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'nthlayer.gate.check' }) }],
      { credentials: expect.objectContaining({ principal: expect.objectContaining({ userEntityRef: NO_CHECK }) }) },
    );
    const deniedRoute = await request(server).post(`${API}/gates/check`).set('Authorization', as(NO_CHECK)).send(body);
    expect(deniedRoute.status).toBe(403);
  });

  it('request-gate-override is refused without nthlayer.gate.override and for services, and otherwise lets the deploy through', async () => {
    const audit = async () => (await rest(`${entityPath('payment-api')}/gate/audit`)).body.entries as any[];
    const input = { entityRef: 'payment-api', reason: 'INC-4411 fix must ship now', expiresInHours: 4 };

    permissions.authorize.mockClear();
    const denied = await invoke('request-gate-override', input, as(OTHER));
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: `Not allowed to override the deploy gate of ${ref('payment-api')} (permission nthlayer.gate.override)`,
    });
    // Asked as the caller, as a resource permission on the entity.
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'nthlayer.gate.override', resourceType: 'catalog-entity' }), resourceRef: ref('payment-api') }],
      { credentials: expect.objectContaining({ principal: expect.objectContaining({ userEntityRef: OTHER }) }) },
    );
    const service = await invoke('request-gate-override', input, mockCredentials.service.header());
    expect(service.status).toBe(403);
    expect(service.body.error.message).toMatch(/must be invoked by a signed-in user/);
    const hidden = await invoke('request-gate-override', { ...input, entityRef: 'secret-api' }, as(OUTSIDER));
    expect(hidden.status).toBe(404);
    const tooLong = await invoke('request-gate-override', { ...input, expiresInHours: 100 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/at most 72 hours ahead/);
    expect(await audit()).toEqual([]);

    const before = Date.now();
    const created = await invoke('request-gate-override', input, as(OWNER));
    expect(created.status).toBe(200);
    expect(created.body.output).toMatchObject({
      id: expect.any(Number),
      entityRef: ref('payment-api'),
      version: null,
      reason: 'INC-4411 fix must ship now',
      createdBy: OWNER,
      revokedAt: null,
      revokedBy: null,
    });
    const expires = Date.parse(created.body.output.expiresAt) - before;
    expect(expires).toBeGreaterThanOrEqual(4 * 3_600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(4 * 3_600_000 + 5000);

    // Visible where the route's overrides are: the gate lets the deploy through, the audit says who.
    const check = await request(server).post(`${API}/gates/check`).set('Authorization', as(OTHER)).send({ entityRef: ref('payment-api'), version: 'v2.0.1' });
    expect(check.body).toMatchObject({ verdict: 'allow', override: { id: created.body.output.id, createdBy: OWNER, verdictWithout: 'block' } });
    const gate = await rest(`${entityPath('payment-api')}/gate`);
    expect(gate.body.overrides.map((o: any) => o.id)).toEqual([created.body.output.id]);
    expect((await audit()).map(e => [e.action, e.principal, e.overrideId])).toEqual([
      ['decision.overridden', OTHER, created.body.output.id],
      ['override.created', OWNER, created.body.output.id],
    ]);

    // An explicit expiresAt and version, as the route takes them.
    const pinned = await invoke('request-gate-override', {
      entityRef: ref('payment-api'),
      reason: 'hotfix v2.3.1 for INC-77',
      expiresAt: inHours(1),
      version: 'v2.3.1',
    });
    expect(pinned.status).toBe(200);
    expect(pinned.body.output).toMatchObject({ version: 'v2.3.1', createdBy: OWNER });
    // Revoked through the route (cleanup for the graph tests).
    for (const id of [created.body.output.id, pinned.body.output.id]) {
      expect((await request(server).delete(`${API}/gates/overrides/${id}`).set('Authorization', as(OWNER))).status).toBe(200);
    }
  });

  it('get-drift answers what GET .../drift answers; unmanaged entities are not found', async () => {
    const route = await rest(`${entityPath('payment-api')}/drift`);
    expect(route.status).toBe(200);
    const action = await invoke('get-drift', { entityRef: 'payment-api' });
    expect(action.status).toBe(200);
    expect(action.body.output).toEqual(route.body);
    expect(action.body.output).toMatchObject({ entityRef: ref('payment-api'), report: null, history: [] });
    const plain = await invoke('get-drift', { entityRef: 'plain' });
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toMatch(/not managed by NthLayer/);
  });

  describe('after the graph is built', () => {
    beforeAll(async () => {
      await scheduler!.triggerTask(RELIABILITY_TASK_ID);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const res = await rest('/portfolio');
        if (res.body.services?.length) return;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error('the graph task did not run');
    }, 40_000);

    it('get-blast-radius answers what GET .../blast-radius answers, bounded, and lists only what the caller may see', async () => {
      const route = await rest(`${entityPath('payment-api')}/blast-radius`);
      expect(route.body).toMatchObject({ affected: 2, tier1Affected: 2 });
      const action = await invoke('get-blast-radius', { entityRef: 'payment-api' });
      expect(action.status).toBe(200);
      expect(action.body.output).toEqual({ ...route.body, leftOff: 0 });
      expect(action.body.output.byDepth[0].entities.map((e: any) => e.name)).toEqual(['checkout-api', 'secret-api']);

      const one = await invoke('get-blast-radius', { entityRef: 'payment-api', limit: 1 });
      expect(one.body.output).toMatchObject({ affected: 2, leftOff: 1 });
      expect(one.body.output.byDepth[0].entities.map((e: any) => e.name)).toEqual(['checkout-api']);

      // Counted over everything, listed as far as the outsider may see, as on the route.
      const outsider = await invoke('get-blast-radius', { entityRef: 'payment-api' }, as(OUTSIDER));
      expect(outsider.body.output).toEqual({ ...(await rest(`${entityPath('payment-api')}/blast-radius`, OUTSIDER)).body, leftOff: 0 });
      expect(outsider.body.output).toMatchObject({ affected: 2 });
      expect(outsider.body.output.byDepth[0].entities.map((e: any) => e.name)).toEqual(['checkout-api']);
    });

    it('get-portfolio is the JSON portfolio, bounded by limit, filtered, and of the services the caller may see', async () => {
      const route = (await rest('/portfolio')).body;
      expect(route.services).toHaveLength(3);
      const all = await invoke('get-portfolio', {});
      expect(all.status).toBe(200);
      const { total, leftOff, ...portfolio } = all.body.output;
      expect(portfolio).toEqual({
        generatedAt: route.generatedAt,
        filters: route.filters,
        status: route.status,
        exitCode: route.exitCode,
        org: route.org,
        teams: route.teams,
        systems: route.systems,
        services: route.services,
        insights: route.insights,
      });
      expect(total).toEqual({ services: 3, teams: route.teams.length, systems: route.systems.length, insights: route.insights.length });
      expect(leftOff).toEqual({ services: 0, teams: 0, systems: 0, insights: 0 });

      const one = (await invoke('get-portfolio', { limit: 1 })).body.output;
      // Worst first: payment-api (5 % left) leads.
      expect(one.services.map((s: any) => s.name)).toEqual([route.services[0].name]);
      expect(one.services[0].name).toBe('payment-api');
      expect(one.total.services).toBe(3);
      expect(one.leftOff.services).toBe(2);
      expect(one.org).toEqual(route.org);

      const team = (await invoke('get-portfolio', { group: 'team-a', tier: 1 })).body.output;
      expect(team.filters).toEqual({ group: 'group:default/team-a', tier: 1 });
      expect(team.services).toHaveLength(3);
      expect((await invoke('get-portfolio', { group: 'team-z' })).body.output.services).toEqual([]);

      const outsider = (await invoke('get-portfolio', {}, as(OUTSIDER))).body.output;
      expect(outsider.services.map((s: any) => s.name).sort()).toEqual(['checkout-api', 'payment-api']);
      expect(outsider.services).toEqual((await rest('/portfolio', OUTSIDER)).body.services);
    });
  });
});

describe('NthLayer actions and backend.actions.pluginSources', () => {
  it('are hidden, and cannot be invoked, when pluginSources leaves nthlayer out', async () => {
    const server = await startNthlayerTestBackend({
      entities,
      rootConfig: { backend: { actions: { pluginSources: ['catalog'] } } },
    });
    const list = await request(server).get(ACTIONS).set('Authorization', mockCredentials.user.header());
    expect(list.body.actions).toEqual([]);
    const res = await request(server).post(`${ACTIONS}/nthlayer:get-slos/invoke`).set('Authorization', mockCredentials.user.header()).send({ entityRef: 'payment-api' });
    expect(res.status).toBe(404);
  });
});
