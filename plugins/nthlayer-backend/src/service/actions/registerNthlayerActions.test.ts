import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { NTHLAYER_ACTION_NAMES, NthlayerActionServices, registerNthlayerActions } from './registerNthlayerActions';

/*
 * The registrations alone, on the test utils' MockActionsRegistry (ids `test:<name>`), over
 * stub services: every example is a valid input, each action hands the service the invoking
 * caller's credentials, and the answers pass the output schemas.
 */

const USER = mockCredentials.user('user:default/jane');
const slos = {
  entityRef: 'component:default/payment-api',
  service: { entityRef: 'component:default/payment-api', name: 'payment-api', tier: 1, type: 'api', dependsOn: [], slos: [] },
  findings: [],
  slos: [
    {
      name: 'latency',
      kind: 'latency',
      targetPercent: 95,
      window: '30d',
      sli: 99,
      goodEvents: 990,
      totalEvents: 1000,
      errorBudget: { totalMinutes: 2160, consumedMinutes: 432, remainingMinutes: 1728, remainingRatio: 0.8 },
      status: 'healthy',
      updatedAt: '2026-11-30T10:00:00.000Z',
      stale: false,
      burnRates: [{ window: '1h', burnRate: 0.2 }],
      timeToExhaustionMinutes: null,
      eventRate: 10,
      lowTraffic: false,
      explanation: '10 of 1000 events slower than the threshold in the 30d window (1.00 %, allowed 5 %): 20.0 % of the error budget is spent.',
      sparkline: { window: '30d', step: 3600, points: [] },
    },
  ],
};
const decision = {
  id: 1,
  entityRef: 'component:default/payment-api',
  decidedAt: '2026-11-30T10:00:00.000Z',
  verdict: 'allow',
  exitCode: 0,
  reasons: [],
  rules: [],
  policies: [],
  budgetsAsOf: null,
  stale: false,
  notify: [],
};
const override = {
  id: 7,
  entityRef: 'component:default/payment-api',
  version: null,
  reason: 'INC-4411 fix must ship now',
  createdBy: 'user:default/jane',
  createdAt: '2026-11-30T10:00:00.000Z',
  expiresAt: '2026-11-30T14:00:00.000Z',
  revokedAt: null,
  revokedBy: null,
};
const rollup = { ref: 'org', score: null, status: 'healthy', services: 0, byStatus: { healthy: 0, warning: 0, critical: 0 }, tier1BelowTarget: 0, compositeRemainingRatio: null, score7dAgo: null, score30dAgo: null };

function setup(authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  const services = {
    permissions: mockServices.permissions({ result: authorize }),
    entitySlos: { getEntitySlos: jest.fn(async () => slos) },
    gates: { check: jest.fn(async () => decision), createOverride: jest.fn(async () => override) },
    drift: { entityDrift: jest.fn(async () => ({ entityRef: 'component:default/payment-api', report: null, history: [] })) },
    reliability: {
      blastRadius: jest.fn(async () => ({ entityRef: 'component:default/payment-api', severity: 'low', reason: 'no dependents', affected: 0, tier1Affected: 0, owners: [], byDepth: [], builtAt: null })),
      portfolio: jest.fn(async () => ({
        portfolio: { generatedAt: '2026-11-30T10:00:00.000Z', filters: {}, status: 'healthy', exitCode: 0, org: rollup, teams: [], systems: [], services: [], insights: [] },
      })),
    },
  };
  const registry = actionsRegistryServiceMock();
  registerNthlayerActions(registry, services as unknown as NthlayerActionServices);
  return { registry, services };
}

describe('registerNthlayerActions', () => {
  it('registers every action once, with no name the scaffolder uses for its own nthlayer: actions', async () => {
    const { registry } = setup();
    const { actions } = await registry.list();
    expect(actions.map(a => a.id)).toEqual(NTHLAYER_ACTION_NAMES.map(n => `test:${n}`));
    expect(actions.map(a => a.name)).not.toContain('generate');
    expect(actions.map(a => a.name)).not.toContain('validate');
  });

  it('runs every example, handing the services the invoking caller\'s credentials', async () => {
    const { registry, services } = setup();
    const { actions } = await registry.list();
    for (const action of actions) {
      for (const example of action.examples ?? []) {
        const { output } = await registry.invoke({ id: action.id, input: example.input, credentials: USER });
        expect([action.name, example.title, typeof output]).toEqual([action.name, example.title, 'object']);
      }
    }
    const calls = [
      ...services.entitySlos.getEntitySlos.mock.calls,
      ...services.drift.entityDrift.mock.calls,
      ...services.reliability.blastRadius.mock.calls,
      ...services.reliability.portfolio.mock.calls,
    ] as unknown[][];
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call[call.length - 1]).toBe(USER);
    for (const call of [...services.gates.check.mock.calls, ...services.gates.createOverride.mock.calls] as unknown[][]) {
      expect(call.slice(1)).toEqual([USER, 'user:default/jane']);
    }
    // Bare names reach the services as full refs.
    expect(services.entitySlos.getEntitySlos).toHaveBeenCalledWith({ kind: 'component', namespace: 'default', name: 'payment-api' }, USER);
    expect(services.gates.check).toHaveBeenCalledWith(
      { entityRef: 'component:default/payment-api', version: 'v2.4.2', commit: '9f1c2ab', labels: ['hotfix'], environment: 'production' },
      USER,
      'user:default/jane',
    );
    expect(services.reliability.portfolio).toHaveBeenCalledWith({ group: 'group:default/team-payments', system: undefined, tier: '1' }, USER);
  });

  it('asks nthlayer.gate.check before the gate, and refuses without it', async () => {
    const { registry, services } = setup(AuthorizeResult.DENY);
    await expect(
      registry.invoke({ id: 'test:check-deploy-gate', input: { entityRef: 'payment-api', version: 'v1' }, credentials: USER }),
    ).rejects.toThrow(NotAllowedError);
    expect(services.gates.check).not.toHaveBeenCalled();
  });

  it('requests overrides only for signed-in users', async () => {
    const { registry, services } = setup();
    const input = { entityRef: 'payment-api', reason: 'INC-4411 fix must ship now', expiresInHours: 4 };
    for (const credentials of [mockCredentials.service('plugin:mcp-actions'), mockCredentials.none()]) {
      await expect(registry.invoke({ id: 'test:request-gate-override', input, credentials })).rejects.toThrow(
        /must be invoked by a signed-in user/,
      );
    }
    expect(services.gates.createOverride).not.toHaveBeenCalled();
  });
});
