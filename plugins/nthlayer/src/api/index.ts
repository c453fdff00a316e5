export { nthlayerApiRef } from './NthlayerApi';
export type { NthlayerApi } from './NthlayerApi';
export { NthlayerClient } from './NthlayerClient';
export { isNthlayerAvailable } from './isNthlayerAvailable';
