export { EntityNthlayerDriftCard } from './EntityNthlayerDriftCard';
