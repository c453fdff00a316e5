import { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Finding } from '@nthlayer/backstage-plugin-common';
import { parseAllDocuments } from 'yaml';
import { serviceEntity } from '../testing/fixtureEntities';
import { ArtifactService, GeneratedSetMemo } from './ArtifactService';
import { EntityReader } from './EntityReader';
import { ServiceFileReader } from './ServiceFileReader';

const REF = { kind: 'component', namespace: 'default', name: 'checkout-api' };
const FILE_URL = 'https://github.com/acme/shop/blob/main/checkout/service.yaml';
const serviceFile = (objective: number) => `
service: { name: checkout-api, team: team-a, tier: critical, type: api }
resources:
  - kind: SLO
    name: availability
    spec: { objective: ${objective}, window: 28d }
`;

function checkout(etag: string | undefined, runbook = 'https://runbooks.example.com/checkout-api'): Entity {
  const entity = serviceEntity(
    'checkout-api',
    { 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': runbook, 'nthlayer.dev/service-file': FILE_URL },
    { dependsOn: ['component:default/payment-api', 'resource:default/orders-db'] },
  );
  entity.metadata.uid = 'uid-checkout';
  if (etag) entity.metadata.etag = etag;
  return entity;
}

function payment(etag: string, tier: string): Entity {
  const entity = serviceEntity('payment-api', { 'nthlayer.dev/tier': tier });
  entity.metadata.uid = 'uid-payment';
  entity.metadata.etag = etag;
  return entity;
}

const ordersDb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'orders-db', namespace: 'default', uid: 'uid-orders', etag: 'o1' },
  spec: { type: 'postgres', owner: 'group:default/team-a' },
};

/**
 * An ArtifactService over a catalog and a service file the test can change. `ttlMs` 0
 * (the default here) re-reads both on every call, so what is cached is the generation only.
 */
function setup(ttlMs = 0, maxGenerated?: number) {
  const entities = new Map<string, Entity>();
  const put = (entity: Entity) => entities.set(stringifyEntityRef(entity), entity);
  [checkout('c1'), payment('p1', '1'), ordersDb].forEach(put);
  const catalog = {
    getEntityByRef: jest.fn(async (ref: string) => entities.get(ref)),
    getEntitiesByRefs: jest.fn(async (request: { entityRefs: string[] }) => ({
      items: request.entityRefs.map(ref => entities.get(ref) ?? null),
    })),
  };
  const files: Record<string, string> = { [FILE_URL]: serviceFile(99.95) };
  const readUrl = jest.fn(async (url: string) => {
    if (!(url in files)) throw new Error(`NotFoundError: ${url}`);
    const bytes = Buffer.from(files[url]);
    return { buffer: async () => bytes };
  });
  const artifacts = new ArtifactService({
    entities: new EntityReader({ catalog: catalog as unknown as CatalogService, ttlMs }),
    serviceFiles: new ServiceFileReader({
      urlReader: { readUrl } as unknown as UrlReaderService,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      ttlMs,
    }),
    model: {},
    maxGenerated,
  });
  return { artifacts, catalog, readUrl, files, put };
}

const alice = mockCredentials.user('user:default/alice');

/** The availability objectives of the generated OpenSLO document. */
async function objectives(artifacts: ArtifactService): Promise<number[]> {
  const { artifacts: all } = await artifacts.generate(REF, alice);
  const openslo = all.find(a => a.kind === 'openslo')!;
  const docs = parseAllDocuments(openslo.content).map(d => d.toJS());
  const slo = docs.find(d => d.kind === 'SLO' && /availability/.test(d.metadata.name));
  return slo.spec.objectives.map((o: { target: number }) => o.target);
}

