import {
  AttributedEpisode,
  DeploymentImpactResponse,
  EntityLedgerResponse,
  EpisodeDeployCandidate,
  LedgerDeployment,
  LedgerIncident,
  LedgerSlo,
  LedgerTopCause,
} from '@nthlayer/backstage-plugin-common';

/**
 * Test fixtures for the budget ledger of `component:default/checkout-api`, shaped as the
 * backend's `LedgerService` answers: availability 99.9 % over 30 d (budget 43.2 min) with three
 * episodes in January 2026 (inside the burn-down of `history()` of the SLO card's fixtures),
 * latency 95 % (budget 2160 min) with none.
 */

export const ENTITY_REF = 'component:default/checkout-api';

/** v4.18.0 of the service, 12 minutes before the big burn. */
export const deploy: LedgerDeployment = {
  id: 7,
  entityRef: ENTITY_REF,
  version: 'v4.18.0',
  commit: 'abc123',
  author: 'alice',
  startedAt: '2026-01-28T09:58:00.000Z',
  status: 'rolled_back',
  labels: [],
  url: 'https://ci.example.com/runs/7',
};

export const incident: LedgerIncident = {
  id: 'PABC123',
  entityRef: ENTITY_REF,
  number: '1234',
  title: 'Checkout errors',
  urgency: 'high',
  priority: 'P1',
  url: 'https://example.pagerduty.com/incidents/PABC123',
  createdAt: '2026-01-28T10:20:00.000Z',
  resolvedAt: '2026-01-28T11:50:00.000Z',
};

/** 0.2 h before: proximity 0.48; the service itself: 0.3; 2 of 4 earlier followed: 0.1. */
export const candidate: EpisodeDeployCandidate = {
  deployment: deploy,
  minutesBeforeBurn: 12,
  confidence: {
    score: 0.88,
    level: 'high',
    factors: {
      proximity: { score: 0.48, hours: 0.2 },
      dependency: { score: 0.3, relation: 'self', depth: 0 },
      history: { score: 0.1, earlier: 4, followed: 2 },
    },
  },
};

/** The deploy's burn: 28 minutes of availability budget. */
export const deployEpisode: AttributedEpisode = {
  sloName: 'availability',
  start: '2026-01-28T10:10:00.000Z',
  end: '2026-01-28T11:40:00.000Z',
  ongoing: false,
  badEvents: 6_480,
  totalEvents: 10_000,
  peakBurnRate: 14.4,
  burnedMinutes: 28,
  clipped: false,
  cause: {
    source: 'deployments',
    key: 'deployment:7',
    label: 'deploy v4.18.0',
    entityRef: ENTITY_REF,
    confidence: { score: 0.88, level: 'high' },
    reason: 'started 12 min before the burn began; confidence 0.88 (high)',
  },
  deployments: [candidate],
  incidents: [{ incident, relation: 'self', depth: 0, minutesAfterBurn: 10 }],
  dependencies: [],
};

/** The newest episode: nothing to pin it on. */
export const unattributedEpisode: AttributedEpisode = {
  sloName: 'availability',
  start: '2026-01-29T08:00:00.000Z',
  end: '2026-01-29T08:30:00.000Z',
  ongoing: false,
  badEvents: 370,
  totalEvents: 10_000,
  peakBurnRate: 3.2,
  burnedMinutes: 1.6,
  clipped: false,
  cause: {
    source: 'unattributed',
    key: 'unattributed',
    label: 'unattributed',
    entityRef: null,
    confidence: null,
    reason:
      'no deploy of medium or high confidence, no dependency burning, no incident open',
  },
  deployments: [],
  incidents: [],
  dependencies: [],
};

/** A database dependency burning alongside. */
export const dependencyEpisode: AttributedEpisode = {
  sloName: 'availability',
  start: '2026-01-20T03:00:00.000Z',
  end: '2026-01-20T03:45:00.000Z',
  ongoing: false,
  badEvents: 555,
  totalEvents: 10_000,
  peakBurnRate: 2.5,
  burnedMinutes: 2.4,
  clipped: false,
  cause: {
    source: 'dependencies',
    key: 'component:default/payments-db',
    label: 'component:default/payments-db',
    entityRef: 'component:default/payments-db',
    confidence: null,
    reason: 'the dependency burned its own budget for 40 min of it',
  },
  deployments: [],
  incidents: [],
  dependencies: [
    {
      entityRef: 'component:default/payments-db',
      depth: 1,
      overlapMinutes: 40,
      sloNames: ['availability'],
    },
  ],
};

