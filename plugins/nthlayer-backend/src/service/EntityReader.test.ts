import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { serviceEntity } from '../testing/fixtureEntities';
import { EntityReader } from './EntityReader';

/** A catalog of `entities` recording every call (the refs asked for and who asked). */
function fakeCatalog(entities: Entity[]) {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const calls = {
    byRef: [] as Array<{ ref: string; credentials?: BackstageCredentials }>,
    byRefs: [] as Array<{ refs: string[]; credentials?: BackstageCredentials }>,
  };
  const catalog = {
    async getEntityByRef(ref: string, options?: { credentials?: BackstageCredentials }) {
      calls.byRef.push({ ref, credentials: options?.credentials });
      return byRef.get(ref.toLocaleLowerCase('en-US'));
    },
    async getEntitiesByRefs(
      request: { entityRefs: string[] },
      options?: { credentials?: BackstageCredentials },
    ) {
      calls.byRefs.push({ refs: [...request.entityRefs], credentials: options?.credentials });
      return { items: request.entityRefs.map(ref => byRef.get(ref.toLocaleLowerCase('en-US')) ?? null) };
    },
  } as unknown as CatalogService;
  return { catalog, calls };
}

const a = serviceEntity('a-api', { 'nthlayer.dev/tier': '1' });
const b = serviceEntity('b-api', { 'nthlayer.dev/tier': '2' });
const c = serviceEntity('c-api', { 'nthlayer.dev/tier': '3' });
const A = 'component:default/a-api';
const B = 'component:default/b-api';
const C = 'component:default/c-api';

