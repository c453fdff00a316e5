import { Entity } from '@backstage/catalog-model';
import {
  BURN_RATE_WINDOWS,
  BurnRate,
  EntitySloReport,
  EntitySlosResponse,
  SloHistoryResponse,
  SloSparkline,
} from '@nthlayer/backstage-plugin-common';

/** Test fixtures for the SLO card; numbers follow DESIGN §3 for 99.9 % over 30 d. */

export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

export const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { 'nthlayer.dev/tier': '1' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

/** Burn rates per window (5m … 3d); windows not given are 0. */
export const burnRates = (
  rates: Partial<Record<string, number | null>> = {},
): BurnRate[] =>
  BURN_RATE_WINDOWS.map(window => ({
    window,
    burnRate: rates[window] === undefined ? 0 : rates[window]!,
  }));

/** A sparkline with no points (not drawn); pass `points` to draw one. */
export const sparkline = (
  points: SloSparkline['points'] = [],
): SloSparkline => ({ window: '30d', step: 43_200, points });

export const availability = (
  overrides: Partial<EntitySloReport> = {},
): EntitySloReport => ({
  sparkline: sparkline(),
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: '30d',
  sli: 99.985,
  goodEvents: 999_850,
  totalEvents: 1_000_000,
  // e = 0.00015 → consumed 6.48 of 43.2 min, 85 % left
  errorBudget: {
    totalMinutes: 43.2,
    consumedMinutes: 6.48,
    remainingMinutes: 36.72,
    remainingRatio: 0.85,
  },
  status: 'healthy',
  updatedAt: minutesAgo(5),
  stale: false,
  // 1 h burn 0.5 → 0.85 × 43,200 / 0.5 = 73,440 min ≈ 51 days
  burnRates: burnRates({ '5m': 0.4, '30m': 0.5, '1h': 0.5 }),
  timeToExhaustionMinutes: 73_440,
  eventRate: 12.5,
  lowTraffic: false,
  explanation:
    '150 of 1.0M events failed in the 30d window (0.0150 %, allowed 0.1 %): 15.0 % of the error budget is spent.',
  ...overrides,
});

export const latency = (
  overrides: Partial<EntitySloReport> = {},
): EntitySloReport => ({
  sparkline: sparkline(),
  name: 'latency',
  kind: 'latency',
  targetPercent: 95,
  window: '30d',
  latency: { percentile: 95, thresholdMs: 500 },
  sli: 95.75,
  goodEvents: 957_500,
  totalEvents: 1_000_000,
  // e = 0.0425 → consumed 1836 of 2160 min, 15 % left
  errorBudget: {
    totalMinutes: 2160,
    consumedMinutes: 1836,
    remainingMinutes: 324,
    remainingRatio: 0.15,
  },
  status: 'warning',
  updatedAt: minutesAgo(5),
  stale: false,
  // 1 h burn 2 → 0.15 × 43,200 / 2 = 3,240 min = 2.25 days
  burnRates: burnRates({ '5m': 2.2, '30m': 2.1, '1h': 2, '2h': 1.8 }),
  timeToExhaustionMinutes: 3_240,
  eventRate: 12.5,
  lowTraffic: false,
  explanation:
    '42.5k of 1.0M events slower than the threshold in the 30d window (4.25 %, allowed 5 %): 85.0 % of the error budget is spent.',
  ...overrides,
});

export const response = (
  overrides: Partial<EntitySlosResponse> = {},
): EntitySlosResponse => ({
  entityRef: 'component:default/checkout-api',
  service: {
    entityRef: 'component:default/checkout-api',
    name: 'checkout-api',
    tier: 1,
    type: 'api',
    dependsOn: [],
    selector: 'service="checkout-api"',
    defaultSelector: true,
    prometheusInstance: 'default',
    slos: [],
  },
  findings: [],
  slos: [availability()],
  ...overrides,
});

const DAY_MS = 24 * 3600_000;

/**
 * Budget history of the availability SLO: 30 daily points from 100 % down to `last` %
 * (linear), ending now.
 */
export const history = (
  overrides: Partial<SloHistoryResponse> = {},
  last = 85,
): SloHistoryResponse => {
  const to = Date.parse('2026-01-31T00:00:00Z');
  const from = to - 30 * DAY_MS;
  const points = Array.from({ length: 31 }, (_, day) => {
    const remainingRatio = (100 - ((100 - last) * day) / 30) / 100;
    return {
      time: new Date(from + day * DAY_MS).toISOString(),
      goodEvents: 999_850,
      totalEvents: 1_000_000,
      sli: 99.985,
      remainingRatio,
      remainingMinutes: remainingRatio * 43.2,
    };
  });
  return {
    entityRef: 'component:default/checkout-api',
    slo: 'availability',
    targetPercent: 99.9,
    window: '30d',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    step: 86_400,
    points,
    ...overrides,
  };
};

/** The sparkline of a history (its points' time and remaining ratio). */
export const sparklineOf = (h: SloHistoryResponse): SloSparkline =>
  sparkline(
    h.points.map(p => ({ time: p.time, remainingRatio: p.remainingRatio })),
  );
