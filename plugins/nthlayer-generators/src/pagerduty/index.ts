export { buildPagerDutyState, generatePagerDuty } from './generatePagerDuty';
export type { PagerDutyDesiredState } from './generatePagerDuty';
export {
  PAGERDUTY_TIER_POLICIES,
  pagerDutyPlaceholder,
} from './pagerDutyPolicy';
export type { PagerDutyTierPolicy } from './pagerDutyPolicy';
export {
  PAGERDUTY_INCIDENT_WINDOW_MS,
  PagerDutyAmbiguousNameError,
  PagerDutyApiError,
  PagerDutyClient,
} from './client';
export type {
  PagerDutyClientOptions,
  PagerDutyFetch,
  PagerDutyIncidentQuery,
} from './client';
export type {
  PagerDutyEscalationPolicyBody,
  PagerDutyEscalationPolicyObject,
  PagerDutyEscalationRuleObject,
  PagerDutyIncidentObject,
  PagerDutyReference,
  PagerDutyScheduleBody,
  PagerDutyScheduleLayerObject,
  PagerDutyScheduleObject,
  PagerDutyServiceBody,
  PagerDutyServiceObject,
  PagerDutyTeamBody,
  PagerDutyTeamObject,
  PagerDutyUrgencyTypeObject,
} from './pagerDutyObjects';
export {
  normalisePagerDutyEscalationPolicy,
  normalisePagerDutySchedule,
  normalisePagerDutyService,
  normalisePagerDutyTeam,
  observePagerDuty,
} from './observePagerDuty';
export type {
  ObservedPagerDuty,
  ObservedPagerDutyEscalationPolicy,
  ObservedPagerDutyEscalationRule,
  ObservedPagerDutyReference,
  ObservedPagerDutySchedule,
  ObservedPagerDutyScheduleLayer,
  ObservedPagerDutyService,
  ObservedPagerDutyTeam,
  ObservedPagerDutyUrgency,
  PagerDutyReader,
} from './observePagerDuty';
export {
  comparePagerDuty,
  isPagerDutyPlaceholder,
  pagerDutyPlaceholderObjects,
} from './comparePagerDuty';
export type {
  PagerDutyComparison,
  PagerDutyDifference,
  PagerDutyMissingObject,
  PagerDutyResource,
} from './comparePagerDuty';
export { diffPagerDuty } from './diffPagerDuty';
export {
  PagerDutyApplyError,
  applyPagerDutyPlan,
  planPagerDutyApply,
} from './applyPagerDuty';
export type {
  PagerDutyApplyOptions,
  PagerDutyApplyPlan,
  PagerDutyApplyResult,
  PagerDutyApplyStep,
  PagerDutyFieldChange,
  PagerDutyWriter,
} from './applyPagerDuty';
