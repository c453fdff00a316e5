import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityArtifactsResponse,
  EntityArtifactsValidationResponse,
  EntitySlosResponse,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';
import { NthlayerApi, SloHistoryOptions } from './NthlayerApi';

/** `v1/entities/{kind}/{namespace}/{name}` of an entity. */
function entityPath(entityRef: CompoundEntityRef): string {
  // Kind and namespace are case-insensitive in the catalog; send them lower-cased
  // like stringifyEntityRef does. The name is sent as written.
  return [
    'v1/entities',
    encodeURIComponent(entityRef.kind.toLocaleLowerCase('en-US')),
    encodeURIComponent(entityRef.namespace.toLocaleLowerCase('en-US')),
    encodeURIComponent(entityRef.name),
  ].join('/');
}

function isoTime(time: Date | string): string {
  return typeof time === 'string' ? time : time.toISOString();
}

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
    const response = await this.request(`${entityPath(entityRef)}/slos`);
    return (await response.json()) as EntitySlosResponse;
  }

  async getSloHistory(
    entityRef: CompoundEntityRef,
    slo: string,
    options: SloHistoryOptions = {},
  ): Promise<SloHistoryResponse> {
    const query = new URLSearchParams();
    if (options.from !== undefined) query.set('from', isoTime(options.from));
    if (options.to !== undefined) query.set('to', isoTime(options.to));
    if (options.step !== undefined) query.set('step', String(options.step));
    const search = query.toString();
    const path = `${entityPath(entityRef)}/slos/${encodeURIComponent(
      slo,
    )}/history${search ? `?${search}` : ''}`;
    const response = await this.request(path);
    return (await response.json()) as SloHistoryResponse;
  }

  async refresh(): Promise<void> {
    await this.request('v1/refresh', { method: 'POST' });
  }

  async getArtifacts(
    entityRef: CompoundEntityRef,
  ): Promise<EntityArtifactsResponse> {
    const response = await this.request(`${entityPath(entityRef)}/artifacts`);
    return (await response.json()) as EntityArtifactsResponse;
  }

  async validateArtifacts(
    entityRef: CompoundEntityRef,
  ): Promise<EntityArtifactsValidationResponse> {
    const response = await this.request(
      `${entityPath(entityRef)}/artifacts/validation`,
    );
    return (await response.json()) as EntityArtifactsValidationResponse;
  }

  async getArtifact(entityRef: CompoundEntityRef, id: string): Promise<string> {
    const response = await this.request(
      `${entityPath(entityRef)}/artifacts/${encodeURIComponent(id)}`,
    );
    return response.text();
  }

  async downloadArtifactsZip(entityRef: CompoundEntityRef): Promise<Blob> {
    const response = await this.request(
      `${entityPath(entityRef)}/artifacts.zip`,
    );
    return response.blob();
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
