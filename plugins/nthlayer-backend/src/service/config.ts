import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DEFAULT_TIERS,
  ServiceTier,
  TierDefaults,
  parseLatencyObjective,
  parseSloWindow,
} from '@internal/plugin-nthlayer-common';

/** @public */
export interface NthlayerConfig {
  prometheus: {
    baseUrl: string;
    timeoutMs: number;
    headers: Record<string, string>;
  };
  schedule: SchedulerServiceTaskScheduleDefinition;
  tiers: Record<ServiceTier, TierDefaults>;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 10 },
};

/**
 * Reads `nthlayer.*` from app-config. Invalid tier overrides fail start-up with a
 * message naming the key: they are the platform team's config, not one entity's.
 */
export function readNthlayerConfig(config: Config): NthlayerConfig {
  const root = config.getConfig('nthlayer');
  const prometheus = root.getConfig('prometheus');
  const headersConfig = prometheus.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const key of headersConfig?.keys() ?? []) {
    headers[key] = headersConfig!.getString(key);
  }
  const scheduleConfig = root.getOptionalConfig('schedule');
  return {
    prometheus: {
      baseUrl: prometheus.getString('baseUrl').replace(/\/+$/, ''),
      timeoutMs: prometheus.getOptionalNumber('timeoutMs') ?? 30_000,
      headers,
    },
    schedule: scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_SCHEDULE,
    tiers: readTiers(root.getOptionalConfig('tiers')),
  };
}

function readTiers(tiers: Config | undefined): Record<ServiceTier, TierDefaults> {
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
    if (window !== undefined && !parseSloWindow(window)) {
      throw new Error(`${key}.window must look like 30d, got "${window}"`);
    }
    result[tier] = {
      availabilityPercent: availability ?? result[tier].availabilityPercent,
      latency: latency ?? result[tier].latency,
      window: window ?? result[tier].window,
    };
  }
  return result;
}
