export { nthlayerApiRef } from './NthlayerApi';
export type {
  DependenciesOptions,
  DependencyDirection,
  NthlayerApi,
  PortfolioExportFormat,
  PortfolioFilters,
  ScoreHistoryOptions,
  SloHistoryOptions,
} from './NthlayerApi';
export { NthlayerClient } from './NthlayerClient';
export { isNthlayerAvailable } from './isNthlayerAvailable';
