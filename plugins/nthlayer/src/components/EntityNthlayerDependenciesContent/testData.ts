import {
  BlastRadiusResponse,
  DependencyGraphEntity,
  EntityDependenciesResponse,
  NeighbourhoodDirection,
  blastRadius,
  buildDependencyGraph,
  dependencyNeighbourhood,
} from '@nthlayer/backstage-plugin-common';

/**
 * Test fixtures of the dependency tab and the blast-radius card, built with the common
 * package's graph builder, the one the backend uses, so every answer is one it can produce.
 * The demo's shape: checkout-api declares six dependencies and calls coupon-api without
 * declaring it.
 */

export const BUILT_AT = '2026-03-01T10:00:00.000Z';

const entity = (
  name: string,
  overrides: Partial<DependencyGraphEntity> = {},
): DependencyGraphEntity => ({
  entityRef: `component:default/${name}`,
  kind: 'component',
  name,
  managed: true,
  tier: 2,
  owner: 'group:default/team-payments',
  system: 'system:default/commerce',
  dependsOn: [],
  status: 'healthy',
  minRemainingRatio: 0.8,
  gateVerdict: 'allow',
  ...overrides,
});

const resource = (name: string, owner = 'group:default/team-platform') =>
  entity(name, {
    entityRef: `resource:default/${name}`,
    kind: 'resource',
    managed: false,
    tier: null,
    owner,
    status: null,
    minRemainingRatio: null,
    gateVerdict: null,
  });

export const CHECKOUT = 'component:default/checkout-api';

export const graphEntities: DependencyGraphEntity[] = [
  entity('checkout-api', {
    tier: 1,
    status: 'critical',
    minRemainingRatio: 0.08,
    gateVerdict: 'block',
    dependsOn: [
      'component:default/payment-api',
      'component:default/auth-api',
      'component:default/catalog-api',
      'resource:default/orders-db',
      'resource:default/session-cache',
      'resource:default/events-bus',
    ],
  }),
  entity('payment-api', {
    tier: 1,
    // A ref the catalog lacks: a missing node two steps from checkout-api.
    dependsOn: ['resource:default/orders-db', 'component:default/ledger-api'],
  }),
  entity('auth-api', {
    tier: 1,
    owner: 'group:default/team-platform',
    status: 'warning',
    minRemainingRatio: 0.2,
    gateVerdict: 'warn',
    dependsOn: ['resource:default/session-cache'],
  }),
  entity('catalog-api', {
    owner: 'group:default/team-growth',
    status: 'no-data',
    minRemainingRatio: null,
  }),
  entity('coupon-api', {
    tier: 3,
    owner: 'group:default/team-growth',
    status: 'exhausted',
    minRemainingRatio: -0.1,
    gateVerdict: 'block',
  }),
  entity('api-gateway', {
    tier: 1,
    owner: 'group:default/team-platform',
    dependsOn: ['component:default/checkout-api'],
  }),
  entity('mobile-bff', {
    owner: 'group:default/team-growth',
    status: 'pending',
    minRemainingRatio: null,
    gateVerdict: null,
    dependsOn: ['component:default/api-gateway'],
  }),
  resource('orders-db'),
  resource('session-cache'),
  resource('events-bus', 'group:default/team-data'),
];

/** The graph: checkout-api is seen calling payment-api (declared) and coupon-api (not). */
export const graph = buildDependencyGraph({
  entities: graphEntities,
  discovered: [
    { client: 'checkout-api', server: 'payment-api', requestRate: 12.5, requestsLookback: 7_560_000 },
    { client: 'checkout-api', server: 'coupon-api', requestRate: 0.4, requestsLookback: 241_920 },
  ],
});

/** What `GET …/dependencies?depth=&direction=` answers for checkout-api. */
export function dependencies(
  depth = 2,
  direction: NeighbourhoodDirection = 'both',
  ref = CHECKOUT,
): EntityDependenciesResponse {
  return dependencyNeighbourhood(graph, ref, depth, direction, BUILT_AT);
}

/** What `GET …/blast-radius` answers for an entity of the graph. */
export function blast(ref = CHECKOUT): BlastRadiusResponse {
  return blastRadius(graph, ref, BUILT_AT);
}

/**
 * A graph of `count` services in a chain of fan-outs around `component:default/svc-0`, for
 * the size the tab must stay readable at.
 */
export function largeDependencies(count: number): EntityDependenciesResponse {
  const entities = Array.from({ length: count }, (_, i) =>
    entity(`svc-${i}`, {
      tier: ((i % 3) + 1) as 1 | 2 | 3,
      status: (['healthy', 'warning', 'critical', 'no-data'] as const)[i % 4],
      dependsOn: [1, 2, 3]
        .map(k => i * 3 + k)
        .filter(j => j < count)
        .map(j => `component:default/svc-${j}`),
    }),
  );
  const big = buildDependencyGraph({ entities });
  return dependencyNeighbourhood(big, 'component:default/svc-0', 5, 'downstream', BUILT_AT);
}
