import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityArtifactsResponse,
  EntityArtifactsValidationResponse,
  EntityDriftResponse,
  EntityGateResponse,
  EntityHistoryResponse,
  EntityIncidentsResponse,
  EntitySlosResponse,
  GateAuditResponse,
  GateOverride,
  GateOverrideRequest,
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