function setup(ttlMs?: number) {
  const { catalog, calls } = fakeCatalog([a, b, c]);
  let now = 1_000_000;
  const reader = new EntityReader({ catalog, ttlMs, clock: () => now });
  return {
    reader,
    calls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('EntityReader', () => {
  it('asks the catalog once for the same caller and entity within the TTL, with their credentials', async () => {
    const { reader, calls } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    const answers = await Promise.all([
      reader.getEntity({ kind: 'component', namespace: 'default', name: 'a-api' }, alice),
      reader.getEntity(A, alice),
      // Entity refs are case-insensitive.
      reader.getEntity('Component:default/A-API', alice),
    ]);
    expect(answers).toEqual([a, a, a]);
    expect(calls.byRef).toHaveLength(1);
    expect(calls.byRef[0]).toEqual({ ref: A, credentials: alice });
    expect(await reader.getEntity(A, alice)).toBe(a);
    expect(calls.byRef).toHaveLength(1);
  });

  it('asks the catalog again for another user or a service, each with its own credentials', async () => {
    const { reader, calls } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    const service = mockCredentials.service('plugin:scaffolder');
    await reader.getEntity(A, alice);
    await reader.getEntity(A, bob);
    await reader.getEntity(A, service);
    expect(calls.byRef.map(call => call.credentials)).toEqual([alice, bob, service]);
    // Each caller's answer is now cached.
    await reader.getEntity(A, bob);
    await reader.getEntity(A, service);
    await reader.getEntity(A, mockCredentials.user('user:default/alice'));
    expect(calls.byRef).toHaveLength(3);
  });

  it('asks the catalog again once the TTL has passed', async () => {
    const { reader, calls, advance } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    await reader.getEntity(A, alice);
    advance(9_999);
    await reader.getEntity(A, alice);
    expect(calls.byRef).toHaveLength(1);
    advance(1);
    await reader.getEntity(A, alice);
    expect(calls.byRef).toHaveLength(2);
  });

  it('caches a missing entity too, for the TTL', async () => {
    const { reader, calls, advance } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    expect(await reader.getEntity('component:default/nope', alice)).toBeUndefined();
    expect(await reader.getEntity('component:default/nope', alice)).toBeUndefined();
    expect(calls.byRef).toHaveLength(1);
    advance(10_000);
    await reader.getEntity('component:default/nope', alice);
    expect(calls.byRef).toHaveLength(2);
  });

  it('asks the catalog every time with a TTL of 0', async () => {
    const { reader, calls } = setup(0);
    const alice = mockCredentials.user('user:default/alice');
    await reader.getEntity(A, alice);
    await reader.getEntity(A, alice);
    await reader.getEntities([A, B], alice);
    await reader.getEntities([A, B], alice);
    expect(calls.byRef).toHaveLength(2);
    expect(calls.byRefs.map(call => call.refs)).toEqual([
      [A, B],
      [A, B],
    ]);
  });

  it('reads only the uncached refs, in one getEntitiesByRefs call, and answers in order', async () => {
    const { reader, calls } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    await reader.getEntity(B, alice);
    const missing = 'resource:default/gone';
    const entities = await reader.getEntities([A, B, missing, C], alice);
    expect(entities).toEqual([a, b, undefined, c]);
    expect(calls.byRefs).toEqual([{ refs: [A, missing, C], credentials: alice }]);

    // Everything is cached now, the missing entity included: no call at all.
    expect(await reader.getEntities([C, missing, A], alice)).toEqual([c, undefined, a]);
    expect(await reader.getEntity(C, alice)).toBe(c);
    expect(calls.byRefs).toHaveLength(1);
    expect(calls.byRef).toHaveLength(1);

    // Another caller gets its own batch of everything.
    const bob = mockCredentials.user('user:default/bob');
    expect(await reader.getEntities([C, A], bob)).toEqual([c, a]);
    expect(calls.byRefs[1]).toEqual({ refs: [C, A], credentials: bob });
    expect(await reader.getEntities([], bob)).toEqual([]);
    expect(calls.byRefs).toHaveLength(2);
  });

  it('asks once for a ref listed twice and shares an in-flight batch with getEntity', async () => {
    const { reader, calls } = setup(10_000);
    const alice = mockCredentials.user('user:default/alice');
    const [entities, single] = await Promise.all([reader.getEntities([A, C, A], alice), reader.getEntity(C, alice)]);
    expect(entities).toEqual([a, c, a]);
    expect(single).toBe(c);
    expect(calls.byRefs).toEqual([{ refs: [A, C], credentials: alice }]);
    expect(calls.byRef).toHaveLength(0);
  });

  it('does not keep a failed batch: the next call asks again', async () => {
    const { catalog, calls } = fakeCatalog([a, b]);
    const original = catalog.getEntitiesByRefs.bind(catalog);
    let fail = true;
    catalog.getEntitiesByRefs = (async (...args: Parameters<typeof original>) => {
      if (fail) {
        calls.byRefs.push({ refs: [...args[0].entityRefs] });
        throw new Error('catalog unavailable');
      }
      return original(...args);
    }) as typeof original;
    const reader = new EntityReader({ catalog, ttlMs: 10_000 });
    const alice = mockCredentials.user('user:default/alice');
    await expect(reader.getEntities([A, B], alice)).rejects.toThrow('catalog unavailable');
    fail = false;
    await new Promise(resolve => setImmediate(resolve));
    expect(await reader.getEntities([A, B], alice)).toEqual([a, b]);
    expect(calls.byRefs.map(call => call.refs)).toEqual([
      [A, B],
      [A, B],
    ]);
  });
});

describe('EntityReader for service callers', () => {
  it("reads with the plugin's own credentials for a service (a restricted CI token cannot be passed on), a user's with theirs", async () => {
    const { catalog, calls } = fakeCatalog([a, b]);
    const own = mockCredentials.service('plugin:nthlayer');
    const auth = { getOwnServiceCredentials: jest.fn(async () => own) } as any;
    const reader = new EntityReader({ catalog, auth });
    const ci = mockCredentials.service('external:ci');
    const user = mockCredentials.user('user:default/alice');
    await reader.getEntity(A, ci);
    await reader.getEntities([B], ci);
    await reader.getEntity(A, user);
    expect(calls.byRef.map(call => call.credentials)).toEqual([own, user]);
    expect(calls.byRefs.map(call => call.credentials)).toEqual([own]);
  });
});
