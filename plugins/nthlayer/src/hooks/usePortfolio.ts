import { PortfolioFilters } from '../api';
import { useNthlayerQuery } from './useNthlayerQuery';

/** Loads the portfolio, narrowed by the filters given; again when they change. */
export function usePortfolio(filters: PortfolioFilters = {}) {
  const { group, system, tier } = filters;
  return useNthlayerQuery(
    api =>
      api.getPortfolio({
        ...(group ? { group } : {}),
        ...(system ? { system } : {}),
        ...(tier !== undefined ? { tier } : {}),
      }),
    [group, system, tier],
  );
}
