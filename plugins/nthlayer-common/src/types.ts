import type { CustomSli } from './sli/custom';
import type { SliCandidate, SliIntent, SliPresetId } from './sli/intents';
/** @public */
export type ServiceTier = 1 | 2 | 3;

/** @public */
export type ServiceType = 'api' | 'worker' | 'stream';

/** @public */
export type SloKind = 'availability' | 'latency';

/**
 * A problem with an entity's NthLayer declaration. Findings never stop other entities.
 *
 * @public
 */
export interface Finding {
  severity: 'error' | 'warning';
  /** The annotation (or config key) the finding is about. */
  annotation: string;
  /** The offending value, verbatim. */
  value: string;
  /** What is accepted instead. */
  accepted: string;
  /** A one-line, actionable message. */
  message: string;
}

/**
 * An SLO window: rolling (`30d`, `28d`, `7d`) or calendar-aligned (`1M` a calendar month,
 * `1Q` a quarter, `1W` an ISO week) in a time zone.
 *
 * @public
 */
export interface SloWindow {
  /** As written, e.g. `30d` or `1M`. For rolling windows also a valid PromQL duration. */
  text: string;
  /** Length in minutes; for calendar windows the length of a 30-day month (nominal). */
  minutes: number;
  /** Present for calendar windows. */
  calendar?: { unit: 'month' | 'quarter' | 'week'; timeZone: string };
}

/** @public */
export interface LatencyThreshold {
  /** Percentile, e.g. 95 for p95. */
  percentile: number;
  thresholdMs: number;
}

/** One service level objective of a service. @public */
export interface SloDefinition {
  /** Stable name within the service: `availability` or `latency`. */
  name: string;
  kind: SloKind;
  /** Target in percent, e.g. 99.9. */
  targetPercent: number;
  window: SloWindow;
  /** Only for latency SLOs. */
  latency?: LatencyThreshold;
  /**
   * Where the target came from (`service-file`: the NthLayer service.yaml of the entity;
   * `openslo`: an OpenSLO document of `nthlayer.dev/openslo`).
   */
  source: 'tier-default' | 'annotation' | 'service-file' | 'openslo';
  /**
   * The SLO's own good (or bad) and total counters, from a service file or an OpenSLO
   * document; takes precedence over the service's `customSli` and the resolved family.
   */
  customSli?: CustomSli;
}

/** The NthLayer view of one catalog entity. @public */
export interface NthlayerService {
  /** Full entity ref, e.g. `component:default/checkout-api`. */
  entityRef: string;
  name: string;
  tier: ServiceTier;
  type: ServiceType;
  /** Owner entity ref, if declared. */
  owner?: string;
  /** Entity refs this service depends on (from the catalog's relations). */
  dependsOn: string[];
  /** PromQL label matchers, without braces, e.g. `service="checkout-api"`. */
  selector: string;
  /** True when the selector is `service="<metadata.name>"` (eligible for batched queries). */
  defaultSelector: boolean;
  /** Name of the configured Prometheus instance that holds the service's series. */
  prometheusInstance: string;
  runbookUrl?: string;
  /** The metric preset `nthlayer.dev/sli-preset` pins (otherwise the resolver picks). */
  sliPreset?: SliPresetId;
  /**
   * The metric family each intent is measured from, when resolved against Prometheus (the
   * backend sets it); without it, this project's convention.
   */
  sli?: Partial<Record<SliIntent, SliCandidate>>;
  /** The availability SLI from the entity's own queries (`nthlayer.dev/sli-good|bad|total`). */
  customSli?: CustomSli;
  slos: SloDefinition[];
}

/** @public */
export type SloStatus =
  | 'healthy'
  | 'warning'
  | 'critical'
  | 'exhausted'
  | 'no-data'
  | 'pending';

/** Error budget of one SLO over its window, in minutes. @public */
export interface ErrorBudget {
  totalMinutes: number;
  consumedMinutes: number;
  remainingMinutes: number;
  remainingRatio: number;
}

/** The measured state of one SLO, as served by `GET .../slos`. @public */
export interface SloReport {
  name: string;
  kind: SloKind;
  targetPercent: number;
  window: string;
  latency?: LatencyThreshold;
  /** Measured SLI in percent over the window, null without data. */
  sli: number | null;
  goodEvents: number | null;
  totalEvents: number | null;
  errorBudget: ErrorBudget | null;
  status: SloStatus;
  /** When the numbers were last computed (ISO 8601), null if never. */
  updatedAt: string | null;
  /** True when the last refresh failed and these numbers are older. */
  stale: boolean;
  /** Why the numbers are stale or missing. */
  error?: string;
  /** Burn rates over the standard windows (5m … 3d); null without traffic in that window. */
  burnRates: BurnRate[];
  /** Minutes until the budget is spent at the 1 h burn rate; null when not burning or no data. */
  timeToExhaustionMinutes: number | null;
  /** Events per second over the last hour, null if unknown. */
  eventRate: number | null;
  /** Below `nthlayer.budgets.minRequestRate`: burn rates are noise and never page. */
  lowTraffic: boolean;
  /** One or two sentences explaining the status, for humans. */
  explanation: string;
}

