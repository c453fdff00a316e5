export {
  buildGrafanaDashboard,
  generateGrafanaDashboard,
  grafanaDashboardUid,
} from './generateGrafanaDashboard';
/** Dashboard drift: a Grafana API client, the normalised dashboard and its diff (DESIGN §6). */
export * from './drift';
