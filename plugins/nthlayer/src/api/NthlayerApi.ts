import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
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
  ServiceTier,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';

/**
 * Range of a budget history request. Everything is optional: by default the backend
 * returns the SLO's window up to now, with a step of its choosing.
 *
 * @public
 */
export interface SloHistoryOptions {
  /** Start of the range (a `Date` or an ISO 8601 string). */
  from?: Date | string;
  /** End of the range (a `Date` or an ISO 8601 string). */
  to?: Date | string;
  /** Seconds between points. */
  step?: number;
}

/**
 * Which way a dependency graph is walked from its entity: what it depends on (`downstream`),
 * what depends on it (`upstream`), or both.
 *
 * @public
 */
export type DependencyDirection = 'downstream' | 'upstream' | 'both';

/**
 * What part of an entity's dependency graph to load. The backend's defaults: depth 2, both
 * directions.
 *
 * @public
 */
export interface DependenciesOptions {
  /** Steps from the entity, 1 to 5. */
  depth?: number;
  direction?: DependencyDirection;
}

/**
 * Filters of the portfolio. Each is optional; together they narrow it to the services that
 * match all of them.
 *
 * @public
 */
export interface PortfolioFilters {
  /** Owner Group entity ref, e.g. `group:default/team-payments`. */
  group?: string;
  /** System entity ref, e.g. `system:default/commerce`. */
  system?: string;
  tier?: ServiceTier;
}

/**
 * Range of a score history request.
 *
 * @public
 */
export interface ScoreHistoryOptions {
  /** Days back from today; the backend's default when not given. */
  days?: number;
}

/**
 * Formats the portfolio can be exported in (besides the JSON of `getPortfolio`).
 *
 * @public
 */
export type PortfolioExportFormat = 'csv' | 'markdown';

/**
 * Talks to the NthLayer backend plugin (`/api/nthlayer`).
 *
 * @public
 */
export interface NthlayerApi {
  /**
   * SLOs, error budgets and findings of one catalog entity, each SLO with its sparkline.
   *
   * Rejects with a `ResponseError` (status 404) when the backend does not know the entity.
   */
  getEntitySlos(entityRef: CompoundEntityRef): Promise<EntitySlosResponse>;

  /**
   * Error budget history of one SLO of an entity, points ordered by time.
   */
  getSloHistory(
    entityRef: CompoundEntityRef,
    slo: string,
    options?: SloHistoryOptions,
  ): Promise<SloHistoryResponse>;

  /**
   * Error budget history of every SLO of an entity in one request (same range for each).
   */
  getEntityHistory(
    entityRef: CompoundEntityRef,
    options?: SloHistoryOptions,
  ): Promise<EntityHistoryResponse>;

  /**
   * Asks the backend to recompute all budgets now. Needs the `nthlayer.refresh`
   * permission; rejects with a `ResponseError` (status 403) without it.
   */
  refresh(): Promise<void>;

  /**
   * The configs NthLayer generates for an entity (rules, technology alerts, OpenSLO,
   * dashboard, PagerDuty), without their content, and the findings met generating them.
   */
  getArtifacts(entityRef: CompoundEntityRef): Promise<EntityArtifactsResponse>;

  /**
   * The content of one generated artifact. Rejects with a `ResponseError` (status 404) for
   * an unknown id.
   */
  getArtifact(entityRef: CompoundEntityRef, id: string): Promise<string>;

  /** All generated artifacts of an entity as one zip, fetched with the user's token. */
  downloadArtifactsZip(entityRef: CompoundEntityRef): Promise<Blob>;

  /**
   * Checks of the entity's generated rule files: pint-style lint and whether the series
   * they select exist on the entity's Prometheus (`promql/series`).
   */
  validateArtifacts(
    entityRef: CompoundEntityRef,
  ): Promise<EntityArtifactsValidationResponse>;

  /**
   * The deploy gate of an entity: the verdict a deploy would get now (with the rules that
   * decided it), the overrides in force, the latest decisions and deployments, and the
   * policy documents rejected at the last load.
   *
   * Rejects with a `ResponseError` (status 404) when NthLayer does not manage the entity.
   */
  getEntityGate(entityRef: CompoundEntityRef): Promise<EntityGateResponse>;

