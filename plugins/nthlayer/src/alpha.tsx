/**
 * NthLayer for Backstage's new frontend system: the plugin (default export) with its
 * API, the SLO, deploy gate, drift, incidents and blast radius entity cards, the team and
 * system scorecard cards, the Reliability, Generated configs and Dependencies entity tabs, and
 * the Reliability scorecard page at `/nthlayer`.
 *
 * @packageDocumentation
 */
import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { NthlayerClient, isNthlayerAvailable, nthlayerApiRef } from './api';
import { scorecardPageRouteRef } from './routes';

/** The `nthlayerApiRef` implementation: `api:nthlayer`. @alpha */
export const nthlayerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: nthlayerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NthlayerClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The SLO card on the overview of NthLayer-managed entities:
 * `entity-card:nthlayer/slos`. Its `filter` may be overridden in app-config.
 *
 * @alpha
 */
export const nthlayerSloEntityCard = EntityCardBlueprint.make({
  name: 'slos',
  params: {
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerSloCard').then(m => (
        <m.EntityNthlayerSloCard />
      )),
  },
});

/**
 * The deploy gate card on the overview of NthLayer-managed entities:
 * `entity-card:nthlayer/gate`. The verdict a deploy would get now, the rules that decided
 * it, overrides, recent decisions and deployments, and the "Override gate" dialog for users
 * holding `nthlayer.gate.override` on the entity. Its `filter` may be overridden in
 * app-config.
 *
 * @alpha
 */
export const nthlayerGateEntityCard = EntityCardBlueprint.make({
  name: 'gate',
  params: {
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerGateCard').then(m => (
        <m.EntityNthlayerGateCard />
      )),
  },
});

/**
 * The drift card on the overview of NthLayer-managed entities:
 * `entity-card:nthlayer/drift`. How what runs differs from what NthLayer generates, per
 * target (Prometheus rules, SLO thresholds, Grafana dashboard, PagerDuty, budget trend), each
 * difference side by side, as the scheduled drift task last found it; a target that could not
 * be read is shown as such, never as "no drift". Its `filter` may be overridden in app-config.
 *
 * @alpha
 */
export const nthlayerDriftEntityCard = EntityCardBlueprint.make({
  name: 'drift',
  params: {
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerDriftCard').then(m => (
        <m.EntityNthlayerDriftCard />
      )),
  },
});

/**
 * The PagerDuty incidents card on the overview of NthLayer-managed entities:
 * `entity-card:nthlayer/incidents`. Open incidents, those of the last 7 days and a table of
 * the stored incidents, or why PagerDuty is not configured (`nthlayer.pagerduty.token`). Its
 * `filter` may be overridden in app-config.
 *
 * @alpha
 */
export const nthlayerIncidentsEntityCard = EntityCardBlueprint.make({
  name: 'incidents',
  params: {
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerIncidentsCard').then(m => (
        <m.EntityNthlayerIncidentsCard />
      )),
  },
});

/**
 * The Reliability tab of NthLayer-managed entities at `/nthlayer`:
 * `entity-content:nthlayer/reliability`. Per SLO the summary, the error budget burn-down
 * and the burn-rate table.
 *
 * @alpha
 */
export const nthlayerReliabilityEntityContent = EntityContentBlueprint.make({
  name: 'reliability',
  params: {
    path: '/nthlayer',
    title: 'Reliability',
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerContent').then(m => (
        <m.EntityNthlayerContent />
      )),
  },
});

/**
 * The Generated configs tab of NthLayer-managed entities at `/nthlayer-configs`:
 * `entity-content:nthlayer/artifacts`. The generated rules, alerts, OpenSLO, dashboard and
 * PagerDuty config with what each is for, a viewer, copy, download and a zip of all.
 *
 * @alpha
 */
export const nthlayerArtifactsEntityContent = EntityContentBlueprint.make({
  name: 'artifacts',
  params: {
    path: '/nthlayer-configs',
    title: 'Generated configs',
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerArtifactsContent').then(m => (
        <m.EntityNthlayerArtifactsContent />
      )),
  },
});

