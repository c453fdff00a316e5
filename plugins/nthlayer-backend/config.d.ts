import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** NthLayer: SLOs, error budgets and deploy gates for catalog services. */
  nthlayer?: {
    prometheus: {
      /**
       * Base URL of a Prometheus-compatible HTTP API, e.g. http://127.0.0.1:9090.
       */
      baseUrl: string;
      /** Per-query timeout in milliseconds. Default 30000. */
      timeoutMs?: number;
      /**
       * Extra request headers, e.g. a tenant header or Authorization for Mimir/Thanos.
       * @visibility secret
       */
      headers?: { [name: string]: string };
    };
    /** How often the budget task runs. Default: every 5 minutes, 3 minute timeout. */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Per-tier overrides of the default SLO targets. */
    tiers?: {
      [tier in '1' | '2' | '3']?: {
        /** Availability target in percent, e.g. 99.9. */
        availability?: number;
        /** Latency objective, e.g. p95<500ms. */
        latency?: string;
        /** Rolling window, e.g. 30d. */
        window?: string;
      };
    };
  };
}
