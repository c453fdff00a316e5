import { parseEntityRef } from '@backstage/catalog-model';
import {
  PortfolioStatus,
  ServiceTier,
} from '@nthlayer/backstage-plugin-common';

/**
 * Pure formatting of scores, trends and budgets of the portfolio views. A missing number is
 * always `no data`, never 0.
 */

/** What a missing score, trend or budget reads as. */
export const NO_DATA = 'no data';

/** A 0–100 score with at most one decimal (`87.5`, `90`), or `no data`. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) {
    return NO_DATA;
  }
  return String(Math.round(score * 10) / 10);
}

/** The change since a past score, signed (`+2.5`, `-1`, `0`), or `no data` when either is missing. */
export function formatScoreDelta(
  current: number | null | undefined,
  past: number | null | undefined,
): string {
  if (
    current === null ||
    current === undefined ||
    past === null ||
    past === undefined ||
    !Number.isFinite(current) ||
    !Number.isFinite(past)
  ) {
    return NO_DATA;
  }
  const delta = Math.round((current - past) * 10) / 10;
  if (delta === 0) return '0';
  return delta > 0 ? `+${delta}` : String(delta);
}

/** A remaining budget ratio as a percentage with one decimal (`85.0 %`), or `no data`. */
export function formatRatioPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return NO_DATA;
  }
  return `${(ratio * 100).toFixed(1)} %`;
}

/** `T1`, or `—` without a tier. */
export function formatTier(tier: ServiceTier | null | undefined): string {
  return tier ? `T${tier}` : '—';
}

const PORTFOLIO_STATUS_LABELS: Record<PortfolioStatus, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
};

/** `Healthy`, `Warning` or `Critical`. */
export function portfolioStatusLabel(status: PortfolioStatus): string {
  return PORTFOLIO_STATUS_LABELS[status] ?? status;
}

/** Worst last: healthy 0, warning 1, critical 2. */
export const PORTFOLIO_STATUS_RANK: Record<PortfolioStatus, number> = {
  healthy: 0,
  warning: 1,
  critical: 2,
};

/** The name of an entity ref (`group:default/team-payments` → `team-payments`), the ref itself when it does not parse. */
export function entityName(ref: string): string {
  try {
    return parseEntityRef(ref, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    }).name;
  } catch {
    return ref;
  }
}
