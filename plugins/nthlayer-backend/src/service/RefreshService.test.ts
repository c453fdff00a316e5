import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { PrometheusInstanceHealth } from '@nthlayer/backstage-plugin-common';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { BudgetEngine, RefreshSummary } from './BudgetEngine';
import { RefreshService, TooManyRequestsError } from './RefreshService';

const PERIOD = 5 * 60_000;
const T0 = Date.UTC(2026, 10, 30, 10);
const summary = { services: 3 } as unknown as RefreshSummary;

describe('RefreshService', () => {
  const databases = TestDatabases.create({ ids: storeDatabaseIds() });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    let now = T0;
    let instances: PrometheusInstanceHealth[] = [];
    const engine = { refresh: jest.fn(async () => summary) };
    const scheduler = { triggerTask: jest.fn(async (_id: string) => {}) };
    const service = (clock = () => now) =>
      new RefreshService({
        engine: engine as unknown as BudgetEngine,
        state: db.refreshState,
        scheduler,
        taskId: 'task',
        logger: mockServices.logger.mock(),
        minIntervalMs: 60_000,
        schedulePeriodMs: PERIOD,
        instances: () => instances,
        clock,
      });
    return {
      service,
      engine,
      scheduler,
      at: (t: number) => (now = t),
      setInstances: (i: PrometheusInstanceHealth[]) => (instances = i),
    };
  }

  it.each(databases.eachSupportedId())(
    '%s: degraded once the last success is older than three schedule periods',
    async databaseId => {
      const { service, at } = await setup(databaseId);
      const s = service();
      expect((await s.health()).status).toBe('ok');
      // Never succeeded: counted from start.
      at(T0 + 3 * PERIOD + 1);
      expect(await s.health()).toMatchObject({
        status: 'degraded',
        reasons: [expect.stringMatching(/^no successful refresh in 900s since start/)],
        lastSuccessAt: null,
      });
      await s.run();
      const t1 = T0 + 3 * PERIOD + 1;
      expect(await s.health()).toMatchObject({
        status: 'ok',
        reasons: [],
        lastSuccessAt: new Date(t1).toISOString(),
        summary: { services: 3 },
      });
      at(t1 + 3 * PERIOD);
      expect((await s.health()).status).toBe('ok');
      at(t1 + 3 * PERIOD + 1);
      expect(await s.health()).toMatchObject({
        status: 'degraded',
        reasons: [`last successful refresh ${new Date(t1).toISOString()} is older than 3 schedule periods (900s)`],
      });
    },
  );

  it.each(databases.eachSupportedId())('%s: degraded while an instance is down', async databaseId => {
    const { service, setInstances } = await setup(databaseId);
    setInstances([
      { name: 'eu', status: 'up' } as PrometheusInstanceHealth,
      { name: 'us', status: 'down' } as PrometheusInstanceHealth,
    ]);
    expect(await service().health()).toMatchObject({
      status: 'degraded',
      reasons: ['Prometheus instance "us" is down'],
    });
  });

  it.each(databases.eachSupportedId())(
    '%s: records a failure for health and rethrows it',
    async databaseId => {
      const { service, engine } = await setup(databaseId);
      engine.refresh.mockRejectedValueOnce(new Error('catalog unavailable'));
      await expect(service().run()).rejects.toThrow('catalog unavailable');
      expect((await service().health()).failure).toEqual({
        at: new Date(T0).toISOString(),
        message: 'catalog unavailable',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    '%s: rate-limits manual refreshes and gives the claim back when the task is running',
    async databaseId => {
      const { service, scheduler, at } = await setup(databaseId);
      const s = service();
      scheduler.triggerTask.mockRejectedValueOnce(new ConflictError('Task task is currently running'));
      await expect(s.requestManual()).rejects.toThrow(ConflictError);
      // Not counted: the next request may trigger at once.
      await s.requestManual();
      expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
      expect(scheduler.triggerTask).toHaveBeenLastCalledWith('task');

      at(T0 + 20_500);
      const refused = await s.requestManual().catch(e => e);
      expect(refused).toBeInstanceOf(TooManyRequestsError);
      expect(refused.retryAfterSeconds).toBe(40);
      expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
      at(T0 + 60_000);
      await s.requestManual();
      expect(scheduler.triggerTask).toHaveBeenCalledTimes(3);
    },
  );
});
