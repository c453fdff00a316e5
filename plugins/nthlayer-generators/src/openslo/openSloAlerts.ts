import { MWMBR_THRESHOLDS } from '@nthlayer/backstage-plugin-common';
import { openSloName } from './openSloNames';
import type { OpenSloDocument } from './types';

/** The two notification targets of a service, one per MWMBR severity. */
export function notificationTargetName(
  service: string,
  severity: 'page' | 'ticket',
): string {
  return openSloName(service, severity);
}

/** Name of the AlertPolicy for one SLO and one row of the MWMBR table. */
export function alertPolicyName(
  sloName: string,
  row: (typeof MWMBR_THRESHOLDS)[number],
): string {
  return openSloName(sloName, row.severity, row.longWindow, row.shortWindow);
}

/**
 * One AlertPolicy per row of the MWMBR table (DESIGN §3). The OpenSLO v1 schema allows a
 * single condition per policy (`conditions.maxItems: 1`), so each severity gets two
 * policies. The long window is the condition's `lookbackWindow`; the short window its
 * `alertAfter`, as in the specification's own burn-rate example; both are repeated in
 * annotations for tools that need the exact pair.
 */
export function buildAlertPolicies(
  sloName: string,
  sloTitle: string,
  windowText: string,
  service: string,
  labels: Record<string, string>,
): OpenSloDocument[] {
  return MWMBR_THRESHOLDS.map(row => {
    const name = alertPolicyName(sloName, row);
    const verb = row.severity === 'page' ? 'Pages' : 'Opens a ticket';
    const description =
      `${verb} when ${row.budgetSpentPercent}% of the ${windowText} error budget of ${sloTitle} ` +
      `is spent within ${row.longWindow}: burn rate above ${row.factor} over ${row.longWindow} ` +
      `and over ${row.shortWindow} (multi-window, multi-burn-rate).`;
    return {
      apiVersion: 'openslo/v1',
      kind: 'AlertPolicy',
      metadata: {
        name,
        displayName: `${sloTitle}: ${row.severity} at ${row.factor}x burn (${row.longWindow}/${row.shortWindow})`,
        labels: { ...labels, severity: row.severity },
      },
      spec: {
        description,
        // Low or no traffic must not page anyone (DESIGN §3).
        alertWhenNoData: false,
        alertWhenResolved: true,
        alertWhenBreaching: true,
        conditions: [
          {
            kind: 'AlertCondition',
            metadata: {
              name: `${name}-condition`,
              displayName: `Burn rate > ${row.factor} over ${row.longWindow} and ${row.shortWindow}`,
              annotations: {
                'nthlayer.dev/long-window': row.longWindow,
                'nthlayer.dev/short-window': row.shortWindow,
                'nthlayer.dev/budget-spent-percent': String(
                  row.budgetSpentPercent,
                ),
              },
            },
            spec: {
              description,
              severity: row.severity,
              condition: {
                kind: 'burnrate',
                op: 'gt',
                threshold: row.factor,
                lookbackWindow: row.longWindow,
                alertAfter: row.shortWindow,
              },
            },
          },
        ],
        notificationTargets: [
          { targetRef: notificationTargetName(service, row.severity) },
        ],
      },
    };
  });
}

/** The page and ticket notification targets the policies refer to. */
export function buildNotificationTargets(
  service: string,
  team: string,
  labels: Record<string, string>,
): OpenSloDocument[] {
  const targets = [
    {
      severity: 'page' as const,
      target: 'pagerduty',
      description: `High-urgency incident on the PagerDuty service ${service}, escalated to the on-call of ${team}.`,
    },
    {
      severity: 'ticket' as const,
      target: 'ticket',
      description: `A ticket in the queue of ${team}; nobody is woken up.`,
    },
  ];
  return targets.map(t => ({
    apiVersion: 'openslo/v1',
    kind: 'AlertNotificationTarget',
    metadata: {
      name: notificationTargetName(service, t.severity),
      labels: { ...labels, severity: t.severity },
    },
    spec: { target: t.target, description: t.description },
  }));
}
