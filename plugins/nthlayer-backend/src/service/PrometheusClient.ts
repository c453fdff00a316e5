// The client lives in the generators package, shared with `nthlayer lint --prometheus`.
export { PrometheusClient, PrometheusQueryError } from '@nthlayer/backstage-plugin-generators';
export type {
  MatrixSeries,
  PrometheusClientOptions,
  VectorSample,
} from '@nthlayer/backstage-plugin-generators';
