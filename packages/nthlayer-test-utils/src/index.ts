/**
 * Test utilities shared by the NthLayer packages: a real Prometheus (Debian's `prometheus`
 * and `promtool`) backfilled with synthetic series.
 *
 * @packageDocumentation
 */
export {
  counterSeries,
  freePort,
  rawSeries,
  startPrometheusWith,
  toOpenMetrics,
} from './prometheusFixture';
export type { FixtureSeries, PrometheusFixtureOptions, RunningPrometheus } from './prometheusFixture';
export { storeDatabaseIds } from './databases';
export { captureOutput } from './output';
export type { NthlayerTestDatabaseId } from './databases';
