import { DeploymentRecord } from '../types';
import { GateDecision, GateVerdict, PolicyLoadError } from './gate';

/** An override that lets deploys of an entity through the gate until it expires. @public */
export interface GateOverride {
  id: number;
  entityRef: string;
  /** Only deploys of this version are let through; null for any version. */
  version: string | null;
  reason: string;
  /** The user who created it (entity ref). */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** The body of `POST /v1/gates/overrides`. @public */
export interface GateOverrideRequest {
  entityRef: string;
  /** Why the gate is overridden: shown on the card, in the audit log and in every decision it changes. */
  reason: string;
  /** ISO 8601, in the future and at most `nthlayer.gates.maxOverrideDuration` ahead. */
  expiresAt: string;
  version?: string;
}

/** A decision as the gate API answers it. @public */
export interface GateCheckResponse extends GateDecision {
  /** The stored decision's id (absent for the entity page's preview). */
  id?: number;
  entityRef: string;
  decidedAt: string;
  /** The override that changed this decision, and what the verdict would have been without it. */
  override?: {
    id: number;
    reason: string;
    createdBy: string;
    expiresAt: string;
    verdictWithout: GateVerdict;
  };
}

/** A stored gate decision with its caller and inputs. @public */
export interface StoredGateDecision {
  id: number;
  entityRef: string;
  decidedAt: string;
  principal: string;
  version: string;
  commit: string | null;
  environment: string | null;
  labels: string[];
  decision: GateCheckResponse;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/gate`. @public */
export interface EntityGateResponse {
  entityRef: string;
  /** The verdict a deploy of the entity would get now. */
  current: GateCheckResponse;
  /** Overrides in force now, newest first. */
  overrides: GateOverride[];
  /**
   * The latest 10 stored decisions, newest first, each without its `rules` (an empty list):
   * the view lists outcomes; the rules and their values were in the check's answer.
   */
  decisions: StoredGateDecision[];
  /** The latest reported deployments, newest first. */
  deployments: DeploymentRecord[];
  /** Policy documents rejected at the last load (the previous valid set stays in force). */
  policyErrors: PolicyLoadError[];
  policiesLoadedAt: string | null;
}

/** What an audit entry records. @public */
export type GateAuditAction = 'override.created' | 'override.revoked' | 'decision.overridden';

/** One line of an entity's gate audit log. @public */
export interface GateAuditEntry {
  id: number;
  entityRef: string;
  at: string;
  /** Who did it: the user ref, or `service:<subject>` for the check an override changed. */
  principal: string;
  action: GateAuditAction;
  overrideId: number | null;
  decisionId: number | null;
  /** The override's reason and expiry, or the decision's version and both verdicts. */
  details: Record<string, unknown>;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/gate/audit`. @public */
export interface GateAuditResponse {
  entityRef: string;
  entries: GateAuditEntry[];
}
