/**
 * NthLayer frontend plugin: SLOs and error budgets on catalog entity pages.
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
} from './plugin';
export { NthlayerClient, isNthlayerAvailable, nthlayerApiRef } from './api';
export type { NthlayerApi, SloHistoryOptions } from './api';
export { EntityNthlayerBudgetChart } from './components/EntityNthlayerBudgetChart';
export type { EntityNthlayerBudgetChartProps } from './components/EntityNthlayerBudgetChart';
export { NthlayerBurnRateTable } from './components/BurnRateTable';
