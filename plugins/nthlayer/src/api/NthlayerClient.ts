import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BlastRadiusResponse,
  DeploymentImpactResponse,
  EntityArtifactsResponse,
  EntityArtifactsValidationResponse,
  EntityDependenciesResponse,
  EntityDriftResponse,
  EntityGateResponse,
  EntityHistoryResponse,
  EntityIncidentsResponse,
  EntityLedgerResponse,
  EntitySlosResponse,
  GateAuditResponse,
  GateOverride,
  GateOverrideRequest,
  PortfolioResponse,
  ScoreHistoryResponse,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';
import {
  DependenciesOptions,
  NthlayerApi,
  PortfolioExportFormat,
  PortfolioFilters,
  ScoreHistoryOptions,
  SloHistoryOptions,
} from './NthlayerApi';

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
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntitySlos(entityRef: CompoundEntityRef): Promise<EntitySlosResponse> {
    return this.getJson(`${entityPath(entityRef)}/slos`);
  }

  getSloHistory(
    entityRef: CompoundEntityRef,
    slo: string,
    options: SloHistoryOptions = {},
  ): Promise<SloHistoryResponse> {
    return this.getJson(
      `${entityPath(entityRef)}/slos/${encodeURIComponent(
        slo,
      )}/history${historySearch(options)}`,
    );
  }

  getEntityHistory(
    entityRef: CompoundEntityRef,
    options: SloHistoryOptions = {},
  ): Promise<EntityHistoryResponse> {
    return this.getJson(
      `${entityPath(entityRef)}/history${historySearch(options)}`,
    );
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

  getEntityGate(entityRef: CompoundEntityRef): Promise<EntityGateResponse> {
    return this.getJson(`${entityPath(entityRef)}/gate`);
  }

  getGateAudit(entityRef: CompoundEntityRef): Promise<GateAuditResponse> {
    return this.getJson(`${entityPath(entityRef)}/gate/audit`);
  }

  createGateOverride(request: GateOverrideRequest): Promise<GateOverride> {
    return this.changeGate('v1/gates/overrides', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  revokeGateOverride(id: number): Promise<GateOverride> {
    return this.changeGate(
      `v1/gates/overrides/${encodeURIComponent(String(id))}`,
      { method: 'DELETE' },
    );
  }

  getDrift(entityRef: CompoundEntityRef): Promise<EntityDriftResponse> {
    return this.getJson(`${entityPath(entityRef)}/drift`);
  }

  getIncidents(
    entityRef: CompoundEntityRef,
  ): Promise<EntityIncidentsResponse> {
    return this.getJson(`${entityPath(entityRef)}/incidents`);
  }

  getDependencies(
    entityRef: CompoundEntityRef,
    options: DependenciesOptions = {},
  ): Promise<EntityDependenciesResponse> {
    const query = new URLSearchParams();
    if (options.depth !== undefined) query.set('depth', String(options.depth));
    if (options.direction !== undefined) {
      query.set('direction', options.direction);
    }
    return this.getJson(
      `${entityPath(entityRef)}/dependencies${searchOf(query)}`,
    );
  }

  getBlastRadius(entityRef: CompoundEntityRef): Promise<BlastRadiusResponse> {
    return this.getJson(`${entityPath(entityRef)}/blast-radius`);
  }

  getLedger(
    entityRef: CompoundEntityRef,
    options: { window?: string } = {},
  ): Promise<EntityLedgerResponse> {
    const query = new URLSearchParams();
    if (options.window !== undefined) query.set('window', options.window);
    return this.getJson(`${entityPath(entityRef)}/ledger${searchOf(query)}`);
  }

  getDeploymentImpact(id: number): Promise<DeploymentImpactResponse> {
    return this.getJson(
      `v1/deployments/${encodeURIComponent(String(id))}/impact`,
    );
  }

  getPortfolio(filters: PortfolioFilters = {}): Promise<PortfolioResponse> {
    return this.getJson(`v1/portfolio${searchOf(portfolioQuery(filters))}`);
  }

  async downloadPortfolio(
    format: PortfolioExportFormat,
    filters: PortfolioFilters = {},
  ): Promise<Blob> {
    const query = new URLSearchParams({ format });
    portfolioQuery(filters).forEach((value, key) => query.set(key, value));
    const response = await this.request(`v1/portfolio${searchOf(query)}`);
    return response.blob();
  }

  getScoreHistory(
    ref: string,
    options: ScoreHistoryOptions = {},
  ): Promise<ScoreHistoryResponse> {
    const query = new URLSearchParams({ ref });
    if (options.days !== undefined) query.set('days', String(options.days));
    return this.getJson(`v1/scores/history${searchOf(query)}`);
  }

  /**
   * Sends a request that changes a gate (never shared with other requests). Gate GETs
   * still in flight were asked before the change: later callers get a new request, so a
   * reload after the change sees it.
   */
  private async changeGate<T>(path: string, init: RequestInit): Promise<T> {
    try {
      const response = await this.request(path, init);
      return (await response.json()) as T;
    } finally {
      for (const key of [...this.inFlight.keys()]) {
        if (/\/gate(\/|$)/.test(key)) this.inFlight.delete(key);
      }
    }
  }

  /**
   * GETs JSON; components of one page asking for the same thing at the same time (the SLO
   * card and a budget chart) share one request.
   */
  private getJson<T>(path: string): Promise<T> {
    let pending = this.inFlight.get(path) as Promise<T> | undefined;
    if (!pending) {
      const request = this.request(path).then(r => r.json() as Promise<T>);
      this.inFlight.set(path, request);
      const forget = () => {
        // Only this request: a change may have replaced it with a newer one.
        if (this.inFlight.get(path) === request) this.inFlight.delete(path);
      };
      request.then(forget, forget);
      pending = request;
    }
    return pending;
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

/** `?a=1&b=2`, or nothing without parameters. */
function searchOf(query: URLSearchParams): string {
  const search = query.toString();
  return search ? `?${search}` : '';
}

function historySearch(options: SloHistoryOptions): string {
  const query = new URLSearchParams();
  if (options.from !== undefined) query.set('from', isoTime(options.from));
  if (options.to !== undefined) query.set('to', isoTime(options.to));
  if (options.step !== undefined) query.set('step', String(options.step));
  return searchOf(query);
}

/** The filters given, in a fixed order (so equal filters share one request). */
function portfolioQuery(filters: PortfolioFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.group) query.set('group', filters.group);
  if (filters.system) query.set('system', filters.system);
  if (filters.tier !== undefined) query.set('tier', String(filters.tier));
  return query;
}
