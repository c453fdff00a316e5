export { EntityNthlayerGateCard } from './EntityNthlayerGateCard';
