import { RollupCard } from '../shared/RollupCard';

/**
 * Card for Group entity pages: the team's reliability scorecard, from the portfolio filtered
 * by `group=<the group's entity ref>`.
 *
 * @remarks
 * The team's score (tier-weighted, "no data" without any), status, trend vs 7 and 30 days,
 * services by status, tier-1 services below target, and its services, worst score first,
 * each with tier, status and score. Test ids: `nthlayer-team-card` (`data-ref`),
 * `nthlayer-team-card-score`, `nthlayer-team-card-status`, `nthlayer-team-card-services`
 * with `nthlayer-rollup-service` rows and `nthlayer-rollup-service-score`, and
 * `nthlayer-team-card-none` when the team owns no managed service.
 *
 * @public
 */
export function EntityNthlayerTeamScorecardCard() {
  return (
    <RollupCard
      title="Reliability scorecard"
      filter="group"
      prefix="nthlayer-team-card"
      noServices="This team owns no NthLayer-managed service."
      showBudget={false}
    />
  );
}
