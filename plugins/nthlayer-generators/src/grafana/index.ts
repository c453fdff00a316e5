export {
  buildGrafanaDashboard,
  generateGrafanaDashboard,
  grafanaDashboardUid,
} from './generateGrafanaDashboard';
