import { NthlayerIncident } from '@nthlayer/backstage-plugin-common';
import { formatDuration } from '../EntityNthlayerSloCard/format';

/**
 * Pure formatting for the incidents card. No clock: callers pass `now`.
 */

/** `#1234 Checkout errors`, `#1234`, the title alone, or the PagerDuty id. */
export function incidentLabel(
  incident: Pick<NthlayerIncident, 'id' | 'number' | 'title'>,
): string {
  const number = incident.number ? `#${incident.number}` : '';
  const title = incident.title ?? '';
  return [number, title].filter(Boolean).join(' ') || incident.id;
}

function minutesBetween(from: string, to: number): number | undefined {
  const start = Date.parse(from);
  if (Number.isNaN(start) || Number.isNaN(to)) return undefined;
  return Math.max(0, (to - start) / 60_000);
}

/**
 * How long an incident lasted, `after 45 min`, or, still open, how long it has been open:
 * `open for 2.5 h`. Empty when a time cannot be read.
 */
export function incidentDuration(
  incident: Pick<NthlayerIncident, 'createdAt' | 'resolvedAt'>,
  now: Date,
): string {
  if (incident.resolvedAt) {
    const minutes = minutesBetween(
      incident.createdAt,
      Date.parse(incident.resolvedAt),
    );
    return minutes === undefined ? '' : `after ${formatDuration(minutes)}`;
  }
  const minutes = minutesBetween(incident.createdAt, now.getTime());
  return minutes === undefined ? '' : `open for ${formatDuration(minutes)}`;
}
