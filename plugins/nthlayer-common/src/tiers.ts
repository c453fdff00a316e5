import { ServiceTier } from './types';

/** Defaults for one tier; every value may be overridden in app-config `nthlayer.tiers`. @public */
export interface TierDefaults {
  availabilityPercent: number;
  /** A latency objective as in the annotation, e.g. `p95<500ms`. */
  latency: string;
  /** A rolling window, e.g. `30d`. */
  window: string;
}

/** DESIGN §2 tier defaults. @public */
export const DEFAULT_TIERS: Record<ServiceTier, TierDefaults> = {
  1: { availabilityPercent: 99.9, latency: 'p95<500ms', window: '30d' },
  2: { availabilityPercent: 99.5, latency: 'p95<1000ms', window: '30d' },
  3: { availabilityPercent: 99.0, latency: 'p95<2000ms', window: '30d' },
};

const TIER_ALIASES: Record<string, ServiceTier> = {
  '1': 1,
  '2': 2,
  '3': 3,
  'tier-1': 1,
  'tier-2': 2,
  'tier-3': 3,
  critical: 1,
  standard: 2,
  low: 3,
};

/** @public */
export const ACCEPTED_TIERS = '1, 2, 3 (or critical, standard, low)';

/** Parses a tier annotation value; undefined when not recognised. @public */
export function parseTier(value: string): ServiceTier | undefined {
  return TIER_ALIASES[value.trim().toLowerCase()];
}
