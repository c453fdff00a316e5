import { Entity } from '@backstage/catalog-model';
import {
  EntitySlosResponse,
  SloReport,
} from '@internal/plugin-nthlayer-common';

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

export const availability = (
  overrides: Partial<SloReport> = {},
): SloReport => ({
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
  ...overrides,
});

export const latency = (overrides: Partial<SloReport> = {}): SloReport => ({
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
    slos: [],
  },
  findings: [],
  slos: [availability()],
  ...overrides,
});
