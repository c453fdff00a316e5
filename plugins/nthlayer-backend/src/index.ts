/**
 * NthLayer backend plugin for the new Backstage backend system.
 *
 * @packageDocumentation
 */
export { nthlayerPlugin as default } from './plugin';
