/**
 * Annotation names NthLayer reads from catalog entities (DESIGN §2).
 *
 * @public
 */
export const NTHLAYER_ANNOTATIONS = {
  /** `1`, `2`, `3` (or `critical`, `standard`, `low`); marks the entity as NthLayer-managed. */
  tier: 'nthlayer.dev/tier',
  /** `api`, `worker` or `stream`. */
  type: 'nthlayer.dev/type',
  /** Availability target in percent, e.g. `99.95`. */
  sloAvailability: 'nthlayer.dev/slo-availability',
  /** Latency objective, e.g. `p95<500ms`. */
  sloLatency: 'nthlayer.dev/slo-latency',
  /** Rolling SLO window, e.g. `30d`. */
  sloWindow: 'nthlayer.dev/slo-window',
  /** IANA time zone for calendar windows, e.g. `Europe/Berlin`. */
  timeZone: 'nthlayer.dev/timezone',
  /** Name of a configured Prometheus instance (never a URL). */
  prometheusInstance: 'nthlayer.dev/prometheus-instance',
  /** Name of a configured Grafana instance the service's dashboard is compared with (drift). */
  grafanaInstance: 'nthlayer.dev/grafana-instance',
  /** PromQL label matchers selecting the service's series. */
  prometheusSelector: 'nthlayer.dev/prometheus-selector',
  /**
   * Pins the metric family SLIs are measured from instead of resolving it, e.g. `otel-http`,
   * `micrometer` (see SLI_PRESETS).
   */
  sliPreset: 'nthlayer.dev/sli-preset',
  /** The availability SLI's good events: a counter selector, e.g. `http_requests_total{job="x",code!~"5.."}`. */
  sliGood: 'nthlayer.dev/sli-good',
  /** …or its bad events (instead of good). */
  sliBad: 'nthlayer.dev/sli-bad',
  /** …and all its events. */
  sliTotal: 'nthlayer.dev/sli-total',
  /** Location of an NthLayer service.yaml. */
  serviceFile: 'nthlayer.dev/service-file',
  /**
   * Location of OpenSLO v1 documents (a URL or a path relative to the entity's source
   * location); their SLOs replace the tier defaults.
   */
  openslo: 'nthlayer.dev/openslo',
  /** Base URL for runbook links. */
  runbookUrl: 'nthlayer.dev/runbook-url',
  /** Technology of a Resource entity (postgresql, redis, …). */
  technology: 'nthlayer.dev/technology',
} as const;

/** @public */
export type NthlayerAnnotation =
  (typeof NTHLAYER_ANNOTATIONS)[keyof typeof NTHLAYER_ANNOTATIONS];
