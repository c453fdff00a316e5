import { DEFAULT_DISCOVERY_SOURCES, DiscoverySource } from './DependencyDiscovery';
import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import {
  ServiceTier,
  TierDefaults,
  durationLikeMs,
  parsePrometheusDuration,
  schedulePeriodMs,
} from '@nthlayer/backstage-plugin-common';
import { readDefaultTimeZone, readTierDefaults } from '@nthlayer/backstage-plugin-generators';
import { DEFAULT_ENTITY_TTL_MS } from './EntityReader';
import type { ServiceFileLimits } from './ServiceFileReader';

/** @public */
export interface PrometheusInstanceConfig {
  name: string;
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  headers: Record<string, string>;
  /** Whether `/api/v1/rules` is asked for gzip-compressed (default false). */
  compressRules: boolean;
}

export interface NthlayerConfig {
  /** The first instance is the default. */
  prometheusInstances: PrometheusInstanceConfig[];
  budgets: {
    minRequestRate: number;
    retentionDays: number;
    timeZone: string;
    backfillStepMinutes: number;
  };
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The budget task's period; undefined for a cron or manual schedule. */
  schedulePeriodMs?: number;
  refresh: {
    /** Least time between two accepted manual refreshes (POST /v1/refresh). */
    minIntervalMs: number;
  };
  policies: {
    /** Files or URLs holding ReliabilityPolicy documents. */
    locations: Array<{ target: string }>;
    /** How often every replica re-reads them. */
    reloadFrequency: ReturnType<typeof readDurationFromConfig>;
  };
  gates: {
    /** Longest an override may last. */
    maxOverrideMs: number;
  };
  notifications: {
    /** Send gate and budget notifications through the notifications backend. */
    enabled: boolean;
  };
  cache: {
    /** How long a catalog answer is reused for the same caller and entity (0 = never). */
    entityTtlMs: number;
  };
  tiers: Record<ServiceTier, TierDefaults>;
  drift: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** Days of budget history the trend is fitted over. */
    trendDays: number;
  };
  ledger: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** How far back the first run reads 5-minute buckets (capped at each SLO's window). */
    lookbackDays: number;
    /** Episodes are kept this long after they end. */
    retentionDays: number;
    /** `deploy.recentHighImpact` looks this far back. */
    recentHighImpactDays: number;
  };
  /** Grafana instances for dashboard drift; the first is the default. Empty: not configured. */
  grafanaInstances: GrafanaInstanceConfig[];
  graph: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** Null when discovery from metrics is turned off. */
    discovery: { lookback: string; sources: DiscoverySource[] } | null;
  };
  /** Undefined without a token or webhook secret: PagerDuty is not configured. */
  pagerduty?: PagerDutyConfig;
  validation: {
    /** How far back a series counts as existing for `promql/series`. */
    lookback: { text: string; seconds: number };
    /** Scrape interval rate() ranges are checked against. */
    scrapeInterval: string;
  };
}

/** A Grafana instance (`nthlayer.grafana.instances[]`). */
export interface GrafanaInstanceConfig {
  name: string;
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

/** `nthlayer.pagerduty`. */
export interface PagerDutyConfig {
  /** Absent: only webhooks are accepted (no drift, apply or polling). */
  token?: string;
  baseUrl: string;
  from?: string;
  webhookSecrets: string[];
  scheduleUsers: Record<string, string>;
  incidentsSchedule: SchedulerServiceTaskScheduleDefinition;
  incidentsLookbackDays: number;
}

const DEFAULT_DRIFT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

const DEFAULT_INCIDENTS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 20 },
};

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
  const scheduleConfig = root.getOptionalConfig('schedule');
  const budgets = root.getOptionalConfig('budgets');
  const timeZone = readDefaultTimeZone(config);
  const schedule = scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : DEFAULT_SCHEDULE;
  return {
    prometheusInstances: readInstances(root.getConfig('prometheus')),
    budgets: {
      minRequestRate: budgets?.getOptionalNumber('minRequestRate') ?? 0.1,
      retentionDays: budgets?.getOptionalNumber('retentionDays') ?? 90,
      timeZone,
      backfillStepMinutes: budgets?.getOptionalNumber('backfillStepMinutes') ?? 60,
    },
    schedule,
    schedulePeriodMs: schedulePeriodMs(schedule.frequency),
    refresh: readRefresh(root.getOptionalConfig('refresh')),
    cache: readCache(root.getOptionalConfig('cache')),
    policies: readPolicies(root.getOptionalConfig('policies')),
    gates: readGates(root.getOptionalConfig('gates')),
    notifications: { enabled: root.getOptionalBoolean('notifications.enabled') ?? true },
    tiers: readTierDefaults(root.getOptionalConfig('tiers')),
    validation: readValidation(root.getOptionalConfig('validation')),
    drift: readDrift(root.getOptionalConfig('drift')),
    graph: readGraph(root.getOptionalConfig('graph')),
    ledger: readLedger(root.getOptionalConfig('ledger')),
    grafanaInstances: readGrafana(root.getOptionalConfig('grafana')),
    pagerduty: readPagerDuty(root.getOptionalConfig('pagerduty')),
  };
}

