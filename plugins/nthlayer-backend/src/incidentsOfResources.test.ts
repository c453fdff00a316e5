import { Entity } from '@backstage/catalog-model';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const SECRET = 'whsec-test';
const resource = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'database', owner: 'group:default/team-a' },
});

function webhook(serviceId: string, id: string) {
  const body = JSON.stringify({
    event: {
      id: `${id}-triggered`,
      event_type: 'incident.triggered',
      occurred_at: '2026-12-01T10:00:00Z',
      data: { id, type: 'incident', number: 7, title: 'replication lag', status: 'triggered', urgency: 'high', service: { id: serviceId }, created_at: '2026-12-01T10:00:00Z' },
    },
  });
  return { body, signature: `v1=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
}

describe('incidents of entities NthLayer does not manage', () => {
  it('stores and serves the incidents of a Resource mapped by pagerduty.com/service-id, for the ledger of what depends on it', async () => {
    const server = await startNthlayerTestBackend({
      entities: [
        serviceEntity('pay-api', { 'nthlayer.dev/tier': '1' }, { dependsOn: ['resource:default/orders-db'] }),
        resource('orders-db', { 'pagerduty.com/service-id': 'PDB1' }),
        resource('plain-db', {}),
      ],
      config: { pagerduty: { webhookSecrets: [SECRET] } },
    });
    const { body, signature } = webhook('PDB1', 'QINC1');
    const delivered = await request(server)
      .post('/api/nthlayer/v1/webhooks/pagerduty')
      .set('Content-Type', 'application/json')
      .set('X-PagerDuty-Signature', signature)
      .send(body);
    expect(delivered.status).toBe(202);
    const incidents = await request(server).get('/api/nthlayer/v1/entities/resource/default/orders-db/incidents');
    expect(incidents.status).toBe(200);
    expect(incidents.body).toMatchObject({ entityRef: 'resource:default/orders-db', configured: true, serviceId: 'PDB1', open: 1 });
    expect(incidents.body.incidents.map((i: any) => i.id)).toEqual(['QINC1']);
    // Neither managed nor mapped: still a 404, as before.
    expect((await request(server).get('/api/nthlayer/v1/entities/resource/default/plain-db/incidents')).status).toBe(404);
  });
});
