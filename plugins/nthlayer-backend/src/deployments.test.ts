import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { Snapshot } from './database/SnapshotStore';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const DEPLOYMENTS = '/api/nthlayer/v1/deployments';
const entityPath = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}`;
const ci = mockCredentials.service.header({ onBehalfOf: mockCredentials.service('external:ci'), targetPluginId: 'nthlayer' });
const denied = mockCredentials.service.header({ onBehalfOf: mockCredentials.service('external:reader'), targetPluginId: 'nthlayer' });

describe('deployments through the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  const authorize = jest.fn(async (requests: any[], options: { credentials: any }) =>
    requests.map(() => ({
      result: options.credentials.principal.subject === 'external:reader' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    })),
  );
  const now = Date.now();
  const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    server = await startNthlayerTestBackend({
      entities: [serviceEntity('checkout-api', { 'nthlayer.dev/tier': '1' }), serviceEntity('plain', {})],
      knex,
      permissions: mockServices.permissions.mock({ authorize: authorize as any }) as unknown as PermissionsService,
    });
  }, 60_000);

  const post = (body: unknown, auth: string = ci) =>
    request(server).post(DEPLOYMENTS).set('Authorization', auth).send(body as object);
  const deploy = {
    entityRef: 'component:default/checkout-api',
    version: 'v4.18.0',
    commit: 'abc123',
    author: 'alice',
    status: 'started',
    source: 'github-actions',
    url: 'https://ci.example.com/runs/7',
  };

  it('records a deploy with its caller, and a later report of the same deploy updates it', async () => {
    const startedAt = hoursAgo(72);
    const started = await post({ ...deploy, startedAt });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ ...deploy, startedAt, finishedAt: null, labels: [], recordedBy: 'service:external:ci' });
    const finishedAt = hoursAgo(71.9);
    const done = await post({ ...deploy, startedAt, finishedAt, status: 'succeeded', labels: ['canary'] });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ id: started.body.id, status: 'succeeded', finishedAt, labels: ['canary'] });
    const rollback = await post({ ...deploy, version: 'v4.17.3', startedAt: hoursAgo(70.5), status: 'succeeded', labels: ['rollback'] });
    expect(rollback.body.id).not.toBe(started.body.id);
    const list = await request(server).get(`${entityPath('checkout-api')}/deployments`).set('Authorization', mockCredentials.user.header());
    expect(list.status).toBe(200);
    expect(list.body.deployments.map((d: any) => [d.version, d.status])).toEqual([
      ['v4.18.0', 'succeeded'],
      ['v4.17.3', 'succeeded'],
    ]);
  });

  it('puts the deploys of the range into the entity history, for the chart markers', async () => {
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const snapshot = (h: number): Snapshot => ({
      entityRef: 'component:default/checkout-api', sloName: 'availability', window: '30d', windowMinutes: 43_200,
      thresholdMs: null, time: new Date(now - h * 3_600_000), goodEvents: 999_500, totalEvents: 1_000_000, source: 'refresh',
    });
    await db.snapshots.append([snapshot(100), snapshot(50), snapshot(1)]);
    const inRange = await request(server)
      .get(`${entityPath('checkout-api')}/history?from=${encodeURIComponent(hoursAgo(80))}&to=${encodeURIComponent(hoursAgo(71))}`)
      .set('Authorization', mockCredentials.user.header());
    expect(inRange.status).toBe(200);
    expect(inRange.body.deployments.map((d: any) => d.version)).toEqual(['v4.18.0']);
    const before = await request(server)
      .get(`${entityPath('checkout-api')}/history?from=${encodeURIComponent(hoursAgo(200))}&to=${encodeURIComponent(hoursAgo(100))}`)
      .set('Authorization', mockCredentials.user.header());
    expect(before.body.deployments).toEqual([]);
  });

  it.each([
    [{ ...deploy, startedAt: undefined }, /startedAt/],
    [{ ...deploy, startedAt: 'hello 2026-11-30' }, /startedAt must be an ISO 8601/],
    [{ ...deploy, startedAt: new Date(now + 3_600_000).toISOString() }, /in the future/],
    [{ ...deploy, startedAt: hoursAgo(2), finishedAt: hoursAgo(3) }, /finishedAt must not be before startedAt/],
    [{ ...deploy, startedAt: hoursAgo(2), status: 'exploded' }, /status/],
    [{ ...deploy, startedAt: hoursAgo(2), url: ['javascript', 'alert(1)'].join(':') }, /url must be one http\(s\) URL/],
    [{ ...deploy, startedAt: hoursAgo(2), source: 'a b' }, /source/],
    [{ ...deploy, startedAt: hoursAgo(2), extra: 1 }, /extra|Unrecognized/],
    [{ ...deploy, startedAt: hoursAgo(2), entityRef: 'component:' }, /entityRef/],
  ])('rejects %j with 400 and a message', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 for an entity NthLayer does not manage or the catalog does not have', async () => {
    expect((await post({ ...deploy, entityRef: 'component:default/plain', startedAt: hoursAgo(1) })).status).toBe(404);
    expect((await post({ ...deploy, entityRef: 'component:default/nope', startedAt: hoursAgo(1) })).status).toBe(404);
  });

  it('needs credentials and the permission nthlayer.deployment.create', async () => {
    // Without a header the mock auth signs in a default user; this header is "no credentials".
    expect((await post({ ...deploy, startedAt: hoursAgo(1) }, mockCredentials.none.header())).status).toBe(401);
    authorize.mockClear();
    const refused = await post({ ...deploy, version: 'v9', startedAt: hoursAgo(1) }, denied);
    expect(refused.status).toBe(403);
    expect(authorize.mock.calls[0][0]).toEqual([{ permission: expect.objectContaining({ name: 'nthlayer.deployment.create' }) }]);
    const list = await request(server).get(`${entityPath('checkout-api')}/deployments`).set('Authorization', mockCredentials.user.header());
    expect(list.body.deployments.map((d: any) => d.version)).not.toContain('v9');
  });
});
