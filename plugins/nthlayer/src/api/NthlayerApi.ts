import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import { EntitySlosResponse } from '@internal/plugin-nthlayer-common';

/**
 * Talks to the NthLayer backend plugin (`/api/nthlayer`).
 *
 * @public
 */
export interface NthlayerApi {
  /**
   * SLOs, error budgets and findings of one catalog entity.
   *
   * Rejects with a `ResponseError` (status 404) when the backend does not know the entity.
   */
  getEntitySlos(entityRef: CompoundEntityRef): Promise<EntitySlosResponse>;

  /**
   * Asks the backend to recompute all budgets now. Needs the `nthlayer.refresh`
   * permission; rejects with a `ResponseError` (status 403) without it.
   */
  refresh(): Promise<void>;
}

/**
 * The utility API reference of {@link NthlayerApi}, usable in both frontend systems.
 *
 * @public
 */
export const nthlayerApiRef = createApiRef<NthlayerApi>().with({
  id: 'plugin.nthlayer.service',
  pluginId: 'nthlayer',
});
