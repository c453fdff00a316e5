export {
  loadAlertCatalogue,
  defaultAlertCataloguePath,
  catalogueServices,
} from './catalogue';
export type {
  AlertCatalogue,
  CatalogueExporter,
  CatalogueRule,
  CatalogueService,
} from './catalogue';
export { generateTechnologyAlerts } from './generateTechnologyAlerts';
export type { TechnologyAlertOptions } from './generateTechnologyAlerts';
export {
  SUPPORTED_TECHNOLOGIES,
  resolveTechnology,
  technologyAlertName,
} from './technologyMap';
export type { ResolvedTechnology } from './technologyMap';
export { TIER_SEVERITIES } from './convertRule';
