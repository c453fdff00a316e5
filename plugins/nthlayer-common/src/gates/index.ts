export {
  GATE_VARIABLES,
  MAX_CONDITION_LENGTH,
  compileCondition,
  isConditionError,
} from './celEnvironment';
export type { CompiledCondition, ConditionError } from './celEnvironment';
export {
  DEFAULT_GATE_THRESHOLDS,
  evaluateGate,
  policyMatches,
  thresholdPolicy,
} from './gate';
export type {
  FreezeWindow,
  GateAction,
  GateDecision,
  GateInput,
  GatePolicy,
  GateRule,
  GateRuleResult,
  GateVerdict,
  PolicyLoadError,
  PolicySelector,
} from './gate';
export type {
  EntityGateResponse,
  GateAuditAction,
  GateAuditEntry,
  GateAuditResponse,
  GateCheckResponse,
  GateOverride,
  GateOverrideRequest,
  StoredGateDecision,
} from './api';
export { BUDGET_NOTIFICATION_LEVELS, budgetCrossing, budgetLevel } from './budgetLevels';
