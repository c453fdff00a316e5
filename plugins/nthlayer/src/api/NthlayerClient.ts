import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntitySlosResponse } from '@internal/plugin-nthlayer-common';
import { NthlayerApi } from './NthlayerApi';

/**
 * Default {@link NthlayerApi} implementation, over `discoveryApi` and `fetchApi`
 * (so requests carry the user's Backstage token).
 *
 * @public
 */
export class NthlayerClient implements NthlayerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntitySlos(
    entityRef: CompoundEntityRef,
  ): Promise<EntitySlosResponse> {
    // Kind and namespace are case-insensitive in the catalog; send them lower-cased
    // like stringifyEntityRef does. The name is sent as written.
    const path = [
      'v1/entities',
      encodeURIComponent(entityRef.kind.toLocaleLowerCase('en-US')),
      encodeURIComponent(entityRef.namespace.toLocaleLowerCase('en-US')),
      encodeURIComponent(entityRef.name),
      'slos',
    ].join('/');
    const response = await this.request(path);
    return (await response.json()) as EntitySlosResponse;
  }

  async refresh(): Promise<void> {
    await this.request('v1/refresh', { method: 'POST' });
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('nthlayer');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