  /**
   * The gate audit log of an entity: overrides created and revoked, and the decisions an
   * override changed.
   */
  getGateAudit(entityRef: CompoundEntityRef): Promise<GateAuditResponse>;

  /**
   * Overrides an entity's deploy gate until `expiresAt` (for one version, or any version
   * when `version` is not given). Resolves with the stored override.
   *
   * Needs the `nthlayer.gate.override` permission on the entity; rejects with a
   * `ResponseError` (status 403) without it, and (status 400, with the reason) on bad input
   * such as a past or too distant expiry.
   */
  createGateOverride(request: GateOverrideRequest): Promise<GateOverride>;

  /**
   * Revokes an override by id; resolves with the override as revoked.
   *
   * Needs the `nthlayer.gate.override` permission on the override's entity; rejects with a
   * `ResponseError` (status 403) without it.
   */
  revokeGateOverride(id: number): Promise<GateOverride>;

  /**
   * The drift of an entity: the latest report of the scheduled drift task (null until it has
   * checked the entity) with, per target, whether it could be checked, and the history of
   * changes, newest first.
   *
   * Rejects with a `ResponseError` (status 404) when NthLayer does not manage the entity.
   */
  getDrift(entityRef: CompoundEntityRef): Promise<EntityDriftResponse>;

  /**
   * The PagerDuty incidents stored for an entity, newest first, with the number open and the
   * number created in the last 7 days. `configured` is false when no PagerDuty token is
   * configured (then nothing was read).
   *
   * Rejects with a `ResponseError` (status 404) when NthLayer does not manage the entity.
   */
  getIncidents(entityRef: CompoundEntityRef): Promise<EntityIncidentsResponse>;

  /**
   * The part of the dependency graph around an entity: nodes (with tier, owner, worst
   * budget status and gate verdict; `missing` for refs the catalog lacks), declared and
   * discovered edges, and the findings about those nodes.
   *
   * Rejects with a `ResponseError` (status 404) when NthLayer does not manage the entity.
   */
  getDependencies(
    entityRef: CompoundEntityRef,
    options?: DependenciesOptions,
  ): Promise<EntityDependenciesResponse>;

  /**
   * Everything that depends on an entity, transitively, by depth, with a severity and its
   * reason, and the owners affected.
   *
   * Rejects with a `ResponseError` (status 404) when NthLayer does not manage the entity.
   */
  getBlastRadius(entityRef: CompoundEntityRef): Promise<BlastRadiusResponse>;

  /**
   * The error-budget ledger of an entity: per SLO the minutes burned by source (deployments,
   * incidents, dependencies, unattributed, and the baseline outside any episode), every burn
   * episode with its attributed cause and the candidates behind it, the top causes, the
   * unattributed ratio and the entity's deploys with their impact. `computedAt` is null
   * until the ledger task has run for the entity.
   *
   * `window` is a slice such as `7d` or `30d` (1 h to 90 d); without it each SLO is read over
   * its own window (then the baseline is known). Rejects with a `ResponseError` (status 400)
   * for a bad window, (status 404) when NthLayer does not manage the entity.
   */
  getLedger(
    entityRef: CompoundEntityRef,
    options?: { window?: string },
  ): Promise<EntityLedgerResponse>;

  /**
   * What one deployment did to the error budgets: its impact level, confidence and burned
   * minutes, the episodes attributed to it (on its service and on services depending on it)
   * and its timeline (deploy started, burn began, incident opened, rollback, recovered).
   *
   * Rejects with a `ResponseError` (status 404) for an unknown deployment.
   */
  getDeploymentImpact(id: number): Promise<DeploymentImpactResponse>;

  /**
   * The reliability portfolio: the organisation's, teams' and systems' roll-ups, every
   * service with its score and its components, and the insights worth reading first.
   */
  getPortfolio(filters?: PortfolioFilters): Promise<PortfolioResponse>;

  /**
   * The portfolio as a file (`csv` or `markdown`), fetched with the user's token, for a
   * download.
   */
  downloadPortfolio(
    format: PortfolioExportFormat,
    filters?: PortfolioFilters,
  ): Promise<Blob>;

  /**
   * The stored daily scores of `org`, of a Group or System entity ref, or of a service's
   * entity ref, oldest first.
   */
  getScoreHistory(
    ref: string,
    options?: ScoreHistoryOptions,
  ): Promise<ScoreHistoryResponse>;
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
