import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  AlertCatalogue,
  loadAlertCatalogue,
  readServiceModelOptions,
} from '@nthlayer/backstage-plugin-generators';
import { createNthlayerGenerateAction } from './actions/generate';
import { createNthlayerValidateAction } from './actions/validate';

/**
 * Scaffolder module adding `nthlayer:generate` and `nthlayer:validate`: templates create
 * services born with their SLOs, rules, alerts, dashboard and PagerDuty config, proven valid
 * before they ship. The service model (tier defaults, time zone, Prometheus instance names)
 * is read from the same `nthlayer.*` app-config the NthLayer backend reads.
 *
 * @public
 */
export const scaffolderModuleNthlayer = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'nthlayer',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, catalog, config }) {
        const model = readServiceModelOptions(config);
        let catalogue: AlertCatalogue | undefined;
        scaffolder.addActions(
          createNthlayerGenerateAction({
            catalog,
            model,
            catalogue: () => (catalogue ??= loadAlertCatalogue()),
          }),
          createNthlayerValidateAction(),
        );
      },
    });
  },
});
