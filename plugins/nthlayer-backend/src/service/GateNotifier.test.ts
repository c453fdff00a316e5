import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_TIERS, parseNthlayerService } from '@nthlayer/backstage-plugin-common';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { serviceEntity } from '../testing/fixtureEntities';
import { MeasuredSlo } from './BudgetEngine';
import { GateNotifier } from './GateNotifier';

const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };
const { service } = parseNthlayerService(serviceEntity('checkout-api', { 'nthlayer.dev/tier': '1' }), model);
const availability = service!.slos.find(s => s.name === 'availability')!;
const latency = service!.slos.find(s => s.name === 'latency')!;
const measured = (a: number | null, l: number | null): MeasuredSlo[] => [
  { service: service!, slo: availability, remainingRatio: a },
  { service: service!, slo: latency, remainingRatio: l },
];

describe('GateNotifier.budgets', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function notifier(send: jest.Mock) {
    const knex = await databases.init('SQLITE_3');
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    return new GateNotifier({ notifications: { send }, levels: db.budgetNotifications, logger: mockServices.logger.mock() });
  }

  it('notifies each crossing of 50/25/10/0 % once, per SLO, to the owner, with one scope per SLO', async () => {
    const send = jest.fn(async () => {});
    const n = await notifier(send);
    const titles = async (a: number | null, l: number | null) => {
      send.mockClear();
      await n.budgets(measured(a, l));
      return send.mock.calls.map((c: any) => c[0].payload.title);
    };
    expect(await titles(0.9, 0.8)).toEqual([]);
    expect(await titles(0.45, 0.8)).toEqual(['checkout-api: availability error budget below 50 %']);
    // Staying below 50 % does not notify again; latency crossing straight to 10 % notifies once.
    expect(await titles(0.3, 0.05)).toEqual(['checkout-api: latency error budget below 10 %']);
    expect(await titles(0.2, null)).toEqual(['checkout-api: availability error budget below 25 %']);
    expect(await titles(-0.5, 0.04)).toEqual(['checkout-api: availability error budget exhausted']);
    // Recovery resets silently; the next fall notifies again.
    expect(await titles(0.7, 0.04)).toEqual([]);
    expect(await titles(0.49, 0.04)).toEqual(['checkout-api: availability error budget below 50 %']);

    const payload = (send.mock.calls[0] as any)[0];
    expect(payload).toEqual({
      recipients: { type: 'entity', entityRef: 'group:default/team-a' },
      payload: {
        title: 'checkout-api: availability error budget below 50 %',
        description: '49.0 % of the 30d error budget remains (target 99.9 %).',
        link: '/catalog/default/component/checkout-api/nthlayer',
        severity: 'normal',
        topic: 'nthlayer-budget',
        scope: 'nthlayer-budget:component:default/checkout-api:availability',
      },
    });
  });

  it('grades severity: 10 % is high, exhausted is critical', async () => {
    const send = jest.fn(async () => {});
    const n = await notifier(send);
    await n.budgets(measured(0.08, -0.01));
    expect(send.mock.calls.map((c: any) => [c[0].payload.severity, c[0].payload.description])).toEqual([
      ['high', '8.0 % of the 30d error budget remains (target 99.9 %).'],
      ['critical', '-1.0 % of the 30d error budget remains (target 95 %).'],
    ]);
  });

  it('logs a failing send and does not retry the same crossing on the next refresh', async () => {
    const send = jest.fn(async () => {
      throw new Error('404 Not Found (no notifications backend)');
    });
    const knex = await databases.init('SQLITE_3');
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const logger = mockServices.logger.mock();
    const n = new GateNotifier({ notifications: { send }, levels: db.budgetNotifications, logger });
    await expect(n.budgets(measured(0.3, 0.9))).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('could not send the notification "checkout-api: availability error budget below 50 %"'));
    await n.budgets(measured(0.3, 0.9));
    expect(send).toHaveBeenCalledTimes(1);
  });
});