describe('ArtifactService generated-set cache', () => {
  it('generates once for the list, an artifact and the zip of one page view', async () => {
    const { artifacts, catalog, readUrl } = setup(10_000);
    const list = await artifacts.list(REF, alice);
    expect(list.artifacts.length).toBeGreaterThan(3);
    const first = list.artifacts[0];
    const one = await artifacts.get(REF, first.id, alice);
    expect(Buffer.byteLength(one.content)).toBe(first.size);
    const zip = await artifacts.generate(REF, alice);
    expect(zip.artifacts.map(a => a.id)).toEqual(list.artifacts.map(a => a.id));
    expect(artifacts.generations).toBe(1);
    // And the catalog and the service file were read once.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(readUrl).toHaveBeenCalledTimes(1);
  });

  it('generates once per input even when every call re-reads the catalog and the file', async () => {
    const { artifacts, catalog, readUrl } = setup(0);
    await artifacts.list(REF, alice);
    await artifacts.generate(REF, alice);
    await artifacts.generate(REF, mockCredentials.user('user:default/bob'));
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(readUrl).toHaveBeenCalledTimes(3);
    expect(artifacts.generations).toBe(1);
  });

  it('hands out one list answer per generated set (serialised once), a new one when the set changes', async () => {
    const { artifacts, put } = setup(0);
    const first = await artifacts.list(REF, alice);
    // Another caller, the entity read again: the same inputs, the same answer object.
    expect(await artifacts.list(REF, mockCredentials.user('user:default/bob'))).toBe(first);
    put(checkout('c2', 'https://runbooks.example.com/moved'));
    const moved = await artifacts.list(REF, alice);
    expect(moved).not.toBe(first);
    expect(moved.artifacts.map(a => a.id)).toEqual(first.artifacts.map(a => a.id));
    expect(moved.artifacts.map(a => a.size)).not.toEqual(first.artifacts.map(a => a.size));
  });

  it("keeps a caller's memo of its entities beyond the shared cache, used only for the same inputs", async () => {
    const { artifacts } = setup(0, 1);
    const memo: GeneratedSetMemo = {
      entries: new Map(),
      keep: set => ({ ...set, artifacts: set.artifacts.filter(a => a.kind === 'prometheus-rules') }),
    };
    const first = await artifacts.generateFor(checkout('c1'), alice, memo);
    expect(artifacts.generations).toBe(1);
    expect(first.artifacts.map(a => a.kind)).toContain('openslo');
    // Another entity pushes checkout-api out of the shared cache (it holds one set here).
    await artifacts.generateFor(payment('p1', '1'), alice);
    expect(artifacts.generations).toBe(2);
    const kept = await artifacts.generateFor(checkout('c1'), alice, memo);
    expect(artifacts.generations).toBe(2);
    expect(kept.artifacts.length).toBeGreaterThan(0);
    expect(kept.artifacts.every(a => a.kind === 'prometheus-rules')).toBe(true);
    // The very artifact objects: what was read of them (parsed rule files) is reused too.
    kept.artifacts.forEach(a => expect(first.artifacts).toContain(a));
    // Without the memo the set is generated again.
    await artifacts.generateFor(checkout('c1'), alice);
    expect(artifacts.generations).toBe(3);
    // New inputs: generated anew, and the memo holds the new set.
    const moved = await artifacts.generateFor(checkout('c2', 'https://runbooks.example.com/moved'), alice, memo);
    expect(artifacts.generations).toBe(4);
    expect(moved.artifacts.some(a => a.content.includes('https://runbooks.example.com/moved'))).toBe(true);
    expect(memo.entries.get('component:default/checkout-api')?.set.artifacts).toEqual(moved.artifacts.filter(a => a.kind === 'prometheus-rules'));
  });

  it('generates only the kinds a memo names, keeps that partial set out of the shared cache', async () => {
    const { artifacts } = setup(0);
    const memo: GeneratedSetMemo = {
      entries: new Map(),
      kinds: ['prometheus-rules'],
      keep: set => ({ ...set, artifacts: set.artifacts.filter(a => a.kind === 'prometheus-rules') }),
    };
    const partial = await artifacts.generateFor(checkout('c1'), alice, memo);
    expect(artifacts.generations).toBe(1);
    expect(partial.artifacts.map(a => a.kind)).toEqual(['prometheus-rules']);
    expect(partial.service?.name).toBe('checkout-api');
    // Again through the memo: nothing generated.
    await artifacts.generateFor(checkout('c1'), alice, memo);
    expect(artifacts.generations).toBe(1);
    // The artifact API never gets the partial set: the whole set is generated for it.
    const whole = await artifacts.generateFor(checkout('c1'), alice);
    expect(artifacts.generations).toBe(2);
    expect(whole.artifacts.map(a => a.kind)).toEqual(expect.arrayContaining(['prometheus-rules', 'openslo', 'grafana-dashboard', 'pagerduty']));
    // Once the shared cache holds the whole set, that is handed out and the memo keeps its kinds
    // of it, generating nothing.
    memo.entries.clear();
    const fromShared = await artifacts.generateFor(checkout('c1'), alice, memo);
    expect(artifacts.generations).toBe(2);
    expect(fromShared.artifacts).toEqual(whole.artifacts);
    expect(memo.entries.get('component:default/checkout-api')?.set.artifacts).toEqual(whole.artifacts.filter(a => a.kind === 'prometheus-rules'));
  });

  it("regenerates when the entity's etag changes, with the new entity's content", async () => {
    const { artifacts, put } = setup();
    const before = await artifacts.list(REF, alice);
    put(checkout('c2', 'https://runbooks.example.com/moved'));
    const after = await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(2);
    expect(after.artifacts.some(a => a.content.includes('https://runbooks.example.com/moved'))).toBe(true);
    expect(after.artifacts.some(a => a.content.includes('https://runbooks.example.com/checkout-api'))).toBe(false);
    expect(after.artifacts.map(a => a.id).sort()).toEqual(before.artifacts.map(a => a.id).sort());
    // The same etag again: no generation.
    await artifacts.list(REF, alice);
    expect(artifacts.generations).toBe(2);
  });

  it("regenerates when a dependency's etag changes", async () => {
    const { artifacts, put } = setup();
    await artifacts.generate(REF, alice);
    put(payment('p2', '3'));
    await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(2);
    await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(2);
  });

  it('regenerates when the service file content changes, and reuses the set of content seen before', async () => {
    const { artifacts, files } = setup();
    expect(await objectives(artifacts)).toEqual([0.9995]);
    files[FILE_URL] = serviceFile(99.5);
    expect(await objectives(artifacts)).toEqual([0.995]);
    expect(artifacts.generations).toBe(2);
    files[FILE_URL] = serviceFile(99.95);
    expect(await objectives(artifacts)).toEqual([0.9995]);
    expect(artifacts.generations).toBe(2);
    // A file that cannot be read any more is another input (its finding is part of it).
    delete files[FILE_URL];
    const unreadable = await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(3);
    expect(unreadable.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', annotation: 'nthlayer.dev/service-file' }),
    );
    // The tier default again (99.9 %), not the file's objective.
    expect(await objectives(artifacts)).toEqual([0.999]);
  });

  it('keys an entity without an etag by its content', async () => {
    const { artifacts, put } = setup();
    put(checkout(undefined));
    await artifacts.generate(REF, alice);
    // An equal copy is the same input.
    put(checkout(undefined));
    await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(1);
    put(checkout(undefined, 'https://runbooks.example.com/other'));
    const changed = await artifacts.generate(REF, alice);
    expect(artifacts.generations).toBe(2);
    expect(changed.artifacts.some(a => a.content.includes('https://runbooks.example.com/other'))).toBe(true);
  });

  it('hands every caller its own findings list', async () => {
    const { artifacts, put } = setup();
    const entity = checkout('c3');
    entity.metadata.annotations!['nthlayer.dev/slo-availability'] = '100.5';
    put(entity);
    const first = await artifacts.generate(REF, alice);
    const count = first.findings.length;
    expect(count).toBeGreaterThan(0);
    first.findings.push({ ...first.findings[0], message: 'added by a caller' });
    const second = await artifacts.generate(REF, alice);
    expect(second.findings).toHaveLength(count);
    expect(artifacts.generations).toBe(1);
  });

  it('does not generate for an entity NthLayer does not manage', async () => {
    const { artifacts } = setup();
    const result = await artifacts.generate({ kind: 'resource', namespace: 'default', name: 'orders-db' }, alice);
    expect(result).toEqual({ entityRef: 'resource:default/orders-db', artifacts: [], findings: [] });
    expect(artifacts.generations).toBe(0);
    await expect(artifacts.generate({ ...REF, name: 'nope' }, alice)).rejects.toThrow(
      'No entity component:default/nope in the catalog',
    );
  });
});