/**
 * The Dependencies tab of NthLayer-managed entities at `/nthlayer-dependencies`:
 * `entity-content:nthlayer/dependencies`. The dependency graph around the entity (depth 1–5,
 * both ways, downstream or upstream), each entity coloured by its worst budget status with
 * its tier, discovered-only edges dashed and labelled "discovered", a click opening the
 * entity's page; a legend, the graph's findings and a table of its entities below.
 *
 * @alpha
 */
export const nthlayerDependenciesEntityContent = EntityContentBlueprint.make({
  name: 'dependencies',
  params: {
    path: '/nthlayer-dependencies',
    title: 'Dependencies',
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerDependenciesContent').then(m => (
        <m.EntityNthlayerDependenciesContent />
      )),
  },
});

/**
 * The blast radius card on the overview of NthLayer-managed entities:
 * `entity-card:nthlayer/blast-radius`. What depends on the entity, transitively: the
 * severity with its reason, the affected and tier-1 counts, the owners affected and the
 * entities by depth. Its `filter` may be overridden in app-config.
 *
 * @alpha
 */
export const nthlayerBlastRadiusEntityCard = EntityCardBlueprint.make({
  name: 'blast-radius',
  params: {
    filter: isNthlayerAvailable,
    loader: () =>
      import('./components/EntityNthlayerBlastRadiusCard').then(m => (
        <m.EntityNthlayerBlastRadiusCard />
      )),
  },
});

/**
 * The team scorecard card on the overview of Group entities:
 * `entity-card:nthlayer/team-scorecard` (filter `{ kind: 'group' }`). The team's score,
 * status, trend and its services with their scores.
 *
 * @alpha
 */
export const nthlayerTeamScorecardEntityCard = EntityCardBlueprint.make({
  name: 'team-scorecard',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/EntityNthlayerTeamScorecardCard').then(m => (
        <m.EntityNthlayerTeamScorecardCard />
      )),
  },
});

/**
 * The system card on the overview of System entities:
 * `entity-card:nthlayer/system-scorecard` (filter `{ kind: 'system' }`). The system's score,
 * status, composite error budget remaining and its services with their scores.
 *
 * @alpha
 */
export const nthlayerSystemScorecardEntityCard = EntityCardBlueprint.make({
  name: 'system-scorecard',
  params: {
    filter: { kind: 'system' },
    loader: () =>
      import('./components/EntityNthlayerSystemCard').then(m => (
        <m.EntityNthlayerSystemCard />
      )),
  },
});

/**
 * The reliability scorecard page at `/nthlayer`: `page:nthlayer`, in the app's navigation as
 * "Scorecards" (not "Reliability": that is the entity tab's title). The organisation's score, insights, teams ranked with their trend, the score
 * history, and every service in a paginated, sortable, filterable table with a "Download CSV"
 * button. Its `path` and `title` may be overridden in app-config.
 *
 * @alpha
 */
export const nthlayerScorecardPage = PageBlueprint.make({
  params: {
    path: '/nthlayer',
    title: 'Scorecards',
    icon: <AssessmentIcon />,
    routeRef: scorecardPageRouteRef,
    loader: () =>
      import('./components/NthlayerScorecardPage').then(m => (
        <Content>
          <m.NthlayerScorecardContent />
        </Content>
      )),
  },
});

/**
 * NthLayer for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'nthlayer',
  title: 'NthLayer',
  info: { packageJson: () => import('../package.json') },
  routes: { root: scorecardPageRouteRef },
  extensions: [
    nthlayerApi,
    nthlayerSloEntityCard,
    nthlayerGateEntityCard,
    nthlayerDriftEntityCard,
    nthlayerIncidentsEntityCard,
    nthlayerReliabilityEntityContent,
    nthlayerArtifactsEntityContent,
    nthlayerDependenciesEntityContent,
    nthlayerBlastRadiusEntityCard,
    nthlayerTeamScorecardEntityCard,
    nthlayerSystemScorecardEntityCard,
    nthlayerScorecardPage,
  ],
});
