/** The remaining-budget levels (percent) whose crossing notifies the owners. @public */
export const BUDGET_NOTIFICATION_LEVELS = [50, 25, 10, 0] as const;

/**
 * The lowest notification level a remaining budget ratio is at or below: 50, 25, 10 or 0
 * (exhausted), or 100 when it is above 50 %. Null (no data) is no level: null.
 * @public
 */
export function budgetLevel(remainingRatio: number | null): number | null {
  if (remainingRatio === null || !Number.isFinite(remainingRatio)) return null;
  const percent = remainingRatio * 100;
  let level = 100;
  for (const threshold of BUDGET_NOTIFICATION_LEVELS) if (percent <= threshold) level = threshold;
  return level;
}

/**
 * What a new measurement means for the level already notified: `notify` when the budget fell
 * to a lower level than the one notified (once per crossing: staying at 20 % does not notify
 * again), `reset` when it recovered above it (the next fall notifies again), else `none`.
 * @public
 */
export function budgetCrossing(
  notifiedLevel: number,
  remainingRatio: number | null,
): { action: 'notify' | 'reset' | 'none'; level: number } {
  const level = budgetLevel(remainingRatio);
  if (level === null) return { action: 'none', level: notifiedLevel };
  if (level < notifiedLevel) return { action: 'notify', level };
  if (level > notifiedLevel) return { action: 'reset', level };
  return { action: 'none', level };
}
