export { NthlayerBurnRateTable } from './NthlayerBurnRateTable';
