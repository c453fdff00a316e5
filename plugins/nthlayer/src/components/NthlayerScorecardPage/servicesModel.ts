import {
  PortfolioRollup,
  PortfolioService,
  PortfolioStatus,
  ServiceTier,
} from '@nthlayer/backstage-plugin-common';
import { PORTFOLIO_STATUS_RANK } from '../shared/scoreFormat';

/**
 * Pure filtering and ordering of the scorecard page. Everything is done in the browser on one
 * portfolio response.
 */

/** The selects above the services table; `''` is "all". */
export interface ServiceFilters {
  /** Owner Group entity ref. */
  team: string;
  tier: '' | `${ServiceTier}`;
  status: '' | PortfolioStatus;
  /** System entity ref. */
  system: string;
}

export const NO_FILTERS: ServiceFilters = {
  team: '',
  tier: '',
  status: '',
  system: '',
};

/** The services matching every filter set. */
export function filterServices(
  services: PortfolioService[],
  filters: ServiceFilters,
): PortfolioService[] {
  const tier = filters.tier ? Number(filters.tier) : undefined;
  if (!filters.team && !tier && !filters.status && !filters.system) {
    return services;
  }
  return services.filter(
    s =>
      (!filters.team || s.owner === filters.team) &&
      (tier === undefined || s.tier === tier) &&
      (!filters.status || s.status === filters.status) &&
      (!filters.system || s.system === filters.system),
  );
}

/** The distinct owners or systems of the services (and of the roll-ups), sorted. */
export function distinctRefs(
  services: PortfolioService[],
  key: 'owner' | 'system',
  rollups: PortfolioRollup[] = [],
): string[] {
  const refs = new Set<string>(rollups.map(r => r.ref));
  for (const s of services) {
    const ref = s[key];
    if (ref) refs.add(ref);
  }
  return [...refs].sort((a, b) => a.localeCompare(b));
}

/** Numbers ascending with nulls (no data) after every number. */
export function compareNullable(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/** The orders the services table offers, per column. */
export const SERVICE_ORDER = {
  name: (a: PortfolioService, b: PortfolioService) =>
    a.name.localeCompare(b.name) || a.entityRef.localeCompare(b.entityRef),
  team: (a: PortfolioService, b: PortfolioService) =>
    (a.owner ?? '').localeCompare(b.owner ?? '') || SERVICE_ORDER.name(a, b),
  system: (a: PortfolioService, b: PortfolioService) =>
    (a.system ?? '').localeCompare(b.system ?? '') || SERVICE_ORDER.name(a, b),
  tier: (a: PortfolioService, b: PortfolioService) =>
    a.tier - b.tier || SERVICE_ORDER.name(a, b),
  status: (a: PortfolioService, b: PortfolioService) =>
    (PORTFOLIO_STATUS_RANK[a.status] ?? 3) -
      (PORTFOLIO_STATUS_RANK[b.status] ?? 3) || SERVICE_ORDER.name(a, b),
  score: (a: PortfolioService, b: PortfolioService) =>
    compareNullable(a.score, b.score) || SERVICE_ORDER.name(a, b),
  budget: (a: PortfolioService, b: PortfolioService) =>
    compareNullable(a.minRemainingRatio, b.minRemainingRatio) ||
    SERVICE_ORDER.name(a, b),
};

/** Teams ranked: best score first, no score last, then by name. */
export function rankTeams(teams: PortfolioRollup[]): PortfolioRollup[] {
  const negated = (r: PortfolioRollup) => (r.score === null ? null : -r.score);
  return [...teams].sort(
    (a, b) =>
      compareNullable(negated(a), negated(b)) || a.ref.localeCompare(b.ref),
  );
}

/** The five components of a score in words: `slo-compliance 15/30 · incidents no data/25 …`. */
export function componentsText(service: PortfolioService): string {
  return service.components
    .map(
      c =>
        `${c.id} ${c.points === null ? 'no data' : c.points}/${c.maxPoints}`,
    )
    .join(' · ');
}
