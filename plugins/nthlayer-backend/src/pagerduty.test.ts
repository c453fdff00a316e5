import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { PagerDutyClient } from '@nthlayer/backstage-plugin-generators';
import { PagerDutyFake } from '@nthlayer/backstage-plugin-generators/testing';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { EntityReader } from './service/EntityReader';
import { IncidentService } from './service/IncidentService';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const ref = (name: string) => ({ kind: 'component', namespace: 'default', name });
const apply = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}/pagerduty/apply`;

describe('PagerDuty apply and incidents against the contract-checked PagerDuty fake', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let fake: PagerDutyFake;
  beforeEach(async () => {
    fake = await PagerDutyFake.start();
  });
  afterEach(() => fake.close());

  it('plans, applies, and changes nothing on a second apply; an unknown service id is refused', async () => {
    const entities = [
      serviceEntity('pay-api', { 'nthlayer.dev/tier': '1' }),
      serviceEntity('ghost-api', { 'nthlayer.dev/tier': '2', 'pagerduty.com/service-id': 'PNOSUCH' }),
    ];
    const users = {
      'nthlayer:user:team-a:1': fake.addUser('Ada'),
      'nthlayer:user:team-a:2': fake.addUser('Grace'),
    };
    const server = await startNthlayerTestBackend({
      entities,
      config: { pagerduty: { token: fake.token, baseUrl: fake.baseUrl, from: 'sre@example.com', scheduleUsers: users } },
    });
    const plan = await request(server).post(apply('pay-api')).send({ dryRun: true });
    expect(plan.status).toBe(200);
    expect(plan.body.plan.steps.map((s: any) => `${s.resource} ${s.action}`)).toEqual([
      'team create',
      'schedule create',
      'schedule create',
      'escalation_policy create',
      'service create',
    ]);
    expect(plan.body.result).toBeUndefined();
    expect(fake.writes()).toEqual([]);

    const first = await request(server).post(apply('pay-api')).send({});
    expect(first.status).toBe(200);
    expect(first.body.result.steps.map((s: any) => s.action)).toEqual(['created', 'created', 'created', 'created', 'created']);
    const writes = fake.writes().length;
    expect(writes).toBe(5);
    expect(fake.writes().every(w => w.headers.from === 'sre@example.com')).toBe(true);
    const policy = [...fake.state.escalation_policies.values()][0] as any;
    expect(policy.name).toBe('pay-api (tier 1)');

    const second = await request(server).post(apply('pay-api')).send({});
    expect(second.body.plan.steps.every((s: any) => s.action === 'unchanged')).toBe(true);
    expect(fake.writes().length).toBe(writes);
    expect(fake.requests.filter(r => r.method === 'DELETE')).toEqual([]);

    const ghost = await request(server).post(apply('ghost-api')).send({});
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.message).toMatch(/PNOSUCH.*does not have/);
  });

  it('reads incidents on the poll, maps services by annotation and by name, and counts them for the gate', async () => {
    const client = new PagerDutyClient({ token: fake.token, baseUrl: fake.baseUrl, sleep: async () => {} });
    const policy = await client.createEscalationPolicy({
      escalation_policy: {
        type: 'escalation_policy',
        name: 'named-api (tier 2)',
        escalation_rules: [{ escalation_delay_in_minutes: 15, targets: [{ id: fake.addUser('Ada'), type: 'user_reference' }] }],
      },
    });
    // A service NthLayer finds by the entity's name (no pagerduty.com/service-id annotation).
    const named = await client.createService({
      service: { type: 'service', name: 'named-api', escalation_policy: { id: policy.id, type: 'escalation_policy_reference' } },
    });
    const entities = [
      serviceEntity('annotated-api', { 'nthlayer.dev/tier': '1', 'pagerduty.com/service-id': 'PANNOT1' }),
      serviceEntity('named-api', { 'nthlayer.dev/tier': '2' }),
      serviceEntity('quiet-api', { 'nthlayer.dev/tier': '3' }),
    ];
    const now = Date.now();
    const hour = 3_600_000;
    fake.addIncident({ serviceId: 'PANNOT1', createdAt: new Date(now - 2 * hour).toISOString(), title: 'Checkout errors', priority: 'P1' });
    fake.addIncident({ serviceId: 'PANNOT1', createdAt: new Date(now - 10 * 24 * hour).toISOString(), status: 'resolved' });
    fake.addIncident({ serviceId: named.id, createdAt: new Date(now - 5 * hour).toISOString(), status: 'resolved' });
    fake.addIncident({ serviceId: 'POTHER1', createdAt: new Date(now - hour).toISOString() });

    const knex = await databases.init('SQLITE_3');
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const incidents = new IncidentService({
      store: db.incidents,
      entities: new EntityReader({ catalog: catalogServiceMock({ entities }), ttlMs: 0 }),
      readEntities: async () => entities,
      client,
      configured: true,
      webhookSecrets: [],
      lookbackDays: 30,
      logger: mockServices.logger.mock(),
    });
    const summary = await incidents.poll();
    expect(summary.services).toBe(2);
    expect(summary.inserted).toBe(3);
    // The poll asked only for the mapped services, and a repeat stores nothing new.
    const listed = fake.requests.filter(r => r.path === '/incidents');
    expect(listed[0].query['service_ids[]'].sort()).toEqual(['PANNOT1', named.id].sort());
    expect((await incidents.poll()).inserted).toBe(0);

    const credentials = await mockServices.auth().getOwnServiceCredentials();
    const annotated = await incidents.entityIncidents(ref('annotated-api'), credentials);
    expect(annotated).toMatchObject({ configured: true, serviceId: 'PANNOT1', open: 1, count7d: 1 });
    expect(annotated.incidents.map(i => [i.title ?? '', i.status, i.priority])).toEqual([
      ['Checkout errors', 'triggered', 'P1'],
      [expect.any(String), 'resolved', null],
    ]);
    expect(await incidents.counts('component:default/quiet-api')).toEqual({ count7d: 0, open: 0 });
    expect(await incidents.entityIncidents(ref('named-api'), credentials)).toMatchObject({ serviceId: named.id, open: 0, count7d: 1 });
  });
});
