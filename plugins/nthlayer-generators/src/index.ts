/**
 * NthLayer generators: pure functions from a service model to its reliability configs —
 * Prometheus SLO recording rules and multi-window burn-rate alerts, technology alerts for
 * dependencies, OpenSLO documents, a Grafana dashboard, the PagerDuty desired state — plus
 * service-file import and PromQL rule-file lint. Data in, data out; used by the Backstage
 * backend, the scaffolder and the `nthlayer` CLI — and the Prometheus HTTP API client the
 * backend and the CLI query and look series up with.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './openslo';
export * from './grafana';
export * from './pagerduty';
export * from './import';
export * from './generateArtifacts';
/** The service model options from app-config, as the backend reads them. */
export * from './modelConfig';
/** SLO recording rules and multi-window burn-rate alerts for Prometheus (DESIGN §3). */
export * from './prometheus';
/** Technology alerts for dependencies, from the awesome-prometheus-alerts catalogue (CC BY 4.0). */
export * from './technology';
/** PromQL rule-file lint (pint-style checks) and promtool verdicts. */
export * from './lint';
/** A client for Prometheus' HTTP API (queries, series lookups), shared by the backend and the CLI. */
export * from './prometheusApi';
/** ReliabilityPolicy documents: YAML, schema and CEL type checks with positions. */
export * from './policy';
/** Drift: generated versus loaded rules, dashboards and PagerDuty state (DESIGN §6). */
export * from './drift';
