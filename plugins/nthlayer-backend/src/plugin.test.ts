import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const entities = [
  serviceEntity('checkout-api', { 'nthlayer.dev/tier': '1' }),
  serviceEntity('legacy-billing', { 'nthlayer.dev/tier': '2', 'nthlayer.dev/slo-availability': '100.5' }),
  serviceEntity('plain', {}),
];

async function start(permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  // Prometheus is down (a closed port) for these tests.
  return startNthlayerTestBackend({ entities, permission });
}

describe('nthlayer backend plugin', () => {
  it('serves only the status at /health without authentication, the details at /v1/health', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const res = await request(server).get('/api/nthlayer/health').set('Authorization', '');
    expect(res.status).toBe(200);
    // No base URLs, errors or summary for anonymous callers.
    expect(res.body).toEqual({ status: 'ok' });

    const anonymous = await request(server)
      .get('/api/nthlayer/v1/health')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const details = await request(server).get('/api/nthlayer/v1/health');
    expect(details.status).toBe(200);
    expect(details.body).toEqual({
      status: 'ok',
      reasons: [],
      lastSuccessAt: null,
      schedulePeriodSeconds: 86400,
      summary: null,
      failure: null,
      prometheus: [expect.objectContaining({ name: 'default', baseUrl: 'http://127.0.0.1:9', status: 'unknown' })],
    });
  });

  it('requires authentication for entity SLOs', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get('/api/nthlayer/v1/entities/component/default/checkout-api/slos')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('returns the model, findings and pending SLOs before the first refresh', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const res = await request(server).get('/api/nthlayer/v1/entities/component/default/checkout-api/slos');
    expect(res.status).toBe(200);
    expect(res.body.service).toMatchObject({ tier: 1, type: 'api', selector: 'service="checkout-api"' });
    expect(res.body.slos.map((s: any) => [s.name, s.targetPercent, s.status])).toEqual([
      ['availability', 99.9, 'pending'],
      ['latency', 95, 'pending'],
    ]);

    const legacy = await request(server).get('/api/nthlayer/v1/entities/component/default/legacy-billing/slos');
    expect(legacy.body.findings).toEqual([
      expect.objectContaining({ annotation: 'nthlayer.dev/slo-availability', value: '100.5' }),
    ]);
    expect(legacy.body.slos[0].targetPercent).toBe(99.5);
  });

  it('answers 404 for unknown entities and null service for unmanaged ones', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const missing = await request(server).get('/api/nthlayer/v1/entities/component/default/nope/slos');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    const plain = await request(server).get('/api/nthlayer/v1/entities/component/default/plain/slos');
    expect(plain.body).toEqual({ entityRef: 'component:default/plain', service: null, findings: [], slos: [] });
  });

  it('needs the refresh permission to refresh', async () => {
    const server = await start(AuthorizeResult.DENY);
    const res = await request(server).post('/api/nthlayer/v1/refresh');
    expect(res.status).toBe(403);
  });

  it('refreshes on demand; Prometheus down leaves labelled stale SLOs and a degraded status', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const res = await request(server).post('/api/nthlayer/v1/refresh');
    // The scheduled task is triggered (the mock scheduler runs it before answering).
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted' });
    const slos = await request(server).get('/api/nthlayer/v1/entities/component/default/checkout-api/slos');
    expect(slos.body.slos[0]).toMatchObject({ status: 'no-data', stale: true, error: expect.stringMatching(/unreachable/) });
    const health = await request(server).get('/api/nthlayer/v1/health');
    expect(health.body).toMatchObject({
      status: 'degraded',
      reasons: ['Prometheus instance "default" is down'],
      lastSuccessAt: expect.any(String),
      summary: { entities: 2, services: 2, slos: 4, measured: 0, stale: 4, entitiesWithFindings: 1 },
    });
    // Still 200: stale, labelled budgets are served; a monitor alerts on `status`.
    const probe = await request(server).get('/api/nthlayer/health').set('Authorization', '');
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ status: 'degraded' });
    const instances = await request(server).get('/api/nthlayer/v1/instances');
    expect(instances.body.instances).toEqual([
      expect.objectContaining({
        name: 'default',
        status: 'down',
        consecutiveFailures: expect.any(Number),
        lastError: expect.stringMatching(/unreachable/),
      }),
    ]);
  });

  it('accepts one of concurrent manual refreshes and refuses the others with Retry-After', async () => {
    const server = await startNthlayerTestBackend({
      entities,
      config: { refresh: { minInterval: { minutes: 10 } } },
    });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(server).post('/api/nthlayer/v1/refresh')),
    );
    expect(responses.map(r => r.status).sort()).toEqual([202, 429, 429, 429, 429]);
    for (const refused of responses.filter(r => r.status === 429)) {
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(refused.body.error).toMatchObject({
        name: 'TooManyRequestsError',
        message: expect.stringMatching(/less than 600s ago; retry in \d+s/),
      });
    }
    // One refresh ran.
    const health = await request(server).get('/api/nthlayer/v1/health');
    expect(health.body.summary).toMatchObject({ services: 2 });
    const again = await request(server).post('/api/nthlayer/v1/refresh');
    expect(again.status).toBe(429);
  });

  it('serves the ledger and deploy impacts behind authentication, with 4xx for bad input', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const anonymous = await request(server)
      .get('/api/nthlayer/v1/entities/component/default/checkout-api/ledger')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    // Before the ledger task ran: every SLO with nothing burned, and computedAt null.
    const ledger = await request(server).get('/api/nthlayer/v1/entities/component/default/checkout-api/ledger?window=7d');
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({ entityRef: 'component:default/checkout-api', window: '7d', windowMinutes: 10080, computedAt: null, unattributedRatio: null });
    expect(ledger.body.slos.map((s: { sloName: string }) => s.sloName)).toEqual(['availability', 'latency']);
    const bad = await request(server).get('/api/nthlayer/v1/entities/component/default/checkout-api/ledger?window=hello');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('window must be a duration');
    expect((await request(server).get('/api/nthlayer/v1/entities/component/default/plain/ledger')).status).toBe(404);
    expect((await request(server).get('/api/nthlayer/v1/entities/component/default/nope/ledger')).status).toBe(404);
    expect((await request(server).get('/api/nthlayer/v1/deployments/x1/impact')).status).toBe(400);
    expect((await request(server).get('/api/nthlayer/v1/deployments/99/impact')).status).toBe(404);
  });
});
