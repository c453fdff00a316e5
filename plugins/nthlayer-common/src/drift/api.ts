/**
 * Shapes of the backend's drift and incident routes, shared by the backend, the entity
 * cards and the CLI.
 */
import { DriftReport } from './types';

/** One stored change of an entity's drift: the counts of a report that differed from the one before. @public */
export interface DriftHistoryEntry {
  /** ISO time of the check that found the change. */
  checkedAt: string;
  critical: number;
  warning: number;
  info: number;
}

/**
 * `GET /v1/entities/{kind}/{namespace}/{name}/drift`: the latest report (null until the drift
 * task has checked the entity) and the history of changes, newest first.
 *
 * @public
 */
export interface EntityDriftResponse {
  entityRef: string;
  report: DriftReport | null;
  history: DriftHistoryEntry[];
}

/** A PagerDuty incident of a managed service, as the backend stored it. @public */
export interface NthlayerIncident {
  /** PagerDuty's incident id. */
  id: string;
  serviceId: string;
  /** The incident number, as text. */
  number: string | null;
  title: string | null;
  /** `triggered`, `acknowledged` or `resolved`. */
  status: string;
  urgency: string | null;
  /** The priority's name (`P1`), or null. */
  priority: string | null;
  /** The incident's page in PagerDuty. */
  url: string | null;
  /** ISO times. */
  createdAt: string;
  resolvedAt: string | null;
  /** `webhook` or `poll`. */
  source: string;
}

/**
 * `GET /v1/entities/{kind}/{namespace}/{name}/incidents`: the entity's stored incidents, newest
 * first, with the two counts the gate environment uses. `configured` is false when no PagerDuty
 * token is configured (nothing is read; the lists are empty because nothing was looked at).
 *
 * @public
 */
export interface EntityIncidentsResponse {
  entityRef: string;
  configured: boolean;
  /** The PagerDuty service the entity maps to, when known. */
  serviceId: string | null;
  incidents: NthlayerIncident[];
  /** Incidents not resolved. */
  open: number;
  /** Incidents created in the last 7 days. */
  count7d: number;
}
