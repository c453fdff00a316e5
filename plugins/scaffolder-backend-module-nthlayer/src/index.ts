/**
 * Scaffolder actions of NthLayer for Backstage: `nthlayer:generate` writes a new service's
 * reliability configs into the workspace, `nthlayer:validate` proves them valid.
 *
 * @packageDocumentation
 */
export { scaffolderModuleNthlayer as default } from './module';
export { createNthlayerGenerateAction } from './actions/generate';
export type { GenerateActionOptions } from './actions/generate';
export { createNthlayerValidateAction, formatValidationFinding } from './actions/validate';
export type { ValidateActionOptions, ValidationFinding } from './actions/validate';
export { entityFromValues } from './actions/serviceValues';
export type { ServiceValues } from './actions/serviceValues';
