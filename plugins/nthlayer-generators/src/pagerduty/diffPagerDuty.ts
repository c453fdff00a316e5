import { DriftFinding } from '@nthlayer/backstage-plugin-common';
import { PagerDutyDesiredState } from './generatePagerDuty';
import { ObservedPagerDuty } from './observePagerDuty';
import { comparePagerDuty } from './comparePagerDuty';

const NOUNS: Record<string, string> = {
  team: 'team',
  schedule: 'schedule',
  escalation_policy: 'escalation policy',
  service: 'service',
};

/**
 * The drift of a service's PagerDuty configuration: its desired state against what runs
 * (read with {@link observePagerDuty}). Pure.
 *
 * Each finding has target `pagerduty`; `object` is the PagerDuty field path within the
 * desired state (`service.incident_urgency_rule.urgency`,
 * `escalation_policy.escalation_rules[0].escalation_delay_in_minutes`,
 * `schedules[1].time_zone`), `field` the path within that object, and `expected` /
 * `actual` normalised text. Severity:
 *
 * - `critical`: the service or the escalation policy is missing;
 * - `warning`: the team or a schedule is missing; escalation (policy reference, delays,
 *   targets, loops), urgency, support hours, status, timeouts or a rotation differ;
 * - `info`: names, descriptions and other cosmetic fields differ.
 *
 * What is compared, and what never is (server-assigned fields, placeholders), is listed
 * with {@link comparePagerDuty}.
 *
 * @public
 */
export function diffPagerDuty(
  desired: PagerDutyDesiredState,
  observed: ObservedPagerDuty,
): DriftFinding[] {
  const { missing, differences } = comparePagerDuty(desired, observed);
  const findings: DriftFinding[] = missing.map(
    (m): DriftFinding => ({
      target: 'pagerduty',
      severity: m.severity,
      kind: 'missing',
      object: m.object,
      expected: m.name,
      message: `PagerDuty has no ${NOUNS[m.resource]} named "${
        m.name
      }"; apply the PagerDuty desired state of ${
        desired.nthlayer.service
      } to create it.`,
    }),
  );
  for (const d of differences) {
    findings.push({
      target: 'pagerduty',
      severity: d.severity,
      kind: 'changed',
      object: `${d.object}.${d.field}`,
      field: d.field,
      expected: d.expected,
      actual: d.actual,
      message: `PagerDuty's ${d.object}.${d.field} is ${d.actual}; NthLayer generates ${d.expected} for ${desired.nthlayer.service} (tier ${desired.nthlayer.tier}).`,
    });
  }
  return findings;
}
