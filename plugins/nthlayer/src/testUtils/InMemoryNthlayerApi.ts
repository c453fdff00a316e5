import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BlastRadiusResponse,
  DeploymentImpactResponse,
  DeploymentRecord,
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
} from '../api';

/** What the fake answers: a value, an error to reject with, or `pending` (never settles). */
export type FakeAnswer<T> = T | Error | 'pending';

function settle<T>(
  answer: FakeAnswer<T> | undefined,
  what: string,
): Promise<T> {
  if (answer === 'pending') return new Promise<T>(() => {});
  if (answer === undefined) return Promise.reject(new Error(`No ${what}`));
  if (answer instanceof Error) return Promise.reject(answer);
  return Promise.resolve(answer);
}

/**
 * In-memory {@link NthlayerApi} for tests: fixed answers per call, and a log of what was
 * requested (`component:default/checkout-api` and `…#availability` for history).
 */
export class InMemoryNthlayerApi implements NthlayerApi {
  readonly requested: string[] = [];
  readonly historyRequested: string[] = [];

  constructor(
    private readonly answers: {
      slos?: FakeAnswer<EntitySlosResponse>;
      /** Per SLO name. */
      history?: Record<string, FakeAnswer<SloHistoryResponse>>;
      artifacts?: FakeAnswer<EntityArtifactsResponse>;
      /** Content per artifact id. */
      artifactContent?: Record<string, FakeAnswer<string>>;
      zip?: FakeAnswer<Blob>;
      /** Deployments the entity history carries. */
      deployments?: DeploymentRecord[];
      /** Checks of the rule files; never settles when not given. */
      validation?: FakeAnswer<EntityArtifactsValidationResponse>;
      /** The gate; a list answers each request in turn, the last one again when used up. */
      gate?: FakeAnswer<EntityGateResponse> | FakeAnswer<EntityGateResponse>[];
      audit?: FakeAnswer<GateAuditResponse>;
      /** What `createGateOverride` answers. */
      createOverride?: FakeAnswer<GateOverride>;
      /** What `revokeGateOverride` answers. */
      revokeOverride?: FakeAnswer<GateOverride>;
      /** What `getDrift` answers. */
      drift?: FakeAnswer<EntityDriftResponse>;
      /** What `getIncidents` answers. */
      incidents?: FakeAnswer<EntityIncidentsResponse>;
      /** What `getDependencies` answers, or a function of the options asked with. */
      dependencies?:
        | FakeAnswer<EntityDependenciesResponse>
        | ((options: DependenciesOptions) => FakeAnswer<EntityDependenciesResponse>);
      /** What `getBlastRadius` answers. */
      blastRadius?: FakeAnswer<BlastRadiusResponse>;
      /** What `getPortfolio` answers, or a function of the filters asked with. */
      portfolio?:
        | FakeAnswer<PortfolioResponse>
        | ((filters: PortfolioFilters) => FakeAnswer<PortfolioResponse>);
      /** What `downloadPortfolio` answers. */
      portfolioExport?: FakeAnswer<Blob>;
      /** What `getScoreHistory` answers (or a function of the ref); never settles when not given. */
      scoreHistory?:
        | FakeAnswer<ScoreHistoryResponse>
        | ((ref: string) => FakeAnswer<ScoreHistoryResponse>);
      /** What `getLedger` answers; never settles when not given. */
      ledger?: FakeAnswer<EntityLedgerResponse>;
      /** What `getDeploymentImpact` answers, per deployment id. */
      impact?: Record<number, FakeAnswer<DeploymentImpactResponse>>;
    },
  ) {}

  getEntitySlos(ref: CompoundEntityRef) {
    this.requested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    return settle(this.answers.slos, 'SLOs');
  }

  /** The entity's history: every SLO of `history` that is a value; the first error or `pending` wins. */
  getEntityHistory(ref: CompoundEntityRef): Promise<EntityHistoryResponse> {
    const entityRef = `${ref.kind}:${ref.namespace}/${ref.name}`;
    this.historyRequested.push(`${entityRef}#*`);
    const answers = Object.values(this.answers.history ?? {});
    if (answers.includes('pending')) return settle<EntityHistoryResponse>('pending', 'history');
    const failed = answers.find(a => a instanceof Error);
    if (failed) return Promise.reject(failed);
    return Promise.resolve({
      entityRef: entityRef.toLocaleLowerCase('en-US'),
      slos: answers as SloHistoryResponse[],
      deployments: this.answers.deployments ?? [],
    });
  }

  getSloHistory(ref: CompoundEntityRef, slo: string) {
    this.historyRequested.push(
      `${ref.kind}:${ref.namespace}/${ref.name}#${slo}`,
    );
    return settle(this.answers.history?.[slo], `history of ${slo}`);
  }

  async refresh() {}

  readonly artifactsRequested: string[] = [];

  getArtifacts(ref: CompoundEntityRef) {
    this.artifactsRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    return settle(this.answers.artifacts, 'artifacts');
  }

