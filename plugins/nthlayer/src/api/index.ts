export { nthlayerApiRef } from './NthlayerApi';
export type { NthlayerApi, SloHistoryOptions } from './NthlayerApi';
export { NthlayerClient } from './NthlayerClient';
export { isNthlayerAvailable } from './isNthlayerAvailable';
