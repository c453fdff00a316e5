import { RollupCard } from '../shared/RollupCard';

/**
 * Card for System entity pages: the system's reliability, from the portfolio filtered by
 * `system=<the system's entity ref>`.
 *
 * @remarks
 * The system's score ("no data" without any), status, composite error budget remaining of
 * its availability SLOs as a percentage, trend vs 7 and 30 days, and its services, worst
 * score first. Test ids: `nthlayer-system-card` (`data-ref`), `nthlayer-system-card-score`,
 * `nthlayer-system-card-status`, `nthlayer-system-card-budget`,
 * `nthlayer-system-card-services` with `nthlayer-rollup-service` rows, and
 * `nthlayer-system-card-none` when no managed service belongs to the system.
 *
 * @public
 */
export function EntityNthlayerSystemCard() {
  return (
    <RollupCard
      title="Reliability"
      filter="system"
      prefix="nthlayer-system-card"
      noServices="No NthLayer-managed service belongs to this system."
      showBudget
    />
  );
}
