export {
  generatePrometheusRules,
} from './generatePrometheusRules';
export {
  BURN_ALERT_NAME,
  DEFAULT_BURN_ALERT_FOR,
  DEFAULT_MIN_EVENT_RATE,
} from './sloRuleGroups';
export { sloErrorRecordName } from './sloExpressions';
export type { PrometheusRuleGroup, PrometheusRuleOptions } from './types';
