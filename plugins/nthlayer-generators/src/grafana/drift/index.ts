export { GrafanaClient, GrafanaError } from './grafanaClient';
export type {
  GrafanaClientOptions,
  GrafanaDashboardMeta,
  GrafanaDashboardWithMeta,
  GrafanaFetch,
  GrafanaSearchHit,
  GrafanaSearchQuery,
} from './grafanaClient';
export { normaliseDashboard } from './normaliseDashboard';
export type {
  NormalisedDashboard,
  NormalisedPanel,
  NormalisedTarget,
} from './normaliseDashboard';
export { diffDashboard } from './diffDashboard';
export type { DiffDashboardInput } from './diffDashboard';
