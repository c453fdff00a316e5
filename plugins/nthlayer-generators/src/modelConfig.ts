import type { Config } from '@backstage/config';
import {
  DEFAULT_TIERS,
  ServiceModelOptions,
  ServiceTier,
  TierDefaults,
  isValidTimeZone,
  parseLatencyObjective,
  parseSloWindow,
} from '@nthlayer/backstage-plugin-common';

/**
 * Tier defaults: {@link @nthlayer/backstage-plugin-common#DEFAULT_TIERS} with app-config
 * `nthlayer.tiers` applied. An invalid override throws with a message naming its key: it is
 * the platform team's config, not one entity's, so it fails start-up.
 *
 * @public
 */
export function readTierDefaults(tiers: Config | undefined): Record<ServiceTier, TierDefaults> {
  const result = { ...DEFAULT_TIERS };
  for (const tier of [1, 2, 3] as ServiceTier[]) {
    const c = tiers?.getOptionalConfig(String(tier));
    if (!c) continue;
    const key = `nthlayer.tiers.${tier}`;
    const availability = c.getOptionalNumber('availability');
    if (availability !== undefined && !(availability > 0 && availability < 100)) {
      throw new Error(`${key}.availability must be > 0 and < 100, got ${availability}`);
    }
    const latency = c.getOptionalString('latency');
    if (latency !== undefined && !parseLatencyObjective(latency)) {
      throw new Error(`${key}.latency must look like p95<500ms, got "${latency}"`);
    }
    const window = c.getOptionalString('window');
    if (window !== undefined && !parseSloWindow(window) && !/^1[MQW]$/.test(window)) {
      throw new Error(`${key}.window must look like 30d or 1M, got "${window}"`);
    }
    result[tier] = {
      availabilityPercent: availability ?? result[tier].availabilityPercent,
      latency: latency ?? result[tier].latency,
      window: window ?? result[tier].window,
    };
  }
  return result;
}

/** `nthlayer.budgets.timeZone`, `UTC` by default; throws on a name that is not an IANA zone. @public */
export function readDefaultTimeZone(config: Config): string {
  const timeZone = config.getOptionalString('nthlayer.budgets.timeZone') ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    throw new Error(`nthlayer.budgets.timeZone must be an IANA time zone, got "${timeZone}"`);
  }
  return timeZone;
}

/**
 * The service model options the NthLayer backend defines services with, read from the same
 * app-config keys (`nthlayer.tiers`, `nthlayer.budgets.timeZone`, the names of
 * `nthlayer.prometheus`): other plugins' modules (the scaffolder's) generate exactly what the
 * backend generates. Without `nthlayer` config the built-in tier defaults apply.
 *
 * @public
 */
export function readServiceModelOptions(config: Config): ServiceModelOptions {
  const prometheus = config.getOptionalConfig('nthlayer.prometheus');
  const names = [
    ...(prometheus?.getOptionalString('baseUrl') ? ['default'] : []),
    ...(prometheus?.getOptionalConfigArray('instances') ?? []).map(c => c.getString('name')),
  ];
  return {
    tiers: readTierDefaults(config.getOptionalConfig('nthlayer.tiers')),
    defaultTimeZone: readDefaultTimeZone(config),
    ...(names.length ? { prometheusInstances: names } : {}),
  };
}
