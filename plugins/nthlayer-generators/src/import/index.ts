export { parseServiceFile } from './parseServiceFile';
export { applyServiceFile, entityRefName } from './applyServiceFile';
export type { ApplyServiceFileResult } from './applyServiceFile';
export {
  PAGERDUTY_INTEGRATION_KEY_ANNOTATION,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  generatorInputFromEntity,
} from './entityInput';
export type { EntityInputOptions, EntityInputResult } from './entityInput';
export { serviceInputFromFile } from './serviceFromFile';
export type { ServiceInputFromFileResult } from './serviceFromFile';
export type {
  ParseServiceFileResult,
  ServiceFile,
  ServiceFileDependency,
  ServiceFileDependencyCategory,
  ServiceFileGate,
  ServiceFilePagerDuty,
  ServiceFileSlo,
} from './serviceFileTypes';
export { importOpenSlo } from './openSlo/importOpenSlo';
export type { OpenSloImportOptions, OpenSloImportResult } from './openSlo/importOpenSlo';
