import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** NthLayer: SLOs, error budgets and deploy gates for catalog services. */
  nthlayer?: {
    prometheus: {
      /**
       * Base URL of a Prometheus-compatible HTTP API, e.g. http://127.0.0.1:9090.
       * Shorthand for one instance named "default".
       */
      baseUrl?: string;
      /** Per-query timeout in milliseconds. Default 30000. */
      timeoutMs?: number;
      /** Retries (with exponential backoff from 250 ms) on unreachable, 5xx and 429. Default 2. */
      retries?: number;
      /**
       * Whether the drift task asks for the rules (`/api/v1/rules`) gzip-compressed. Default
       * false: the answer is large (about 18 kB a service uncompressed, 1 kB compressed) and
       * compressing it costs the ruler CPU on every drift run (measured at 10,000 services: a
       * 176 MB answer, 9 MB compressed). Set true for a ruler across a slow or metered link.
       * Instances without their own setting use this one.
       */
      compressRules?: boolean;
      /**
       * Extra request headers for the shorthand instance.
       * @visibility secret
       */
      headers?: { [name: string]: string };
      /**
       * Several Prometheus-compatible sources. Entities choose one by name with the
       * `nthlayer.dev/prometheus-instance` annotation; the first is the default.
       */
      instances?: Array<{
        name: string;
        baseUrl: string;
        timeoutMs?: number;
        /** As nthlayer.prometheus.compressRules, for this instance. */
        compressRules?: boolean;
        /**
         * e.g. X-Scope-OrgID for a Mimir/Cortex tenant, Authorization for Thanos behind auth.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
    };
    /** How often the budget task runs. Default: every 5 minutes, 3 minute timeout. */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Manual refreshes (POST /api/nthlayer/v1/refresh). */
    refresh?: {
      /**
       * Least time between two accepted manual refreshes, across replicas; sooner is a 429
       * with Retry-After. A duration such as { minutes: 1 } or an ISO 8601 duration. Default 1 minute.
       */
      minInterval?:
        | string
        | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };
    };
    /** Deploy gate policies (`ReliabilityPolicy` YAML documents). */
    policies?: {
      /**
       * Where they are: an http(s) URL read with the backend's UrlReader (so an integration
       * must allow the host), or a file (`file:` or a path, relative to the backend's
       * working directory). A malformed document is rejected with its line and column and
       * the previous valid set of that location stays in force.
       */
      locations?: Array<{ target: string }>;
      /** How often each replica re-reads them, e.g. { minutes: 5 } (default). */
      reloadFrequency?:
        | string
        | { hours?: number; minutes?: number; seconds?: number };
    };
    /** Deploy gates. */
    gates?: {
      /**
       * Longest an override (POST /api/nthlayer/v1/gates/overrides) may last, e.g.
       * { hours: 72 } (default) or an ISO 8601 duration.
       */
      maxOverrideDuration?:
        | string
        | { days?: number; hours?: number; minutes?: number };
    };
    /**
     * Notifications to the owning group (gate blocks, budgets below 50/25/10/0 %) through
     * Backstage's notifications backend. Default true; without the backend installed, sends
     * fail and are logged.
     */
    notifications?: {
      enabled?: boolean;
    };
    /** Reuse of catalog answers across one page view's requests. */
    cache?: {
      /**
       * How long the backend reuses a catalog answer (an entity and its dependencies, read
       * with the caller's credentials) for the same caller, and a service file's content
       * (read with the backend's integrations) per location; a caller whose catalog access
       * is revoked keeps reading for at most this long. 0 turns it off. At most 5 minutes.
       * Default 10 seconds.
       */
      entityTtl?:
        | 0
        | string
        | { minutes?: number; seconds?: number; milliseconds?: number };
    };
    budgets?: {
      /** Below this many events per second (over 1 h) a service is low-traffic. Default 0.1. */
      minRequestRate?: number;
      /** Days of budget history to keep. Default 90. */
      retentionDays?: number;
      /** Time zone of calendar windows (1M, 1Q, 1W) unless the entity sets nthlayer.dev/timezone. Default UTC. */
      timeZone?: string;
      /** Step of the history backfilled from Prometheus when a service is first seen, in minutes. Default 60. */
      backfillStepMinutes?: number;
    };
    /** Checks of generated rule files (the "Generated configs" tab). */
    validation?: {
      /** How far back a series counts as existing (promql/series), e.g. 6h or 1d. Default 1d. */
      lookback?: string;
      /** Scrape interval rate() ranges are checked against (promql/rate). Default 30s. */
      scrapeInterval?: string;
    };
    /** Reading the service files entities point at with `nthlayer.dev/service-file`. */
    serviceFiles?: {
      /** Larger files are not read; the entity gets a finding. Default 262144 (256 kB). */
      maxBytes?: number;
      /** How long one read may take, e.g. `{ seconds: 10 }` or `10s`. Default 10 seconds. */
      timeout?:
        | string
        | { hours?: number; minutes?: number; seconds?: number; milliseconds?: number };
    };
    /** Drift detection: what runs (rules, dashboards, PagerDuty) against what NthLayer generates. */
    drift?: {
      /** How often the drift task runs. Default: every 15 minutes, 10 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Days of stored budget history the budget trend is fitted over. Default 7. */
      trendDays?: number;
    };
    /** The dependency graph, blast radius, scores and portfolio. */
    graph?: {
      /** How often the graph and scores are rebuilt. Default: every 5 minutes, 10 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Edges discovered from metrics (marked as discovered; undeclared and stale ones are findings). */
      discovery?: {
        /** Default true. */
        enabled?: boolean;
        /** Traffic is looked for over this PromQL range. Default 7d. */
        lookback?: string;
        /**
         * Counters naming a caller and what it called. Default: Tempo's service graph
         * (`traces_service_graph_request_total{client, server}`) and OpenTelemetry's
         * `http_client_request_duration_seconds_count{service, server_address}`.
         */
        sources?: Array<{ metric: string; clientLabel: string; serverLabel: string }>;
      };
    };
    /** The error-budget ledger: burn episodes and what caused them. */
    ledger?: {
      /** How often new 5-minute buckets are read. Default: every 5 minutes, 15 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How far back the first run reads (capped at each SLO's window). Default 30. */
      lookbackDays?: number;
      /** Days an episode is kept after it ended. Default 90. */
      retentionDays?: number;
      /** `deploy.recentHighImpact` in gate conditions looks this many days back. Default 7. */
      recentHighImpactDays?: number;
    };
    /** Grafana instances dashboards are compared with (drift). Without any, dashboards are "not configured". */
    grafana?: {
      /** Entities choose one with `nthlayer.dev/grafana-instance`; the first is the default. */
      instances?: Array<{
        name: string;
        /** e.g. https://grafana.example.com */
        baseUrl: string;
        /**
         * A Grafana service account token with the Viewer role.
         * @visibility secret
         */
        token: string;
        /** Per-request timeout in milliseconds. Default 10000. */
        timeoutMs?: number;
      }>;
    };
    /** PagerDuty: drift of the service's on-call setup, apply, and incidents. */
    pagerduty?: {
      /**
       * A REST API token (read for drift and incidents; read-write for apply).
       * @visibility secret
       */
      token?: string;
      /** Default https://api.pagerduty.com (EU service region: https://api.eu.pagerduty.com). */
      baseUrl?: string;
      /** The PagerDuty user email writes are made as (the `From` header). */
      from?: string;
      /**
       * Secrets of the v3 webhook subscriptions posting to /api/nthlayer/v1/webhooks/pagerduty;
       * several while one is rotated.
       * @visibility secret
       */
      webhookSecrets?: string[];
      /**
       * PagerDuty user ids for the user placeholders of generated schedules
       * (`nthlayer:user:<team>:<n>` → `PXXXXXX`), needed when apply creates a schedule.
       */
      scheduleUsers?: { [placeholder: string]: string };
      /** How often incidents are read. Default every 10 minutes. */
      incidentsSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How far back incidents are read. Default 30 days. */
      incidentsLookbackDays?: number;
    };
    /** Per-tier overrides of the default SLO targets. */
    tiers?: {
      [tier in '1' | '2' | '3']?: {
        /** Availability target in percent, e.g. 99.9. */
        availability?: number;
        /** Latency objective, e.g. p95<500ms. */
        latency?: string;
        /** Window, e.g. 30d or 1M. */
        window?: string;
      };
    };
  };
}
