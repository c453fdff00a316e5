import { TestDatabaseId, TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import JSZip from 'jszip';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { Snapshot } from './database/SnapshotStore';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';
import { availabilityMeasurement } from './__testUtils__/measurements';
import { lastPerStep, seededRandom } from './__testUtils__/snapshots';

const BASE = '/api/nthlayer/v1/entities/component/default/checkout-api';
const ENTITY_REF = 'component:default/checkout-api';
const DAY_MS = 86_400_000;
/**
 * checkout-api is tier 1 (latency p95 < 500 ms, 95 %, over 30d); its service file sets the
 * availability objective to 99.95 % (tier 1's default is 99.9 %).
 */
const SLOS = [
  { name: 'availability', targetPercent: 99.95, thresholdMs: null },
  { name: 'latency', targetPercent: 95, thresholdMs: 500 },
];

const SOURCE = 'url:https://github.com/acme/shop/tree/main/checkout/';
const FILE_URL = 'https://github.com/acme/shop/tree/main/checkout/nthlayer/service.yaml';
const SERVICE_FILE = `
service: { name: checkout-api, team: team-a, tier: critical, type: api }
resources:
  - kind: SLO
    name: availability
    spec: { objective: 99.95, window: 30d }
`;

const entities: Entity[] = [
  {
    ...serviceEntity(
      'checkout-api',
      {
        'nthlayer.dev/tier': '1',
        'backstage.io/source-location': SOURCE,
        'nthlayer.dev/service-file': './nthlayer/service.yaml',
      },
      { dependsOn: ['resource:default/orders-db'] },
    ),
  },
  serviceEntity('plain', {}),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db', namespace: 'default' },
    spec: { type: 'postgres', owner: 'group:default/team-a' },
  },
];

/** The test backend over a catalog whose reads are counted, and a counted service file. */
async function start(options: { config?: Record<string, unknown>; knex?: Parameters<typeof startNthlayerTestBackend>[0]['knex'] } = {}) {
  const catalog = catalogServiceMock({ entities });
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const readUrl = jest.fn(async (url: string) => {
    if (url !== FILE_URL) throw new Error(`NotFoundError: ${url}`);
    return { buffer: async () => Buffer.from(SERVICE_FILE) } as any;
  });
  const server = await startNthlayerTestBackend({
    entities,
    catalog,
    knex: options.knex,
    config: options.config,
    features: [mockServices.urlReader.mock({ readUrl }).factory],
  });
  /** How often the catalog was asked for checkout-api itself. */
  const entityReads = () =>
    getEntityByRef.mock.calls.filter(([ref]) => String(ref).toLocaleLowerCase('en-US') === ENTITY_REF).length;
  return { server, getEntityByRef, getEntitiesByRefs, readUrl, entityReads };
}

/**
 * About 1,700 snapshots per SLO at irregular times over the 30 days before `now`, none in
 * the first hour of the window or the last minute (so requests a few seconds apart see
 * the same ones), some without traffic.
 */
function history(now: number): Snapshot[] {
  const snapshots: Snapshot[] = [];
  SLOS.forEach((slo, k) => {
    const next = seededRandom(k + 1);
    let t = now - 30 * DAY_MS + 3_600_000 + Math.floor(next() * 60_000);
    let i = 0;
    while (t < now - 60_000) {
      const total = next() < 0.03 ? 0 : 10_000 + Math.floor(next() * 90_000);
      const bad = Math.floor(total * next() * (slo.name === 'latency' ? 0.08 : 0.0015));
      snapshots.push({
        entityRef: ENTITY_REF,
        sloName: slo.name,
        window: '30d',
        windowMinutes: 43200,
        thresholdMs: slo.thresholdMs,
        time: new Date(t),
        goodEvents: total - bad,
        totalEvents: total,
        source: i++ % 5 ? 'refresh' : 'backfill',
      });
      t += 1 + Math.floor(next() * 50 * 60_000);
    }
  });
  return snapshots;
}

/** Remaining budget ratio, from the definition: (allowed error ratio − error ratio) / allowed. */
function remainingRatio(targetPercent: number, s: Snapshot): number | null {
  if (s.totalEvents <= 0) return null;
  const allowed = (100 - targetPercent) / 100;
  const errorRatio = (s.totalEvents - s.goodEvents) / s.totalEvents;
  return (allowed - errorRatio) / allowed;
}

