/**
 * Test utilities shared by the NthLayer packages: a real Prometheus (Debian's `prometheus`
 * and `promtool`) backfilled with synthetic series.
 *
 * @packageDocumentation
 */
export { startPrometheusWith, toOpenMetrics } from './prometheusFixture';
export type { FixtureSeries, RunningPrometheus } from './prometheusFixture';
