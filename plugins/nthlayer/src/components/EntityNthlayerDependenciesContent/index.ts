export { EntityNthlayerDependenciesContent } from './EntityNthlayerDependenciesContent';
