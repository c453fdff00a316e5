import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
  /** More `nthlayer.*` config, e.g. `{ validation: { lookback: '6h' } }`. */
  config?: Record<string, unknown>;
  /** More features, e.g. a mock UrlReader. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const { server } = await startTestBackend({
    features: [
      nthlayerPlugin,
      mockServices.rootConfig.factory({
        data: {
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
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.factory({ result: options.permission ?? AuthorizeResult.ALLOW }),
      ...(options.features ?? []),
    ],
  });
  return server;
}
