import {
  DeploymentRecord,
  EntityGateResponse,
  GateCheckResponse,
  GateOverride,
  GateRuleResult,
  StoredGateDecision,
} from '@nthlayer/backstage-plugin-common';

/** Test fixtures for the deploy gate card (entity `component:default/checkout-api`). */

export const ENTITY_REF = 'component:default/checkout-api';

export const hoursFromNow = (hours: number) =>
  new Date(Date.now() + hours * 3_600_000).toISOString();

export const blockRule: GateRuleResult = {
  policy: 'tier-1-default',
  rule: 'block-below',
  condition: 'budget.remaining < 0.1',
  action: 'block',
  result: 'true',
  values: { 'budget.remaining': 0.042 },
  verdict: 'block',
  message: 'tier-1-default/block-below: error budget below 10 %',
};

export const warnRule: GateRuleResult = {
  ...blockRule,
  rule: 'warn-below',
  condition: 'budget.remaining < 0.2',
  action: 'warn',
  verdict: 'warn',
  message: 'tier-1-default/warn-below: error budget below 20 %',
};

export const burnRule: GateRuleResult = {
  policy: 'checkout-policy',
  rule: 'fast-burn',
  condition: 'burn["1h"] > 14.4',
  action: 'block',
  result: 'false',
  values: { 'burn.1h': 2.5 },
  verdict: 'allow',
  message: 'checkout-policy/fast-burn: not met',
};

export const current = (
  overrides: Partial<GateCheckResponse> = {},
): GateCheckResponse => ({
  entityRef: ENTITY_REF,
  decidedAt: new Date().toISOString(),
  verdict: 'block',
  exitCode: 2,
  // The allow rule first: the card puts the deciding ones first.
  rules: [burnRule, warnRule, blockRule],
  reasons: [blockRule.message, warnRule.message],
  policies: [
    { name: 'tier-1-default', source: 'tier-default', hash: '{}' },
    { name: 'checkout-policy', source: 'policies/checkout.yaml', hash: 'abc' },
  ],
  budgetsAsOf: new Date(Date.now() - 5 * 60_000).toISOString(),
  stale: false,
  notify: [],
  ...overrides,
});

export const allowed = (
  overrides: Partial<GateCheckResponse> = {},
): GateCheckResponse =>
  current({
    verdict: 'allow',
    exitCode: 0,
    rules: [
      {
        ...blockRule,
        result: 'false',
        verdict: 'allow',
        message: 'tier-1-default/block-below: not met',
        values: { 'budget.remaining': 0.85 },
      },
    ],
    reasons: ['every rule passed'],
    ...overrides,
  });

export const override = (
  overrides: Partial<GateOverride> = {},
): GateOverride => ({
  id: 7,
  entityRef: ENTITY_REF,
  version: null,
  reason: 'hotfix for the payment outage',
  createdBy: 'user:default/jane',
  createdAt: new Date().toISOString(),
  expiresAt: hoursFromNow(4),
  revokedAt: null,
  revokedBy: null,
  ...overrides,
});

export const decision = (
  id: number,
  overrides: Partial<StoredGateDecision> = {},
): StoredGateDecision => ({
  id,
  entityRef: ENTITY_REF,
  decidedAt: new Date(Date.now() - id * 3_600_000).toISOString(),
  principal: 'service:github-actions',
  version: `1.4.${id}`,
  commit: null,
  environment: 'production',
  labels: [],
  decision: { ...current(), id },
  ...overrides,
});

export const deployment = (
  id: number,
  overrides: Partial<DeploymentRecord> = {},
): DeploymentRecord => ({
  id,
  entityRef: ENTITY_REF,
  version: `1.4.${id}`,
  commit: null,
  author: 'jane',
  startedAt: new Date(Date.now() - id * 3_600_000).toISOString(),
  finishedAt: null,
  status: 'succeeded',
  source: 'github-actions',
  url: null,
  labels: [],
  recordedBy: 'service:github-actions',
  recordedAt: new Date().toISOString(),
  ...overrides,
});

export const gate = (
  overrides: Partial<EntityGateResponse> = {},
): EntityGateResponse => ({
  entityRef: ENTITY_REF,
  current: current(),
  overrides: [],
  decisions: [],
  deployments: [],
  policyErrors: [],
  policiesLoadedAt: new Date().toISOString(),
  ...overrides,
});
