/**
 * NthLayer frontend plugin: SLOs and error budgets on catalog entity pages.
 *
 * @packageDocumentation
 */
export { nthlayerPlugin, EntityNthlayerSloCard } from './plugin';
export { NthlayerClient, isNthlayerAvailable, nthlayerApiRef } from './api';
export type { NthlayerApi } from './api';
