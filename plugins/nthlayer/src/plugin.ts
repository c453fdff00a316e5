import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { NthlayerClient, nthlayerApiRef } from './api';

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
});

/**
 * SLO and error-budget card for entity pages (legacy frontend system). Place it behind
 * `isNthlayerAvailable`, e.g. in an `EntitySwitch.Case if={isNthlayerAvailable}`.
 *
 * @public
 */
export const EntityNthlayerSloCard = nthlayerPlugin.provide(
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