function readTaskSchedule(config: Config | undefined, key: string, fallback: SchedulerServiceTaskScheduleDefinition) {
  const c = config?.getOptionalConfig(key);
  return c ? readSchedulerServiceTaskScheduleDefinitionFromConfig(c) : fallback;
}

function positiveNumber(config: Config | undefined, key: string, path: string, fallback: number): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) throw new Error(`${path} must be a positive number, got ${value}`);
  return value;
}

function readDrift(config: Config | undefined): NthlayerConfig['drift'] {
  return {
    schedule: readTaskSchedule(config, 'schedule', DEFAULT_DRIFT_SCHEDULE),
    trendDays: positiveNumber(config, 'trendDays', 'nthlayer.drift.trendDays', 7),
  };
}

const DEFAULT_LEDGER_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 40 },
};

function readLedger(config: Config | undefined): NthlayerConfig['ledger'] {
  return {
    schedule: readTaskSchedule(config, 'schedule', DEFAULT_LEDGER_SCHEDULE),
    lookbackDays: positiveNumber(config, 'lookbackDays', 'nthlayer.ledger.lookbackDays', 30),
    retentionDays: positiveNumber(config, 'retentionDays', 'nthlayer.ledger.retentionDays', 90),
    recentHighImpactDays: positiveNumber(config, 'recentHighImpactDays', 'nthlayer.ledger.recentHighImpactDays', 7),
  };
}

const DEFAULT_GRAPH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

function readGraph(config: Config | undefined): NthlayerConfig['graph'] {
  const discovery = config?.getOptionalConfig('discovery');
  const lookback = discovery?.getOptionalString('lookback') ?? '7d';
  if (!/^\d+[mhdw]$/.test(lookback)) throw new Error(`nthlayer.graph.discovery.lookback must be a PromQL duration like 7d, got "${lookback}"`);
  const sources = discovery?.getOptionalConfigArray('sources')?.map(c => ({
    metric: c.getString('metric'),
    clientLabel: c.getString('clientLabel'),
    serverLabel: c.getString('serverLabel'),
  }));
  return {
    schedule: readTaskSchedule(config, 'schedule', DEFAULT_GRAPH_SCHEDULE),
    discovery: discovery?.getOptionalBoolean('enabled') === false ? null : { lookback, sources: sources ?? DEFAULT_DISCOVERY_SOURCES },
  };
}

function readGrafana(config: Config | undefined): GrafanaInstanceConfig[] {
  const instances: GrafanaInstanceConfig[] = [];
  for (const c of config?.getOptionalConfigArray('instances') ?? []) {
    const name = c.getString('name');
    if (instances.some(i => i.name === name)) {
      throw new Error(`nthlayer.grafana.instances: the name "${name}" is used twice`);
    }
    instances.push({
      name,
      baseUrl: c.getString('baseUrl').replace(/\/+$/, ''),
      token: c.getString('token'),
      timeoutMs: c.getOptionalNumber('timeoutMs') ?? 10_000,
    });
  }
  return instances;
}

function readPagerDuty(config: Config | undefined): PagerDutyConfig | undefined {
  const token = config?.getOptionalString('token');
  const webhookSecrets = config?.getOptionalStringArray('webhookSecrets') ?? [];
  if (!config || (!token && webhookSecrets.length === 0)) return undefined;
  const users = config.getOptionalConfig('scheduleUsers');
  return {
    token,
    baseUrl: (config.getOptionalString('baseUrl') ?? 'https://api.pagerduty.com').replace(/\/+$/, ''),
    from: config.getOptionalString('from'),
    webhookSecrets,
    scheduleUsers: Object.fromEntries((users?.keys() ?? []).map(k => [k, users!.getString(k)])),
    incidentsSchedule: readTaskSchedule(config, 'incidentsSchedule', DEFAULT_INCIDENTS_SCHEDULE),
    incidentsLookbackDays: positiveNumber(config, 'incidentsLookbackDays', 'nthlayer.pagerduty.incidentsLookbackDays', 30),
  };
}

function readRefresh(config: Config | undefined): NthlayerConfig['refresh'] {
  if (!config?.has('minInterval')) return { minIntervalMs: 60_000 };
  const minIntervalMs = durationLikeMs(readDurationFromConfig(config, { key: 'minInterval' }));
  if (!(minIntervalMs >= 0)) {
    throw new Error('nthlayer.refresh.minInterval must be a duration such as { minutes: 1 } or 1m');
  }
  return { minIntervalMs };
}

function readGates(config: Config | undefined): NthlayerConfig['gates'] {
  if (!config?.has('maxOverrideDuration')) return { maxOverrideMs: 72 * 3_600_000 };
  const maxOverrideMs = durationLikeMs(readDurationFromConfig(config, { key: 'maxOverrideDuration' }));
  if (!(maxOverrideMs > 0)) {
    throw new Error('nthlayer.gates.maxOverrideDuration must be a positive duration such as { hours: 72 }');
  }
  return { maxOverrideMs };
}

