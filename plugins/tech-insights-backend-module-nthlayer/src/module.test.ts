import { SchedulerService, coreServices, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { RunningPrometheus, counterSeries, startPrometheusWith } from '@internal/nthlayer-test-utils';
import request from 'supertest';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
// The test composes a backend of both plugins, as an app does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import nthlayerPlugin from '@nthlayer/backstage-plugin-backend';
import { techInsightsModuleNthlayer } from './module';
import { NTHLAYER_FACT_RETRIEVER_ID } from './nthlayerFactRetriever';

/*
 * A running backend with NthLayer (measuring budgets from a real Prometheus), Tech Insights
 * and this module: the retriever's facts land in Tech Insights' own store and API.
 */
const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 3600;
const linear = (perSecond: number) => (t: number) => perSecond * (t - START);

function service(name: string, tier: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations: { 'nthlayer.dev/tier': tier, 'nthlayer.dev/slo-window': '1d' } },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a' },
  };
}

describe('NthLayer facts in a running Tech Insights backend', () => {
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    prometheus = await startPrometheusWith(
      [
        // burning-api: 1 % errors against a 99.9 % target → 1 − 0.01/0.001 = −9 (spent nine times over).
        counterSeries('http_requests', { service: 'burning-api', status: '200' }, linear(99)),
        counterSeries('http_requests', { service: 'burning-api', status: '500' }, linear(1)),
        // calm-api: no errors against 99.5 % → 1 left.
        counterSeries('http_requests', { service: 'calm-api', status: '200' }, linear(50)),
        counterSeries('http_requests', { service: 'calm-api', status: '500' }, () => 0),
      ],
      { from: START, to: NOW - 30, stepSeconds: 30 },
    );
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  it('publishes tier, SLO count, budget, exhaustion, gate verdict and score per service', async () => {
    let scheduler: SchedulerService | undefined;
    const { server } = await startTestBackend({
      features: [
        nthlayerPlugin,
        techInsightsPlugin,
        techInsightsModuleNthlayer,
        catalogServiceMock.factory({ entities: [service('burning-api', '1'), service('calm-api', '2')] }),
        mockServices.rootConfig.factory({
          data: {
            nthlayer: {
              prometheus: { baseUrl: prometheus.baseUrl, timeoutMs: 5000, retries: 0 },
              schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } },
              graph: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } } },
            },
            techInsights: { factRetrievers: { [NTHLAYER_FACT_RETRIEVER_ID]: { cadence: '0 3 * * *' } } },
          },
        }),
        createServiceFactory({ service: notificationService, deps: {}, factory: () => ({ send: async () => {} }) }),
        createBackendModule({
          pluginId: 'nthlayer',
          moduleId: 'test-scheduler',
          register(env) {
            env.registerInit({ deps: { s: coreServices.scheduler }, async init({ s }) { scheduler = s; } });
          },
        }),
      ],
    });

    const latest = async (name: string) => {
      const res = await request(server)
        .get('/api/tech-insights/facts/latest')
        .query({ entity: `component:default/${name}`, 'ids[]': NTHLAYER_FACT_RETRIEVER_ID });
      expect(res.status).toBe(200);
      return res.body[NTHLAYER_FACT_RETRIEVER_ID]?.facts as Record<string, unknown> | undefined;
    };
    // The test scheduler runs a task when triggered, to completion: budgets, then the graph
    // and scores, then Tech Insights' retriever (as their schedules would, in that order).
    await scheduler!.triggerTask('nthlayer-budget-refresh');
    await scheduler!.triggerTask('nthlayer-graph-and-scores');
    await scheduler!.triggerTask(NTHLAYER_FACT_RETRIEVER_ID);
    const burning = await latest('burning-api');
    // The latency SLO has no series here: its budget is unknown, and the gate answers warn
    // (it fails open without a policy saying otherwise) rather than block.
    expect(burning).toMatchObject({ nthlayerTier: 1, sloCount: 2, budgetExhausted: true, gateVerdict: 'warn' });
    expect(burning!.minBudgetRemaining as number).toBeCloseTo(-9, 1);
    expect(typeof burning!.reliabilityScore).toBe('number');
    const calm = await latest('calm-api');
    expect(calm).toMatchObject({ nthlayerTier: 2, budgetExhausted: false });
    expect(calm!.minBudgetRemaining as number).toBeCloseTo(1, 3);
    expect(burning!.reliabilityScore as number).toBeLessThan(calm!.reliabilityScore as number);
  }, 60_000);
});
