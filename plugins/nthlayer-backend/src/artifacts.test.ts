import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import JSZip from 'jszip';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const SOURCE = 'url:https://github.com/acme/shop/tree/main/checkout/';
const SERVICE_FILE = `
service: { name: checkout-api, team: team-a, tier: critical, type: api }
resources:
  - kind: SLO
    name: availability
    spec: { objective: 99.95, window: 28d }
  - kind: Dependencies
    spec:
      databases: [{ name: orders-db, type: postgres, criticality: high, sla: 99.99 }]
`;

function withLocation(entity: Entity, annotations: Record<string, string>): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: { ...entity.metadata.annotations, 'backstage.io/source-location': SOURCE, ...annotations },
    },
  };
}

const entities: Entity[] = [
  withLocation(
    serviceEntity(
      'checkout-api',
      { 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': 'https://runbooks.example.com/checkout-api' },
      { dependsOn: ['resource:default/orders-db', 'resource:default/session-cache', 'component:default/payment-api'] },
    ),
    { 'nthlayer.dev/service-file': './nthlayer/service.yaml' },
  ),
  serviceEntity('payment-api', { 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-availability': '99.95' }),
  withLocation(serviceEntity('broken-file', { 'nthlayer.dev/tier': '2' }), {
    'nthlayer.dev/service-file': 'broken.yaml',
  }),
  withLocation(serviceEntity('missing-file', { 'nthlayer.dev/tier': '3' }), {
    'nthlayer.dev/service-file': 'https://github.com/acme/shop/blob/main/missing.yaml',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db', namespace: 'default', annotations: { 'nthlayer.dev/technology': 'mysql' } },
    spec: { type: 'database', owner: 'group:default/team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'session-cache', namespace: 'default' },
    spec: { type: 'redis', owner: 'group:default/team-a' },
  },
];

const files: Record<string, string> = {
  'https://github.com/acme/shop/tree/main/checkout/nthlayer/service.yaml': SERVICE_FILE,
  'https://github.com/acme/shop/tree/main/checkout/broken.yaml': 'service:\n  tier: [1\n',
};

/** The test backend reading `files`; `config` adds `nthlayer.*` settings. */
async function start(config?: Record<string, unknown>) {
  const readUrl = jest.fn(async (url: string) => {
    if (!(url in files)) throw new Error(`NotFoundError: ${url} not found`);
    return { buffer: async () => Buffer.from(files[url]) } as any;
  });
  const server = await startNthlayerTestBackend({
    entities,
    features: [mockServices.urlReader.mock({ readUrl }).factory],
    config,
  });
  return { server, readUrl };
}

const BASE = '/api/nthlayer/v1/entities/component/default';

function binary(res: any, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('generated artifacts API', () => {
  it('lists the artifacts with descriptions and sizes, reading the service file', async () => {
    const { server, readUrl } = await start();
    const res = await request(server).get(`${BASE}/checkout-api/artifacts`);
    expect(res.status).toBe(200);
    expect(readUrl).toHaveBeenCalledWith(
      'https://github.com/acme/shop/tree/main/checkout/nthlayer/service.yaml',
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
    expect(res.body.entityRef).toBe('component:default/checkout-api');
    const kinds = res.body.artifacts.map((a: any) => a.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['prometheus-rules', 'technology-alerts', 'openslo', 'grafana-dashboard', 'pagerduty']),
    );
    for (const a of res.body.artifacts) {
      expect(a).toEqual({
        id: expect.any(String),
        kind: expect.any(String),
        filename: expect.any(String),
        mediaType: expect.stringMatching(/^application\/(yaml|json)$/),
        description: expect.any(String),
        size: expect.any(Number),
      });
      expect(a.size).toBeGreaterThan(0);
    }
  });

  it('serves one artifact with its media type, as a download on request', async () => {
    const { server } = await start();
    const list = await request(server).get(`${BASE}/checkout-api/artifacts`);
    const openslo = list.body.artifacts.find((a: any) => a.kind === 'openslo');
    const res = await request(server).get(`${BASE}/checkout-api/artifacts/${openslo.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(Buffer.byteLength(res.text)).toBe(openslo.size);
    const docs = parseAllDocuments(res.text) as any[];
    const slo = docs.map(d => d.toJS()).find(d => d.kind === 'SLO' && /availability/.test(d.metadata.name));
    // The service file's objective and window override the tier default (99.9 % over 30d).
    expect(slo.metadata.annotations['nthlayer.dev/target-source']).toBe('service-file');
    expect(slo.spec.objectives.map((o: any) => o.target)).toEqual([0.9995]);
    expect(slo.spec.timeWindow).toEqual([{ duration: '28d', isRolling: true }]);

    const dashboard = list.body.artifacts.find((a: any) => a.kind === 'grafana-dashboard');
    const download = await request(server).get(`${BASE}/checkout-api/artifacts/${dashboard.id}?download=1`);
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename=".+\.json"$/);
    expect(JSON.parse(download.text)).toMatchObject({ uid: 'nthlayer-checkout-api', title: expect.stringContaining('checkout-api') });
  });

  it('answers 404 for unknown artifact ids and entities', async () => {
    const { server } = await start();
    const res = await request(server).get(`${BASE}/checkout-api/artifacts/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect((await request(server).get(`${BASE}/nope/artifacts`)).status).toBe(404);
  });

  it('zips every artifact at its filename', async () => {
    const { server } = await start();
    const list = await request(server).get(`${BASE}/checkout-api/artifacts`);
    const res = await request(server).get(`${BASE}/checkout-api/artifacts.zip`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="checkout-api-nthlayer-configs.zip"');
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const names = Object.values(zip.files).filter(f => !f.dir).map(f => f.name);
    expect(names.sort()).toEqual(list.body.artifacts.map((a: any) => a.filename).sort());
    for (const artifact of list.body.artifacts) {
      const content = await zip.file(artifact.filename)!.async('string');
      expect(Buffer.byteLength(content)).toBe(artifact.size);
    }
  });

  it('puts the technology of dependency resources into technology alerts', async () => {
    const { server } = await start();
    const list = await request(server).get(`${BASE}/checkout-api/artifacts`);
    const tech = list.body.artifacts.find((a: any) => a.kind === 'technology-alerts');
    const res = await request(server).get(`${BASE}/checkout-api/artifacts/${tech.id}`);
    const groups = parse(res.text).groups as Array<{ name: string; rules: any[] }>;
    const text = JSON.stringify(groups);
    // orders-db: the file says postgres, overriding its nthlayer.dev/technology annotation
    // (mysql); session-cache: spec.type redis.
    expect(groups.map(g => g.name).sort()).toEqual([
      'nthlayer-checkout-api-dependency-orders-db-postgresql',
      'nthlayer-checkout-api-dependency-session-cache-redis',
    ]);
    const ordersDb = groups.find(g => g.name.includes('orders-db'))!;
    expect(JSON.stringify(ordersDb.rules)).toMatch(/\bpg_\w+/);
    // Nothing of the overridden annotation value is left: no MySQL group, rule or expression.
    expect(text).not.toMatch(/mysql/i);
    expect(text).toMatch(/[Rr]edis/);
  });

  it('reports a malformed or unreadable service file and still generates', async () => {
    const { server } = await start();
    for (const name of ['broken-file', 'missing-file']) {
      const res = await request(server).get(`${BASE}/${name}/artifacts`);
      expect(res.status).toBe(200);
      expect(res.body.findings).toContainEqual(
        expect.objectContaining({ severity: 'error', annotation: 'nthlayer.dev/service-file' }),
      );
      expect(res.body.artifacts.map((a: any) => a.kind)).toEqual(
        expect.arrayContaining(['prometheus-rules', 'openslo', 'grafana-dashboard', 'pagerduty']),
      );
    }
  });

  it('has no artifacts for entities NthLayer does not manage', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/nthlayer/v1/entities/resource/default/orders-db/artifacts');
    expect(res.body).toEqual({ entityRef: 'resource:default/orders-db', artifacts: [], findings: [] });
  });

  it('answers 404, not an empty zip, for entities NthLayer does not manage', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/nthlayer/v1/entities/resource/default/orders-db/artifacts.zip');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'resource:default/orders-db has no generated artifacts (no nthlayer.dev/tier)',
    });
  });

  it('caps the service file at nthlayer.serviceFiles.maxBytes from config: a finding, the other entities unaffected', async () => {
    const { server } = await start({ serviceFiles: { maxBytes: 64 } });
    expect(Buffer.byteLength(SERVICE_FILE)).toBeGreaterThan(64);
    const capped = await request(server).get(`${BASE}/checkout-api/artifacts`);
    expect(capped.status).toBe(200);
    expect(capped.body.findings).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        annotation: 'nthlayer.dev/service-file',
        message: expect.stringContaining('nthlayer.serviceFiles.maxBytes'),
      }),
    );
    // The other entities still generate everything, with no service-file finding.
    const other = await request(server).get(`${BASE}/payment-api/artifacts`);
    expect(other.status).toBe(200);
    expect(other.body.artifacts.map((a: any) => a.kind)).toContain('prometheus-rules');
    expect(other.body.findings.map((f: any) => f.annotation)).not.toContain('nthlayer.dev/service-file');
  });

  describe('with only nthlayer.prometheus.instances configured', () => {
    async function startWithInstances() {
      return startNthlayerTestBackend({
        entities,
        features: [mockServices.urlReader.mock({ readUrl: jest.fn(async () => { throw new Error('NotFoundError'); }) }).factory],
        config: {
          prometheus: { instances: [{ name: 'eu', baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 }], retries: 0 },
        },
      });
    }

    it('validates against the first instance, and answers 404 for an unmanaged entity', async () => {
      const server = await startWithInstances();
      const managed = await request(server).get(`${BASE}/payment-api/artifacts/validation`);
      expect(managed.status).toBe(200);
      expect(managed.body.prometheus).toMatchObject({ instance: 'eu', status: 'unreachable' });

      const unmanaged = await request(server).get('/api/nthlayer/v1/entities/resource/default/orders-db/artifacts/validation');
      expect(unmanaged.status).toBe(404);
      expect(unmanaged.body.error).toMatchObject({
        name: 'NotFoundError',
        message: expect.stringMatching(/^resource:default\/orders-db is not managed by NthLayer/),
      });
    });
  });
});