/** The burn rate over one window. @public */
export interface BurnRate {
  window: string;
  burnRate: number | null;
}

/** One point of an SLO's budget history. @public */
export interface SloHistoryPoint {
  time: string;
  goodEvents: number;
  totalEvents: number;
  sli: number | null;
  remainingRatio: number | null;
  remainingMinutes: number | null;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/slos/{slo}/history`. @public */
export interface SloHistoryResponse {
  entityRef: string;
  slo: string;
  targetPercent: number;
  window: string;
  from: string;
  to: string;
  /** Step between points in seconds. */
  step: number;
  points: SloHistoryPoint[];
}

/** Health of one configured Prometheus-compatible source. @public */
export interface PrometheusInstanceHealth {
  name: string;
  baseUrl: string;
  status: 'up' | 'down' | 'unknown';
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  queries: number;
}

/** The error budget remaining over an SLO's window, thinned for a sparkline. @public */
export interface SloSparkline {
  /** The SLO window, e.g. `30d`. */
  window: string;
  /** Seconds between points: the last snapshot of each step is kept. */
  step: number;
  points: Array<{ time: string; remainingRatio: number | null }>;
}

/** An SLO report as `GET .../slos` serves it: with its sparkline, so a card needs one request. @public */
export interface EntitySloReport extends SloReport {
  sparkline: SloSparkline;
  /**
   * The metric family the SLO is measured from, as the budget task last resolved it (absent
   * before the first refresh): e.g. `http_server_request_duration_seconds_count`,
   * OpenTelemetry HTTP. `found: false` when no candidate had series (then the convention's
   * metric is queried and `tried` lists what was looked for).
   */
  measuredFrom?: {
    preset: SliPresetId;
    title: string;
    metric: string;
    found: boolean;
    pinned: boolean;
    tried: Array<{ preset: SliPresetId; metric: string; selector: string; found: boolean }>;
  };
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/slos`. @public */
export interface EntitySlosResponse {
  entityRef: string;
  service: NthlayerService | null;
  findings: Finding[];
  slos: EntitySloReport[];
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/history`: every SLO's history. @public */
export interface EntityHistoryResponse {
  entityRef: string;
  slos: SloHistoryResponse[];
  /** The entity's deployments started in the range of the first SLO's history, oldest first. */
  deployments: DeploymentRecord[];
}

/** Where a deployment is. @public */
export type DeploymentStatus = 'started' | 'succeeded' | 'failed' | 'rolled_back';

/** A deployment as CI/CD reported it (`POST /v1/deployments`). @public */
export interface DeploymentRecord {
  id: number;
  entityRef: string;
  version: string;
  commit: string | null;
  author: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: DeploymentStatus;
  /** What reported it, e.g. `github-actions`, `argocd`. */
  source: string;
  /** A link to the pipeline run or release. */
  url: string | null;
  labels: string[];
  /** The caller that reported it (user ref or `service:<subject>`). */
  recordedBy: string;
  recordedAt: string;
}

/** One generated artifact as listed by `GET .../artifacts` (the content is fetched by id). @public */
export interface ArtifactSummary {
  /** Stable id within the entity, used in `GET .../artifacts/{id}`. */
  id: string;
  /** `prometheus-rules`, `technology-alerts`, `openslo`, `grafana-dashboard` or `pagerduty`. */
  kind: string;
  /** Relative path when written to disk or zipped. */
  filename: string;
  mediaType: 'application/yaml' | 'application/json';
  /** What the artifact is for and where it goes. */
  description: string;
  /** Size of the content in bytes (UTF-8). */
  size: number;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/artifacts`. @public */
export interface EntityArtifactsResponse {
  entityRef: string;
  artifacts: ArtifactSummary[];
  findings: Finding[];
}

/** One problem a check found in a generated rule file. @public */
export interface ArtifactCheckFinding {
  /** pint-style check name, e.g. `promql/rate`, `promql/series`. */
  check: string;
  severity: 'error' | 'warning';
  message: string;
  /** Rule group and rule (`record` or `alert` name), when the finding is about a rule. */
  group?: string;
  rule?: string;
  /** 1-based line in the artifact. */
  line?: number;
}

/** The checks of one generated rule file. @public */
export interface ArtifactValidation {
  id: string;
  filename: string;
  findings: ArtifactCheckFinding[];
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/artifacts/validation`. @public */
export interface EntityArtifactsValidationResponse {
  entityRef: string;
  checkedAt: string;
  /** The Prometheus the `promql/series` check asked (the entity's instance). */
  prometheus: {
    instance: string;
    /** `checked`: series were looked up; `unreachable`: only the offline checks ran. */
    status: 'checked' | 'unreachable';
    /** How far back a series counts as existing, e.g. `1d`. */
    lookback: string;
    error?: string;
  };
  /** Every rule artifact (SLO rules, technology alerts), clean ones with no findings. */
  artifacts: ArtifactValidation[];
}
