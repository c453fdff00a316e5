import { PortfolioInsight, PortfolioResponse } from './api';
import { plural, refName, roundTo } from './numbers';

/** At most this many insights are listed. @public */
export const MAX_PORTFOLIO_INSIGHTS = 10;

const SEVERITY_RANK: Record<PortfolioInsight['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** `82`, `71.5`. */
const score = (v: number) => String(roundTo(v, 1));

/** `team-payments'`, `platform's`. */
const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/**
 * The sentences worth reading first, with exact numbers:
 * - critical `3 tier-1 services below target` when tier-1 services have an SLO below target;
 * - per service with 25 % or less of its budget left, worst first: "checkout-api burned 85 % of
 *   its budget" (burned = round((1 − ratio) × 100); warning), or `… overspent its budget by 12 %`
 *   (round(−ratio × 100)) when the ratio is negative — critical from a ratio of 0 down;
 * - warning `2 services would be blocked from deploying` (gate verdict block);
 * - warning `2 services have critical drift` (driftCritical \> 0);
 * - warning per team whose score fell by 5 points or more in 7 days:
 *   "team-payments' score fell from 82 to 71 in 7 days".
 * Sorted critical, warning, info (otherwise in the order above); at most
 * {@link MAX_PORTFOLIO_INSIGHTS}.
 *
 * @public
 */
export function portfolioInsights(p: Omit<PortfolioResponse, 'insights'>): PortfolioInsight[] {
  const insights: PortfolioInsight[] = [];

  if (p.org.tier1BelowTarget > 0) {
    const refs = p.services.filter(s => s.tier === 1 && s.slosBelowTarget > 0).map(s => s.entityRef);
    insights.push({
      severity: 'critical',
      message: `${plural(p.org.tier1BelowTarget, 'tier-1 service')} below target`,
      refs,
    });
  }

  const burning = p.services
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.minRemainingRatio !== null && s.minRemainingRatio <= 0.25)
    .sort((a, b) => (a.s.minRemainingRatio as number) - (b.s.minRemainingRatio as number) || a.index - b.index);
  for (const { s } of burning) {
    const ratio = s.minRemainingRatio as number;
    const overspent = Math.round(-ratio * 100);
    const message =
      ratio < 0 && overspent > 0
        ? `${s.name} overspent its budget by ${overspent} %`
        : `${s.name} burned ${Math.round((1 - ratio) * 100)} % of its budget`;
    insights.push({ severity: ratio <= 0 ? 'critical' : 'warning', message, refs: [s.entityRef] });
  }

  const blocked = p.services.filter(s => s.gateVerdict === 'block');
  if (blocked.length > 0) {
    insights.push({
      severity: 'warning',
      message: `${plural(blocked.length, 'service')} would be blocked from deploying`,
      refs: blocked.map(s => s.entityRef),
    });
  }

  const drifting = p.services.filter(s => s.driftCritical !== null && s.driftCritical > 0);
  if (drifting.length > 0) {
    insights.push({
      severity: 'warning',
      message: `${plural(drifting.length, 'service')} ${drifting.length === 1 ? 'has' : 'have'} critical drift`,
      refs: drifting.map(s => s.entityRef),
    });
  }

  for (const team of p.teams) {
    if (team.score === null || team.score7dAgo === null) continue;
    if (roundTo(team.score7dAgo - team.score, 1) < 5) continue;
    insights.push({
      severity: 'warning',
      message: `${possessive(refName(team.ref))} score fell from ${score(team.score7dAgo)} to ${score(team.score)} in 7 days`,
      refs: [team.ref],
    });
  }

  return insights
    .map((insight, index) => ({ insight, index }))
    .sort((a, b) => SEVERITY_RANK[a.insight.severity] - SEVERITY_RANK[b.insight.severity] || a.index - b.index)
    .slice(0, MAX_PORTFOLIO_INSIGHTS)
    .map(({ insight }) => insight);
}
