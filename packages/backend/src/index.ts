import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: the demo signs everyone in as guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

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

backend.start();