export const availabilityLedger = (
  overrides: Partial<LedgerSlo> = {},
): LedgerSlo => ({
  sloName: 'availability',
  targetPercent: 99.9,
  windowMinutes: 43_200,
  budgetMinutes: 43.2,
  consumedMinutes: 34.6,
  burned: {
    deployments: 28,
    incidents: 0,
    dependencies: 2.4,
    unattributed: 1.6,
    baseline: 2.6,
  },
  // Newest first, as the backend orders them.
  episodes: [unattributedEpisode, deployEpisode, dependencyEpisode],
  ...overrides,
});

export const latencyLedger = (
  overrides: Partial<LedgerSlo> = {},
): LedgerSlo => ({
  sloName: 'latency',
  targetPercent: 95,
  windowMinutes: 43_200,
  budgetMinutes: 2_160,
  consumedMinutes: 5,
  burned: {
    deployments: 0,
    incidents: 0,
    dependencies: 0,
    unattributed: 0,
    baseline: 5,
  },
  episodes: [],
  ...overrides,
});

const topCause = (
  episode: AttributedEpisode,
  episodes = 1,
): LedgerTopCause => ({
  ...episode.cause,
  sloName: episode.sloName,
  burnedMinutes: episode.burnedMinutes,
  episodes,
});

export const ledgerResponse = (
  overrides: Partial<EntityLedgerResponse> = {},
): EntityLedgerResponse => ({
  entityRef: ENTITY_REF,
  window: '30d',
  windowMinutes: 43_200,
  from: '2026-01-01T00:00:00.000Z',
  computedAt: '2026-01-31T00:00:00.000Z',
  slos: [availabilityLedger(), latencyLedger()],
  topCauses: [
    topCause(deployEpisode),
    topCause(dependencyEpisode),
    topCause(unattributedEpisode),
  ],
  // 1.6 of 32 episode minutes.
  unattributedRatio: 0.05,
  deployments: [
    {
      deployment: deploy,
      impact: 'high',
      confidence: { score: 0.88, level: 'high' },
      burnedMinutes: 28,
      episodes: 1,
    },
  ],
  ...overrides,
});

/** Before the ledger task first ran for the entity. */
export const notComputed = (): EntityLedgerResponse =>
  ledgerResponse({
    computedAt: null,
    slos: [
      availabilityLedger({
        burned: {
          deployments: 0,
          incidents: 0,
          dependencies: 0,
          unattributed: 0,
          baseline: null,
        },
        episodes: [],
      }),
    ],
    topCauses: [],
    unattributedRatio: null,
    deployments: [],
  });

export const impactResponse = (
  overrides: Partial<DeploymentImpactResponse> = {},
): DeploymentImpactResponse => ({
  entityRef: ENTITY_REF,
  deployment: deploy,
  impact: 'high',
  confidence: { score: 0.88, level: 'high' },
  burnedMinutes: 28,
  episodes: 1,
  attributed: [{ entityRef: ENTITY_REF, episode: deployEpisode }],
  timeline: [
    {
      at: '2026-01-28T09:58:00.000Z',
      kind: 'deploy-started',
      label: 'v4.18.0 deployed to component:default/checkout-api',
    },
    {
      at: '2026-01-28T10:10:00.000Z',
      kind: 'burn-began',
      label: 'component:default/checkout-api availability burning (peak 14.4×)',
    },
    {
      at: '2026-01-28T10:20:00.000Z',
      kind: 'incident-opened',
      label: '#1234 Checkout errors on component:default/checkout-api',
    },
    {
      at: '2026-01-28T11:20:00.000Z',
      kind: 'rollback',
      label: 'v4.17.2 deployed (rollback)',
    },
    {
      at: '2026-01-28T11:40:00.000Z',
      kind: 'recovered',
      label: 'burn back at or below the sustainable pace',
    },
    {
      at: '2026-01-28T11:50:00.000Z',
      kind: 'incident-resolved',
      label: '#1234 resolved',
    },
  ],
  ...overrides,
});
