export { EntityNthlayerBudgetChart } from './EntityNthlayerBudgetChart';
export type { EntityNthlayerBudgetChartProps } from './EntityNthlayerBudgetChart';
export { SloBudgetChart } from './SloBudgetChart';
