export { lintRuleFile } from './lintRuleFile';
export { promtoolCheck, runPromtool } from './promtool';
export type { PromtoolVerdict } from './promtool';
export type { LintCheck, LintFinding, LintOptions } from './types';
export { ruleSelectors } from './ruleSelectors';
export type { RuleSelector } from './ruleSelectors';
export { disabledChecks } from './lintRuleFile';
export { durationMs } from './promqlSyntax';