describe('ArtifactService.buildInput', () => {
  it('builds the input from the entity, its dependencies in dependsOn order and the file text', () => {
    const { artifacts } = setup();
    const entity = checkout('c1');
    const fileFinding: Finding = {
      severity: 'warning',
      annotation: 'nthlayer.dev/service-file',
      value: FILE_URL,
      accepted: 'a readable file',
      message: 'from reading the file',
    };
    const { input, findings } = artifacts.buildInput(entity, [payment('p1', '2'), undefined], {
      location: FILE_URL,
      text: serviceFile(99.5),
      findings: [fileFinding],
    });
    expect(findings).toContainEqual(fileFinding);
    expect(input!.team).toBe('team-a');
    expect(input!.dependencies.map(d => [d.ref, d.kind])).toEqual([
      ['component:default/payment-api', 'component'],
      ['resource:default/orders-db', 'resource'],
    ]);
    // payment-api read as tier 2 (99.5 %); orders-db missing, so no technology from the catalog.
    expect(input!.dependencies[0]).toMatchObject({ tier: 2, availabilityPercent: 99.5 });
    expect(input!.dependencies[1]).not.toHaveProperty('technology');
    expect(input!.service.slos.find(s => s.kind === 'availability')!.targetPercent).toBe(99.5);

    const withoutFile = artifacts.buildInput(entity, [undefined, ordersDb], { findings: [] });
    expect(withoutFile.input!.service.slos.find(s => s.kind === 'availability')!.targetPercent).toBe(99.9);
    expect(withoutFile.input!.dependencies[0]).not.toHaveProperty('tier');
    expect(withoutFile.input!.dependencies[1]).toMatchObject({ kind: 'resource', technology: 'postgres' });

    expect(artifacts.buildInput(ordersDb, [], { findings: [] })).toEqual({ input: null, findings: [] });
  });
});
