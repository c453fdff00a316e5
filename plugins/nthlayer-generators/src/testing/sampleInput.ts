// A sample service for the generator tests (not exported by the package).
import { NthlayerService, SloDefinition } from '@nthlayer/backstage-plugin-common';
import { DependencyInput, GeneratorInput } from '../types';

/** 99.9 % availability over 30 days, from the tier default. */
export const SAMPLE_AVAILABILITY: SloDefinition = {
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: { text: '30d', minutes: 43200 },
  source: 'tier-default',
};

/** 95 % of requests under 500 ms (target 99 %) over `window`. */
export function sampleLatency(
  source: SloDefinition['source'] = 'tier-default',
  window = { text: '30d', minutes: 43200 },
): SloDefinition {
  return {
    name: 'latency',
    kind: 'latency',
    targetPercent: 99,
    window,
    latency: { percentile: 95, thresholdMs: 500 },
    source,
  };
}

/** A tier-1 api `checkout-api` of team-payments, with `slos` and overrides applied. */
export function sampleInput(
  overrides: Partial<NthlayerService> = {},
  dependencies: DependencyInput[] = [],
  slos: SloDefinition[] = [SAMPLE_AVAILABILITY, sampleLatency()],
): GeneratorInput {
  const name = overrides.name ?? 'checkout-api';
  return {
    service: {
      entityRef: `component:default/${name}`,
      name,
      tier: 1,
      type: 'api',
      owner: 'group:default/team-payments',
      dependsOn: [],
      selector: `service="${name}"`,
      defaultSelector: true,
      prometheusInstance: 'default',
      slos,
      ...overrides,
    },
    team: 'team-payments',
    dependencies,
  };
}
