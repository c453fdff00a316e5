export { canonicalPromql, samePromql } from './canonicalPromql';
export type { CanonicalPromql } from './canonicalPromql';
export { expectedRuleGroups } from './expectedRules';
export type { ExpectedRule, ExpectedRuleGroup } from './expectedRules';
export { normaliseRuleGroups, indexRuleGroups } from './observedRules';
export type { ObservedRule, ObservedRuleGroup } from './observedRules';
export { diffRules, ruleObject } from './diffRules';
export type { DiffRulesInput } from './diffRules';
