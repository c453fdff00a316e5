export { EntityNthlayerContent } from './EntityNthlayerContent';
