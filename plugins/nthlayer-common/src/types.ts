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

/** A rolling SLO window. @public */
export interface SloWindow {
  /** As written, e.g. `30d`. Also a valid PromQL duration. */
  text: string;
  minutes: number;
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
  /** Where the target came from. */
  source: 'tier-default' | 'annotation';
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
  runbookUrl?: string;
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
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/slos`. @public */
export interface EntitySlosResponse {
  entityRef: string;
  service: NthlayerService | null;
  findings: Finding[];
  slos: SloReport[];
}
