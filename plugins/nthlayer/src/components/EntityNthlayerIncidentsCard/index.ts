export { EntityNthlayerIncidentsCard } from './EntityNthlayerIncidentsCard';
