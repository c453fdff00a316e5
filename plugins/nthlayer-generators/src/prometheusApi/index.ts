export { PrometheusClient, PrometheusQueryError } from './PrometheusClient';
export type { MatrixSeries, PrometheusClientOptions, VectorSample } from './PrometheusClient';
