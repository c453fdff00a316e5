export { EntityNthlayerSloCard } from './EntityNthlayerSloCard';