function readPolicies(config: Config | undefined): NthlayerConfig['policies'] {
  const locations = readLocations(config);
  const reloadFrequency = config?.has('reloadFrequency')
    ? readDurationFromConfig(config, { key: 'reloadFrequency' })
    : { minutes: 5 };
  return { locations, reloadFrequency };
}

function readLocations(policies: Config | undefined): NthlayerConfig['policies']['locations'] {
  return (policies?.getOptionalConfigArray('locations') ?? []).map(l => ({ target: l.getString('target') }));
}

/**
 * `nthlayer.policies.locations` of the root config as it is now: the policy reload reads it
 * every time, so a location added to or removed from a live-reloaded config takes effect.
 */
export function readPolicyLocations(rootConfig: Config): NthlayerConfig['policies']['locations'] {
  return readLocations(rootConfig.getOptionalConfig('nthlayer.policies'));
}

function readCache(config: Config | undefined): NthlayerConfig['cache'] {
  if (!config?.has('entityTtl')) return { entityTtlMs: DEFAULT_ENTITY_TTL_MS };
  const raw = config.get('entityTtl');
  const invalid = (reason?: string) =>
    new Error(
      `nthlayer.cache.entityTtl must be a duration from 0 to 5 minutes, such as { seconds: 10 } or 10s (0 turns the cache off), got ${JSON.stringify(raw)}${reason ? `: ${reason}` : ''}`,
    );
  let entityTtlMs: number;
  if (raw === 0) {
    // A plain 0 needs no unit: "0 turns it off" is what the docs say.
    entityTtlMs = 0;
  } else {
    try {
      entityTtlMs = durationLikeMs(readDurationFromConfig(config, { key: 'entityTtl' }));
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  if (!(entityTtlMs >= 0) || entityTtlMs > 300_000) throw invalid();
  return { entityTtlMs };
}

function readValidation(config: Config | undefined): NthlayerConfig['validation'] {
  const lookback = config?.getOptionalString('lookback') ?? '1d';
  // Prometheus durations, not Backstage ones: the same strings as `nthlayer lint --lookback`
  // and `--scrape-interval`, and scrapeInterval goes to lintRuleFile as written.
  const lookbackMs = parsePrometheusDuration(lookback, { numberAsSeconds: true });
  if (!lookbackMs) {
    throw new Error(`nthlayer.validation.lookback must be a Prometheus duration such as 6h or 1d, got "${lookback}"`);
  }
  const scrapeInterval = config?.getOptionalString('scrapeInterval') ?? '30s';
  if (!parsePrometheusDuration(scrapeInterval, { numberAsSeconds: true })) {
    throw new Error(`nthlayer.validation.scrapeInterval must be a Prometheus duration such as 30s, got "${scrapeInterval}"`);
  }
  return { lookback: { text: lookback, seconds: lookbackMs / 1000 }, scrapeInterval };
}

function readHeaders(config: Config | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of config?.keys() ?? []) headers[key] = config!.getString(key);
  return headers;
}

function readInstances(prometheus: Config): PrometheusInstanceConfig[] {
  const timeoutMs = prometheus.getOptionalNumber('timeoutMs') ?? 30_000;
  const retries = prometheus.getOptionalNumber('retries') ?? 2;
  const compressRules = prometheus.getOptionalBoolean('compressRules') ?? false;
  const instances: PrometheusInstanceConfig[] = [];
  const baseUrl = prometheus.getOptionalString('baseUrl');
  if (baseUrl) {
    instances.push({
      name: 'default',
      baseUrl: baseUrl.replace(/\/+$/, ''),
      timeoutMs,
      retries,
      headers: readHeaders(prometheus.getOptionalConfig('headers')),
      compressRules,
    });
  }
  for (const c of prometheus.getOptionalConfigArray('instances') ?? []) {
    const name = c.getString('name');
    if (instances.some(i => i.name === name)) {
      throw new Error(`nthlayer.prometheus.instances: the name "${name}" is used twice`);
    }
    instances.push({
      name,
      baseUrl: c.getString('baseUrl').replace(/\/+$/, ''),
      timeoutMs: c.getOptionalNumber('timeoutMs') ?? timeoutMs,
      retries,
      headers: readHeaders(c.getOptionalConfig('headers')),
      compressRules: c.getOptionalBoolean('compressRules') ?? compressRules,
    });
  }
  if (!instances.length) {
    throw new Error('nthlayer.prometheus needs a baseUrl or at least one entry in instances');
  }
  return instances;
}

/**
 * Reads `nthlayer.serviceFiles` (size cap and read timeout of service files); absent keys
 * keep the defaults of {@link ServiceFileReader}.
 */
export function readServiceFileLimits(config: Config): Partial<ServiceFileLimits> {
  const files = config.getOptionalConfig('nthlayer.serviceFiles');
  if (!files) return {};
  const maxBytes = files.getOptionalNumber('maxBytes');
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0)) {
    throw new Error(`nthlayer.serviceFiles.maxBytes must be a positive integer, got ${maxBytes}`);
  }
  return {
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(files.has('timeout')
      ? { timeoutMs: durationLikeMs(readDurationFromConfig(files, { key: 'timeout' })) }
      : {}),
  };
}
