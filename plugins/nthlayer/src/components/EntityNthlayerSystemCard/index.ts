export { EntityNthlayerSystemCard } from './EntityNthlayerSystemCard';
