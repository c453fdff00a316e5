import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { NTHLAYER_FACT_RETRIEVER_ID, nthlayerFactRetriever } from './nthlayerFactRetriever';

/**
 * Adds NthLayer's fact retriever to Tech Insights. It is only scheduled once
 * `techInsights.factRetrievers.nthlayerFactRetriever.cadence` is configured.
 *
 * @public
 */
export const techInsightsModuleNthlayer = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'nthlayer',
  register(env) {
    env.registerInit({
      deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ retrievers }) {
        retrievers.addFactRetrievers({ [NTHLAYER_FACT_RETRIEVER_ID]: nthlayerFactRetriever });
      },
    });
  },
});
