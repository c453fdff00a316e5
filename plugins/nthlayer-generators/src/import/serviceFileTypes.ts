import {
  CustomSli,
  Finding,
  LatencyThreshold,
  ServiceTier,
  ServiceType,
  SloKind,
} from '@nthlayer/backstage-plugin-common';

/** One SLO declared in a service file, already validated. @public */
export interface ServiceFileSlo {
  /** The SLO's name as written in the file, e.g. `latency-p95`. */
  name: string;
  kind: SloKind;
  /** Availability: percent of good events. Latency: percent of requests under the threshold. */
  targetPercent: number;
  /** As written, e.g. `30d` or `1M`; absent when the file names none. */
  window?: string;
  latency?: LatencyThreshold;
  /**
   * The SLO's own counters from the file's PromQL (`success_ratio`, `indicator.query`,
   * OpenSRM `query`), validated; absent when the file gives none or they are not usable.
   */
  customSli?: CustomSli;
  /** Where in the file it was declared, e.g. `resources[0]`. */
  path: string;
}

/** Where a dependency was listed in the file. @public */
export type ServiceFileDependencyCategory =
  | 'database'
  | 'cache'
  | 'queue'
  | 'service'
  | 'external';

/** One dependency declared in a service file. @public */
export interface ServiceFileDependency {
  name: string;
  category: ServiceFileDependencyCategory;
  /** Normalised technology, e.g. `postgresql` for `postgres`. */
  technology?: string;
  critical?: boolean;
  /** Declared SLA or SLO availability of the dependency, in percent. */
  slaPercent?: number;
  path: string;
}

/** Deploy gate thresholds in percent of error budget remaining (DESIGN §4). @public */
export interface ServiceFileGate {
  /** Warn below this much budget remaining. */
  warningPercent?: number;
  /** Block below this much budget remaining. */
  blockingPercent?: number;
}

/** PagerDuty settings of a service file. @public */
export interface ServiceFilePagerDuty {
  serviceId?: string;
  integrationKey?: string;
  escalationPolicy?: string;
  urgency?: string;
}

/**
 * An NthLayer service file (legacy `service:` + `resources:` or OpenSRM `srm/v1`), reduced to
 * what NthLayer uses. Every field is optional: a part that failed validation is absent and
 * reported as a finding instead.
 *
 * @public
 */
export interface ServiceFile {
  format: 'legacy' | 'opensrm';
  name?: string;
  team?: string;
  tier?: ServiceTier;
  type?: ServiceType;
  slos: ServiceFileSlo[];
  dependencies: ServiceFileDependency[];
  gate?: ServiceFileGate;
  pagerduty?: ServiceFilePagerDuty;
  runbookUrl?: string;
}

/** Result of {@link parseServiceFile}. @public */
export interface ParseServiceFileResult {
  /** Null when the text is not a readable service file at all. */
  file: ServiceFile | null;
  findings: Finding[];
}
