export { parsePolicies } from './policy';
export type { PolicyLoadResult, ReliabilityPolicy } from './policy';
