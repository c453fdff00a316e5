import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { NthlayerClient, nthlayerApiRef } from './api';
import { rootRouteRef, scorecardRouteRef } from './routes';

/**
 * The NthLayer frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const nthlayerPlugin = createPlugin({
  id: 'nthlayer',
  apis: [
    createApiFactory({
      api: nthlayerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NthlayerClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, scorecard: scorecardRouteRef },
});

/**
 * SLO and error-budget card for entity pages (legacy frontend system). Place it behind
 * `isNthlayerAvailable`, e.g. in an `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerSloCard: () => JSX.Element = nthlayerPlugin.provide(
  createComponentExtension({
    name: 'EntityNthlayerSloCard',
    component: {
      lazy: () =>
        import('./components/EntityNthlayerSloCard').then(
          m => m.EntityNthlayerSloCard,
        ),
    },
  }),
);

/**
 * Deploy gate card for entity pages (legacy frontend system): the verdict a deploy would get
 * now with the rules that decided it, overrides, recent decisions and deployments, and an
 * "Override gate" dialog for users holding `nthlayer.gate.override` on the entity. Place it
 * behind `isNthlayerAvailable`, e.g. in an `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerGateCard: () => JSX.Element = nthlayerPlugin.provide(
  createComponentExtension({
    name: 'EntityNthlayerGateCard',
    component: {
      lazy: () =>
        import('./components/EntityNthlayerGateCard').then(
          m => m.EntityNthlayerGateCard,
        ),
    },
  }),
);

/**
 * Drift card for entity pages (legacy frontend system): how what runs (Prometheus rules, SLO
 * thresholds, the Grafana dashboard, PagerDuty, the budget trend) differs from what NthLayer
 * generates, per target, each difference side by side, as the scheduled drift task last found
 * it. A target that could not be read is shown as such, never as "no drift". Place it behind
 * `isNthlayerAvailable`, e.g. in an `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerDriftCard: () => JSX.Element = nthlayerPlugin.provide(
  createComponentExtension({
    name: 'EntityNthlayerDriftCard',
    component: {
      lazy: () =>
        import('./components/EntityNthlayerDriftCard').then(
          m => m.EntityNthlayerDriftCard,
        ),
    },
  }),
);

/**
 * PagerDuty incidents card for entity pages (legacy frontend system): open incidents, those
 * of the last 7 days and a table of the stored incidents, or why PagerDuty is not configured
 * (`nthlayer.pagerduty.token`). Place it behind `isNthlayerAvailable`, e.g. in an
 * `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerIncidentsCard: () => JSX.Element =
  nthlayerPlugin.provide(
    createComponentExtension({
      name: 'EntityNthlayerIncidentsCard',
      component: {
        lazy: () =>
          import('./components/EntityNthlayerIncidentsCard').then(
            m => m.EntityNthlayerIncidentsCard,
          ),
      },
    }),
  );

/**
 * The Reliability tab of entity pages (legacy frontend system): per SLO the summary, the
 * error budget burn-down and the burn-rate table. Mount it in an
 * `EntityLayout.Route path="/nthlayer" title="Reliability" if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerContent: () => JSX.Element = nthlayerPlugin.provide(
  createRoutableExtension({
    name: 'EntityNthlayerContent',
    component: () =>
      import('./components/EntityNthlayerContent').then(
        m => m.EntityNthlayerContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Generated configs tab of entity pages (legacy frontend system): the rules, alerts,
 * OpenSLO, dashboard and PagerDuty config NthLayer generates, with download and a zip of
 * all. Mount it in an
 * `EntityLayout.Route path="/nthlayer-configs" title="Generated configs" if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerArtifactsContent: () => JSX.Element =
  nthlayerPlugin.provide(
  createRoutableExtension({
    name: 'EntityNthlayerArtifactsContent',
    component: () =>
      import('./components/EntityNthlayerArtifactsContent').then(
        m => m.EntityNthlayerArtifactsContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Dependencies tab of entity pages (legacy frontend system): the dependency graph around
 * the entity, declared and discovered, each entity coloured by its worst budget status, with
 * depth and direction controls, a legend, the graph's findings and a table of its entities.
 * Mount it in an
 * `EntityLayout.Route path="/nthlayer-dependencies" title="Dependencies" if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerDependenciesContent: () => JSX.Element =
  nthlayerPlugin.provide(
    createRoutableExtension({
      name: 'EntityNthlayerDependenciesContent',
      component: () =>
        import('./components/EntityNthlayerDependenciesContent').then(
          m => m.EntityNthlayerDependenciesContent,
        ),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * Blast radius card for entity pages (legacy frontend system): what depends on the entity,
 * transitively, with a severity and its reason, the tier-1 count, the owners affected and
 * the entities by depth. Place it behind `isNthlayerAvailable`, e.g. in an
 * `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerBlastRadiusCard: () => JSX.Element =
  nthlayerPlugin.provide(
    createComponentExtension({
      name: 'EntityNthlayerBlastRadiusCard',
      component: {
        lazy: () =>
          import('./components/EntityNthlayerBlastRadiusCard').then(
            m => m.EntityNthlayerBlastRadiusCard,
          ),
      },
    }),
  );

/**
 * Reliability scorecard card for Group entity pages (legacy frontend system): the team's
 * score, status and trend, and its services with their scores. Place it on the group page,
 * e.g. in an `EntitySwitch.Case if={isKind('group')}`.
 *
 * @public
 */
export const EntityNthlayerTeamScorecardCard: () => JSX.Element =
  nthlayerPlugin.provide(
    createComponentExtension({
      name: 'EntityNthlayerTeamScorecardCard',
      component: {
        lazy: () =>
          import('./components/EntityNthlayerTeamScorecardCard').then(
            m => m.EntityNthlayerTeamScorecardCard,
          ),
      },
    }),
  );

/**
 * Reliability card for System entity pages (legacy frontend system): the system's score,
 * status, composite error budget remaining and its services with their scores. Place it on
 * the system page, e.g. in an `EntitySwitch.Case if={isKind('system')}`.
 *
 * @public
 */
export const EntityNthlayerSystemCard: () => JSX.Element = nthlayerPlugin.provide(
  createComponentExtension({
    name: 'EntityNthlayerSystemCard',
    component: {
      lazy: () =>
        import('./components/EntityNthlayerSystemCard').then(
          m => m.EntityNthlayerSystemCard,
        ),
    },
  }),
);

/**
 * The NthLayer scorecard page (legacy frontend system): the organisation's score, insights,
 * teams ranked with their trend, the score history, and every service in a paginated,
 * sortable, filterable table with a "Download CSV" button. Mount it with
 * `<Route path="/nthlayer" element={<NthlayerScorecardPage />} />` and link it from the
 * sidebar.
 *
 * @public
 */
export const NthlayerScorecardPage: () => JSX.Element = nthlayerPlugin.provide(
  createRoutableExtension({
    name: 'NthlayerScorecardPage',
    component: () =>
      import('./components/NthlayerScorecardPage').then(
        m => m.NthlayerScorecardPage,
      ),
    mountPoint: scorecardRouteRef,
  }),
);
