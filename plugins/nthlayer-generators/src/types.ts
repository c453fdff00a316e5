import { Finding, NthlayerService, ServiceTier } from '@nthlayer/backstage-plugin-common';

/** Kinds of generated artifacts. @public */
export type ArtifactKind =
  | 'openslo'
  | 'prometheus-rules'
  | 'technology-alerts'
  | 'grafana-dashboard'
  | 'pagerduty';

/** One generated file. @public */
export interface Artifact {
  /** Stable id within a service, e.g. `prometheus-slo-rules`; used in URLs. */
  id: string;
  kind: ArtifactKind;
  /** Relative path when written to disk or zipped, e.g. `prometheus/checkout-api-slo.rules.yaml`. */
  filename: string;
  mediaType: 'application/yaml' | 'application/json';
  /** What the artifact is for and where it goes, one or two sentences. */
  description: string;
  content: string;
}

/** A dependency of the service, resolved from the catalog (or a service.yaml). @public */
export interface DependencyInput {
  /** Entity ref, or `external:<name>` for dependencies only a service.yaml knows. */
  ref: string;
  name: string;
  kind: 'component' | 'resource' | 'external';
  /** Technology for resources: postgresql, mysql, redis, mongodb, elasticsearch, kafka, rabbitmq, nats, … */
  technology?: string;
  /** For components managed by NthLayer. */
  tier?: ServiceTier;
  /** Availability target (%) or declared SLA of the dependency, when known. */
  availabilityPercent?: number;
  critical?: boolean;
  /**
   * Label matchers (without braces) that pick this dependency's own series, e.g.
   * `instance="orders-db:9187"`; technology alerts are scoped with them. Without one they
   * watch every instance of the exporter.
   */
  selector?: string;
}

/** Everything a generator needs; pure data (no I/O, no clock). @public */
export interface GeneratorInput {
  service: NthlayerService;
  /** Owner team name, e.g. `team-payments` (from the owner ref). */
  team: string;
  dependencies: DependencyInput[];
  /** PagerDuty service id or integration key annotations, when present. */
  pagerduty?: { serviceId?: string; integrationKey?: string };
}

/** What a generator returns. @public */
export interface GeneratorResult {
  artifacts: Artifact[];
  findings: Finding[];
}
