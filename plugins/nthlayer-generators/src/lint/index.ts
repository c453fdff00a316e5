export { lintRuleFile } from './lintRuleFile';
export { promtoolCheck, runPromtool } from './promtool';
export type { PromtoolVerdict } from './promtool';
export type { LintCheck, LintFinding, LintOptions } from './types';
