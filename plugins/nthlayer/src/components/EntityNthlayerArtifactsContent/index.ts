export { EntityNthlayerArtifactsContent } from './EntityNthlayerArtifactsContent';
