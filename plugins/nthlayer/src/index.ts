/**
 * NthLayer frontend plugin: SLOs and error budgets on catalog entity pages, the dependency
 * graph and blast radius of an entity, and the reliability scorecard of teams and systems.
 *
 * @packageDocumentation
 */
export {
  nthlayerPlugin,
  EntityNthlayerSloCard,
  EntityNthlayerGateCard,
  EntityNthlayerDriftCard,
  EntityNthlayerIncidentsCard,
  EntityNthlayerContent,
  EntityNthlayerArtifactsContent,
  EntityNthlayerDependenciesContent,
  EntityNthlayerBlastRadiusCard,
  EntityNthlayerTeamScorecardCard,
  EntityNthlayerSystemCard,
  NthlayerScorecardPage,
} from './plugin';
export { NthlayerClient, isNthlayerAvailable, nthlayerApiRef } from './api';
export type {
  DependenciesOptions,
  DependencyDirection,
  NthlayerApi,
  PortfolioExportFormat,
  PortfolioFilters,
  ScoreHistoryOptions,
  SloHistoryOptions,
} from './api';
export { EntityNthlayerBudgetChart } from './components/EntityNthlayerBudgetChart';
export type { EntityNthlayerBudgetChartProps } from './components/EntityNthlayerBudgetChart';
export { NthlayerBurnRateTable } from './components/BurnRateTable';
