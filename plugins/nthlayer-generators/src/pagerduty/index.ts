export { buildPagerDutyState, generatePagerDuty } from './generatePagerDuty';
export type { PagerDutyDesiredState } from './generatePagerDuty';
export {
  PAGERDUTY_TIER_POLICIES,
  pagerDutyPlaceholder,
} from './pagerDutyPolicy';
export type { PagerDutyTierPolicy } from './pagerDutyPolicy';
