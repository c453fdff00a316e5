import { PermissionsService, coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationService, notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { nthlayerPlugin } from '../plugin';

/**
 * Starts a test backend with the NthLayer plugin, a mock catalog holding `entities`, and a
 * budget task that does not run during the test. Prometheus is at `baseUrl` (default: a
 * closed port, i.e. down).
 */
export async function startNthlayerTestBackend(options: {
  entities: Entity[];
  baseUrl?: string;
  timeoutMs?: number;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** The permission service instead of one answering `permission` to everything, e.g. a mock deciding per caller. */
  permissions?: PermissionsService;
  /** More `nthlayer.*` config, e.g. `{ validation: { lookback: '6h' } }`. */
  config?: Record<string, unknown>;
  /** Config outside `nthlayer`, e.g. `{ backend: { actions: { pluginSources: ['catalog'] } } }`. */
  rootConfig?: Record<string, unknown>;
  /** More features, e.g. a mock UrlReader. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** The catalog the plugin reads instead of one holding `entities`, e.g. one whose calls a test counts. */
  catalog?: CatalogService;
  /** The plugin's database instead of a fresh in-memory one, e.g. one a test writes history to. */
  knex?: Knex;
  /** The notifications backend's client (default: one that accepts and forgets). */
  notifications?: NotificationService;
}) {
  const { catalog, knex } = options;
  const { server } = await startTestBackend({
    features: [
      nthlayerPlugin,
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          nthlayer: {
            prometheus: {
              baseUrl: options.baseUrl ?? 'http://127.0.0.1:9',
              timeoutMs: options.timeoutMs ?? 1000,
              retries: 0,
            },
            schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } },
            ...options.config,
          },
        },
      }),
      catalog
        ? createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog })
        : catalogServiceMock.factory({ entities: options.entities }),
      options.permissions
        ? createServiceFactory({ service: coreServices.permissions, deps: {}, factory: () => options.permissions! })
        : mockServices.permissions.factory({ result: options.permission ?? AuthorizeResult.ALLOW }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => options.notifications ?? { send: async () => {} },
      }),
      ...(knex ? [mockServices.database.factory({ knex })] : []),
      ...(options.features ?? []),
    ],
  });
  return server;
}
