/**
 * NthLayer for Backstage's new frontend system: the plugin (default export) with its
 * API, the SLO, deploy gate, drift and incidents entity cards and the Reliability and Generated
 * configs entity tabs.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { NthlayerClient, isNthlayerAvailable, nthlayerApiRef } from './api';

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
 * NthLayer for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'nthlayer',
  title: 'NthLayer',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    nthlayerApi,
    nthlayerSloEntityCard,
    nthlayerGateEntityCard,
    nthlayerDriftEntityCard,
    nthlayerIncidentsEntityCard,
    nthlayerReliabilityEntityContent,
    nthlayerArtifactsEntityContent,
  ],
});
