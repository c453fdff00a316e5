import { createBackend } from '@backstage/backend-defaults';
import { demoPublishModule, demoRepositoriesPlugin } from './demoRepositories';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: the demo signs everyone in as guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Template entities (catalog-info/templates) for the scaffolder.
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));

// permissions: everyone reads; gate overrides only for the entity's owners, refreshes for
// team members (src/permissionPolicy.ts)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// notifications: NthLayer tells owning groups about blocked deploys and budget crossings
backend.add(import('@backstage/plugin-notifications-backend'));

// NthLayer
backend.add(import('@nthlayer/backstage-plugin-backend'));
// Tech Insights with NthLayer's facts (techInsights.factRetrievers.nthlayerFactRetriever in app-config).
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(import('@nthlayer/backstage-plugin-tech-insights-backend-module-nthlayer'));

// Scaffolder: the "Reliable service" template (catalog-info/templates) with NthLayer's
// nthlayer:generate / nthlayer:validate; registry actions are bridged in as <plugin>:<name>.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@nthlayer/backstage-plugin-scaffolder-backend-module-nthlayer'));
// The demo's stand-in for a git host (src/demoRepositories.ts): demo:publish:directory and
// the read-only folder the catalog registers new services from.
backend.add(demoRepositoriesPlugin);
backend.add(demoPublishModule);

// MCP: every action of the plugins in backend.actions.pluginSources, served at
// /api/mcp-actions/v1 (app-config.yaml: mcpActions.servers.nthlayer, the assistant token).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
