import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityArtifactsResponse,
  EntityArtifactsValidationResponse,
  EntityHistoryResponse,
  EntitySlosResponse,
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