/** Checks `points` against the reference snapshots: the same times, the computed values. */
function expectPoints(
  points: Array<{ time: string; remainingRatio: number | null; [more: string]: unknown }>,
  expected: Snapshot[],
  targetPercent: number,
) {
  expect(points.map(p => p.time)).toEqual(expected.map(s => s.time.toISOString()));
  points.forEach((p, i) => {
    const ratio = remainingRatio(targetPercent, expected[i]);
    if (ratio === null) expect(p.remainingRatio).toBeNull();
    else expect(p.remainingRatio).toBeCloseTo(ratio, 9);
    if ('goodEvents' in p) {
      expect(p).toMatchObject({ goodEvents: expected[i].goodEvents, totalEvents: expected[i].totalEvents });
      const total = expected[i].totalEvents;
      if (total === 0) expect(p.sli).toBeNull();
      else expect(p.sli).toBeCloseTo((100 * expected[i].goodEvents) / total, 9);
    }
  });
}

const ids: TestDatabaseId[] = storeDatabaseIds();
const databases = TestDatabases.create({ ids });

describe.each(databases.eachSupportedId())('entity page history on %p', id => {
  let server: Awaited<ReturnType<typeof start>>['server'];
  let snapshots: Snapshot[];
  let now: number;

  beforeAll(async () => {
    const knex = await databases.init(id);
    ({ server } = await start({ knex }));
    // The plugin migrated the database on start-up; write the history it serves.
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    now = Date.now();
    snapshots = history(now);
    await db.snapshots.append(snapshots);
  }, 60_000);

  const of = (slo: string) => snapshots.filter(s => s.sloName === slo);

  it('holds the history written', async () => {
    expect(snapshots.length).toBeGreaterThan(3000);
  });

  it("serves each SLO's sparkline: the last snapshot of each of ~60 steps of the window, as its history", async () => {
    const before = Date.now();
    const res = await request(server).get(`${BASE}/slos`);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.slos.map((s: any) => s.name)).toEqual(SLOS.map(s => s.name));
    for (const slo of SLOS) {
      const { sparkline } = res.body.slos.find((s: any) => s.name === slo.name);
      // 30 days in 60 steps of whole minutes: 12 h.
      expect(sparkline.window).toBe('30d');
      expect(sparkline.step).toBe((30 * 24 * 60 * 60) / 60);
      expect(sparkline.points.length).toBeLessThanOrEqual(61);
      // Snapshots fill the window: every step but at most the first and last has one.
      expect(sparkline.points.length).toBeGreaterThanOrEqual(59);
      expect(Object.keys(sparkline.points[0]).sort()).toEqual(['remainingRatio', 'time']);
      // The reference: whatever `now` the backend took, no snapshot lies near the window's edges.
      const expected = lastPerStep(of(slo.name), {
        from: new Date(before - 30 * DAY_MS),
        to: new Date(after),
        stepSeconds: sparkline.step,
      });
      expect(lastPerStep(of(slo.name), { from: new Date(after - 30 * DAY_MS), to: new Date(before), stepSeconds: sparkline.step })).toEqual(expected);
      expectPoints(sparkline.points, expected, slo.targetPercent);
      expect(sparkline.points.some((p: any) => p.remainingRatio === null)).toBe(expected.some(s => s.totalEvents === 0));

      // The history route over the window with the sparkline's step gives the same points.
      const hist = await request(server).get(`${BASE}/slos/${slo.name}/history`).query({ step: String(sparkline.step) });
      expect(hist.status).toBe(200);
      expect(hist.body.step).toBe(sparkline.step);
      expect(hist.body.points.map((p: any) => ({ time: p.time, remainingRatio: p.remainingRatio }))).toEqual(
        sparkline.points,
      );
    }
  });

  it('serves every SLO of the entity in one history answer, equal to the per-SLO history', async () => {
    const from = new Date(now - 10 * DAY_MS);
    const to = new Date(now - DAY_MS);
    const query = { from: from.toISOString(), to: to.toISOString(), step: '3600' };
    const res = await request(server).get(`${BASE}/history`).query(query);
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe(ENTITY_REF);
    expect(res.body.slos.map((s: any) => s.slo)).toEqual(SLOS.map(s => s.name));
    for (const slo of SLOS) {
      const single = await request(server).get(`${BASE}/slos/${slo.name}/history`).query(query);
      expect(single.status).toBe(200);
      expect(res.body.slos.find((s: any) => s.slo === slo.name)).toEqual(single.body);
      expect(single.body).toMatchObject({ from: query.from, to: query.to, step: 3600, window: '30d', targetPercent: slo.targetPercent });
      const expected = lastPerStep(of(slo.name), { from, to, stepSeconds: 3600 });
      // 9 days of hourly steps, all filled but a few of the longest gaps.
      expect(expected.length).toBeGreaterThan(9 * 24 * 0.8);
      expect(expected.length).toBeLessThanOrEqual(9 * 24 + 1);
      expectPoints(single.body.points, expected, slo.targetPercent);
    }
  });

  it('serves the default range (the SLO window ending now) the same way in both routes', async () => {
    const before = Date.now();
    const res = await request(server).get(`${BASE}/history`);
    const after = Date.now();
    expect(res.status).toBe(200);
    for (const slo of SLOS) {
      const mine = res.body.slos.find((s: any) => s.slo === slo.name);
      // 30 days in at most 500 points of whole minutes: 87 min.
      expect(mine.step).toBe(Math.ceil((30 * 24 * 60) / 500) * 60);
      expect(Date.parse(mine.to)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(mine.to)).toBeLessThanOrEqual(after);
      expect(Date.parse(mine.to) - Date.parse(mine.from)).toBe(30 * DAY_MS);
      const single = await request(server).get(`${BASE}/slos/${slo.name}/history`);
      expect(single.body.points).toEqual(mine.points);
      const expected = lastPerStep(of(slo.name), { from: new Date(before - 30 * DAY_MS), to: new Date(after), stepSeconds: mine.step });
      expectPoints(mine.points, expected, slo.targetPercent);
    }
  });
});