  getArtifact(ref: CompoundEntityRef, id: string) {
    this.artifactsRequested.push(
      `${ref.kind}:${ref.namespace}/${ref.name}#${id}`,
    );
    return settle(this.answers.artifactContent?.[id], `artifact ${id}`);
  }

  downloadArtifactsZip(ref: CompoundEntityRef) {
    this.artifactsRequested.push(
      `${ref.kind}:${ref.namespace}/${ref.name}.zip`,
    );
    return settle(this.answers.zip, 'zip');
  }

  readonly gateRequested: string[] = [];
  readonly overridesCreated: GateOverrideRequest[] = [];
  readonly overridesRevoked: number[] = [];

  getEntityGate(ref: CompoundEntityRef) {
    const index = this.gateRequested.length;
    this.gateRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    const { gate } = this.answers;
    const answer = Array.isArray(gate)
      ? gate[Math.min(index, gate.length - 1)]
      : gate;
    return settle(answer, 'gate');
  }

  getGateAudit(ref: CompoundEntityRef) {
    this.gateRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}/audit`);
    return settle(this.answers.audit, 'gate audit');
  }

  createGateOverride(request: GateOverrideRequest) {
    this.overridesCreated.push(request);
    return settle(this.answers.createOverride, 'override');
  }

  revokeGateOverride(id: number) {
    this.overridesRevoked.push(id);
    return settle(this.answers.revokeOverride, 'revoked override');
  }

  readonly driftRequested: string[] = [];
  readonly incidentsRequested: string[] = [];

  getDrift(ref: CompoundEntityRef) {
    this.driftRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    return settle(this.answers.drift, 'drift');
  }

  getIncidents(ref: CompoundEntityRef) {
    this.incidentsRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    return settle(this.answers.incidents, 'incidents');
  }

  /** Entity ref (as given) and options of each `getDependencies` call. */
  readonly dependenciesRequested: Array<{ entityRef: string } & DependenciesOptions> = [];
  readonly blastRadiusRequested: string[] = [];
  readonly portfolioRequested: PortfolioFilters[] = [];
  readonly portfolioDownloads: Array<{
    format: PortfolioExportFormat;
    filters: PortfolioFilters;
  }> = [];
  readonly scoreHistoryRequested: Array<{ ref: string } & ScoreHistoryOptions> = [];

  getDependencies(ref: CompoundEntityRef, options: DependenciesOptions = {}) {
    this.dependenciesRequested.push({
      entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`,
      ...options,
    });
    const { dependencies } = this.answers;
    return settle(
      typeof dependencies === 'function' ? dependencies(options) : dependencies,
      'dependencies',
    );
  }

  getBlastRadius(ref: CompoundEntityRef) {
    this.blastRadiusRequested.push(`${ref.kind}:${ref.namespace}/${ref.name}`);
    return settle(this.answers.blastRadius, 'blast radius');
  }

  getPortfolio(filters: PortfolioFilters = {}) {
    this.portfolioRequested.push(filters);
    const { portfolio } = this.answers;
    return settle(
      typeof portfolio === 'function' ? portfolio(filters) : portfolio,
      'portfolio',
    );
  }

  downloadPortfolio(
    format: PortfolioExportFormat,
    filters: PortfolioFilters = {},
  ) {
    this.portfolioDownloads.push({ format, filters });
    return settle(this.answers.portfolioExport, 'portfolio export');
  }

  getScoreHistory(ref: string, options: ScoreHistoryOptions = {}) {
    this.scoreHistoryRequested.push({ ref, ...options });
    const { scoreHistory } = this.answers;
    return settle(
      typeof scoreHistory === 'function'
        ? scoreHistory(ref)
        : scoreHistory ?? 'pending',
      'score history',
    );
  }

  readonly ledgerRequested: Array<{ entityRef: string; window?: string }> = [];
  readonly impactRequested: number[] = [];

  getLedger(ref: CompoundEntityRef, options: { window?: string } = {}) {
    this.ledgerRequested.push({
      entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`,
      ...options,
    });
    return settle(this.answers.ledger ?? 'pending', 'ledger');
  }

  getDeploymentImpact(id: number) {
    this.impactRequested.push(id);
    return settle(this.answers.impact?.[id], `impact of deployment ${id}`);
  }

  validateArtifacts(ref: CompoundEntityRef) {
    this.artifactsRequested.push(
      `${ref.kind}:${ref.namespace}/${ref.name}/validation`,
    );
    return settle(this.answers.validation ?? 'pending', 'validation');
  }
}

/**
 * jsdom has no layout, so recharts' ResponsiveContainer would measure 0 × 0 and draw
 * nothing. This ResizeObserver reports a fixed size, the way a browser would.
 */
export function mockResizeObserver(width = 640, height = 280) {
  const original = (globalThis as any).ResizeObserver;
  class FixedSizeResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback(
        [
          {
            target,
            contentRect: { width, height },
          } as unknown as ResizeObserverEntry,
        ],
        this as unknown as ResizeObserver,
      );
    }
    unobserve() {}
    disconnect() {}
  }
  (globalThis as any).ResizeObserver = FixedSizeResizeObserver;
  return () => {
    (globalThis as any).ResizeObserver = original;
  };
}
