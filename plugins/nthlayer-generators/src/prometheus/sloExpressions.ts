import { NthlayerService, SloDefinition, sliSelectors } from '@nthlayer/backstage-plugin-common';

/** Prefix of the recorded error ratios (DESIGN §3, a public contract). */
export const SLO_ERROR_RECORD_PREFIX = 'nthlayer:slo_error:ratio_rate';

/** Name of the recording rule holding the error ratio over `window`. @public */
export function sloErrorRecordName(window: string): string {
  return `${SLO_ERROR_RECORD_PREFIX}${window}`;
}

/**
 * Selectors (without range) of an SLO's events: good and total, or — for a custom SLI given
 * by its bad events — bad and total.
 */
export interface SloEventSelectors {
  good?: string;
  bad?: string;
  total: string;
}

/** Event selectors for one SLO, from the family it is measured from (DESIGN §2) or the entity's own queries. */
export function sloEventSelectors(
  service: Pick<NthlayerService, 'name' | 'selector' | 'defaultSelector' | 'type' | 'sli' | 'customSli'>,
  slo: SloDefinition,
): SloEventSelectors {
  const { good, bad, total } = sliSelectors(service, slo);
  return bad ? { bad, total } : { good, total };
}

/** `sum(rate(<selector>[<window>]))`: events per second over the window. */
export function eventRate(selector: string, window: string): string {
  return `sum(rate(${selector}[${window}]))`;
}

/**
 * Error ratio over `window`: `1 − good/total`, events-weighted.
 *
 * - No traffic (total rate 0, or no series at all): the `> 0` filter drops the
 *   denominator, so the rule records *nothing* (no data) instead of NaN or a fake 0/100 %.
 * - Traffic but no good series at all (every request failed, so `status!~"5.."` matches
 *   nothing): `or vector(0)` stands in for the missing numerator and the ratio is 1.
 */
export function errorRatioExpr(
  selectors: SloEventSelectors,
  window: string,
): string {
  const total = eventRate(selectors.total, window);
  if (selectors.bad !== undefined) {
    // Bad events counted directly: none is an error ratio of 0 while there is traffic.
    return `(${eventRate(selectors.bad, window)} or vector(0)) / (${total} > 0)`;
  }
  const good = eventRate(selectors.good!, window);
  return `1 - ((${good} or vector(0)) / (${total} > 0))`;
}

/** A ratio with float noise removed: 14.4 × 0.001 → 0.0144. */
export function cleanNumber(value: number): number {
  return parseFloat(value.toPrecision(12));
}

/** Error ratio above which a burn factor is exceeded: `factor × (1 − target)`. */
export function burnThreshold(factor: number, targetPercent: number): number {
  return cleanNumber(factor * cleanNumber(1 - targetPercent / 100));
}
