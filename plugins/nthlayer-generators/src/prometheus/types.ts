/** Options of {@link generatePrometheusRules}. @public */
export interface PrometheusRuleOptions {
  /**
   * Minimum event rate (events per second over the alert's long window) for the `page`
   * burn-rate alerts; below it they stay silent (DESIGN §3: low traffic must not page).
   * `ticket` alerts are not guarded. Default 0.1 (6 events a minute); 0 disables the guard.
   */
  minEventRate?: number;
  /** `for` of the burn-rate alerts. Default `2m`. */
  alertFor?: string;
}

/** A Prometheus rule group as written to a rule file. @public */
export interface PrometheusRuleGroup {
  name: string;
  rules: Array<Record<string, unknown>>;
}
