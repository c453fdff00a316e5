export { EntityNthlayerBlastRadiusCard } from './EntityNthlayerBlastRadiusCard';