describe('entity page requests', () => {
  it.each([
    ['history', `${BASE}/history`],
    ['SLO history', `${BASE}/slos/availability/history`],
  ])('answer 400 to a repeated or structured parameter (%s)', async (_, path) => {
    const { server } = await start();
    for (const [query, name] of [
      ['from=2026-11-01T00:00:00Z&from=2026-11-02T00:00:00Z', 'from'],
      ['to=1795910400&to=1795996800', 'to'],
      ['step=3600&step=60', 'step'],
      ['step[]=3600', 'step'],
      ['from[a]=1', 'from'],
    ]) {
      const res = await request(server).get(`${path}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error).toMatchObject({ name: 'InputError', message: `${name} must be given once, as a single value` });
    }
    // Once each is fine.
    const ok = await request(server).get(`${path}?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&step=3600`);
    expect(ok.status).toBe(200);
  });

  it('answers 404 to the entity history of an unknown or unmanaged entity', async () => {
    const { server } = await start();
    const unknown = await request(server).get('/api/nthlayer/v1/entities/component/default/nope/history');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('No entity component:default/nope in the catalog');
    const plain = await request(server).get('/api/nthlayer/v1/entities/component/default/plain/history');
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toMatch(/^component:default\/plain is not managed by NthLayer/);
  });

  /** One page view: the card, the charts, the artifacts tab (list, one file, zip, validation). */
  async function pageView(server: Awaited<ReturnType<typeof start>>['server'], auth?: string) {
    const get = (path: string) => {
      const req = request(server).get(path);
      return auth ? req.set('Authorization', auth) : req;
    };
    const statuses: number[] = [];
    const slos = await get(`${BASE}/slos`);
    statuses.push(slos.status);
    statuses.push((await get(`${BASE}/history`)).status);
    statuses.push((await get(`${BASE}/slos/availability/history`)).status);
    const list = await get(`${BASE}/artifacts`);
    statuses.push(list.status);
    const first = list.body.artifacts[0];
    const one = await get(`${BASE}/artifacts/${first.id}`);
    statuses.push(one.status);
    expect(Buffer.byteLength(one.text)).toBe(first.size);
    const zip = await get(`${BASE}/artifacts.zip`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    statuses.push(zip.status);
    const names = Object.values((await JSZip.loadAsync(zip.body as Buffer)).files)
      .filter(f => !f.dir)
      .map(f => f.name);
    expect(names.sort()).toEqual(list.body.artifacts.map((a: any) => a.filename).sort());
    statuses.push((await get(`${BASE}/artifacts/validation`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200]);
    return statuses.length;
  }

  it('asks the catalog for the entity once per page view and caller, and reads the service file once', async () => {
    const { server, entityReads, getEntitiesByRefs, readUrl } = await start();
    await pageView(server);
    expect(entityReads()).toBe(1);
    // The dependency (orders-db) in one batch, once.
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs.mock.calls[0][0]).toMatchObject({ entityRefs: ['resource:default/orders-db'] });
    expect(readUrl).toHaveBeenCalledTimes(1);
    // The catalog is asked with the caller's credentials.
    expect(getEntitiesByRefs.mock.calls[0][1]).toMatchObject({
      credentials: { principal: { type: 'user', userEntityRef: 'user:default/mock' } },
    });

    // Another user gets their own answers from the catalog (its permissions decide).
    await pageView(server, mockCredentials.user.header('user:default/other'));
    expect(entityReads()).toBe(2);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
    // The file is not per caller.
    expect(readUrl).toHaveBeenCalledTimes(1);
  });

  it('asks the catalog on every request with nthlayer.cache.entityTtl 0', async () => {
    const { server, entityReads, readUrl, getEntitiesByRefs } = await start({ config: { cache: { entityTtl: 0 } } });
    const requests = await pageView(server);
    expect(entityReads()).toBe(requests);
    // The artifact routes (list, one file, zip, validation) each read the dependency and the
    // file; the SLO routes read the file once too (its SLOs are what is measured).
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(4);
    expect(readUrl).toHaveBeenCalledTimes(5);
    await pageView(server);
    expect(entityReads()).toBe(2 * requests);
  });

  it('reads the store once for repeated views until a measurement is written, with an ETag (304) and gzip', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await start({ knex });
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measure = (good: number, total: number) =>
      db.measurements.upsert([availabilityMeasurement(ENTITY_REF, { good, total })], new Date());
    await measure(9_990, 10_000);
    const measurementReads: string[] = [];
    knex.on('query', (q: { sql: string }) => {
      if (/^select/i.test(q.sql) && q.sql.includes('nthlayer_slo_measurements')) measurementReads.push(q.sql);
    });
    const availability = (res: request.Response) => res.body.slos.find((s: any) => s.name === 'availability');

    const first = await request(server).get(`${BASE}/slos`);
    expect(first.status).toBe(200);
    expect(availability(first).totalEvents).toBe(10_000);
    expect(measurementReads).toHaveLength(1);
    // The rest of the page view and a second view: no more reads, the same bytes and ETag.
    await request(server).get(`${BASE}/slos/availability/history`).expect(200);
    await request(server).get(`${BASE}/history`).expect(200);
    const again = await request(server).get(`${BASE}/slos`);
    expect(measurementReads).toHaveLength(1);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);

    // A browser that holds the answer is told nothing changed; one that accepts gzip gets gzip.
    const unchanged = await request(server).get(`${BASE}/slos`).set('If-None-Match', first.headers.etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    const gzipped = await request(server).get(`${BASE}/slos`).set('Accept-Encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(gzipped.body).toEqual(first.body);
    const plain = await request(server).get(`${BASE}/slos`).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.text)).toEqual(first.body);

    // A refresh writes a measurement: the next request reads it, under a new ETag.
    await measure(9_000, 20_000);
    const after = await request(server).get(`${BASE}/slos`);
    expect(measurementReads).toHaveLength(2);
    expect(availability(after).totalEvents).toBe(20_000);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    const stale = await request(server).get(`${BASE}/slos`).set('If-None-Match', first.headers.etag);
    expect(stale.status).toBe(200);
  });

  it('fails to start with an invalid nthlayer.cache.entityTtl', async () => {
    await expect(start({ config: { cache: { entityTtl: { minutes: 6 } } } })).rejects.toThrow(
      /nthlayer\.cache\.entityTtl must be a duration from 0 to 5 minutes/,
    );
  });
});
