import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEFAULT_GATE_THRESHOLDS,
  EntityGateResponse,
  EntitySloReport,
  EntitySlosResponse,
  GateAuditResponse,
  GateCheckResponse,
  GateInput,
  GateOverride,
  GatePolicy,
  cutForMessage,
  nthlayerGateOverridePermission,
  evaluateGate,
  thresholdPolicy,
} from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';
import { DeploymentStore } from '../database/DeploymentStore';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { GateOverrideStore } from '../database/GateOverrideStore';
import { ArtifactService } from './ArtifactService';
import { EntityReader } from './EntityReader';
import { EntitySloService } from './EntitySloService';
import { GateNotifier } from './GateNotifier';
import { PolicyService } from './PolicyService';
import { parseEntityRefInput } from './callers';
import { parseBody } from './parseBody';

const checkRequest = z
  .object({
    entityRef: z.string().min(1).max(300),
    version: z.string().min(1).max(128),
    commit: z.string().min(1).max(128).optional(),
    labels: z.array(z.string().min(1).max(64)).max(20).default([]),
    environment: z.string().min(1).max(64).optional(),
  })
  .strict();

/** The body of `POST /v1/gates/check`. */
export type GateCheckRequest = z.input<typeof checkRequest>;

/** Decisions the entity gate view lists. */
const RECENT_DECISIONS = 10;

const overrideRequest = z
  .object({
    entityRef: z.string().min(1).max(300),
    reason: z.string().trim().min(10, 'say why, in at least 10 characters').max(1000),
    expiresAt: z.string().min(1).max(64),
    version: z.string().min(1).max(128).optional(),
  })
  .strict();

/** Answers "may this deploy go ahead?" from the stored budgets and the policies in force. */
export class GateService {
  constructor(
    private readonly deps: {
      entities: EntityReader;
      entitySlos: EntitySloService;
      artifacts: ArtifactService;
      policies: PolicyService;
      decisions: GateDecisionStore;
      overrides: GateOverrideStore;
      deployments: DeploymentStore;
      permissions: PermissionsService;
      notifier?: GateNotifier;
      /** The latest drift counts (`drift.*` in conditions). */
      drift?: { latestCounts(entityRef: string): Promise<{ critical: number; warning: number } | undefined> };
      /** Incident counts (`incidents.*`); null when PagerDuty is not configured. */
      incidents?: { counts(entityRef: string): Promise<{ count7d: number; open: number } | null> };
      /** The blast radius from the latest graph build (`blast.*`); null before the first build. */
      blast?: { blastSummary(entityRef: string): Promise<GateInput['blast']> };
      /** The ledger (`ledger.*`, `deploy.recentHighImpact`); null before it first ran for the entity. */
      ledger?: { gateSummary(slos: EntitySlosResponse): Promise<GateInput['ledger']> };
      /** Longest an override may last. */
      maxOverrideMs: number;
      clock?: () => Date;
    },
  ) {}

  /** Checks a deploy and stores the decision with its caller (and the override it met, if any). */
  async check(body: unknown, credentials: BackstageCredentials, principal: string): Promise<GateCheckResponse> {
    const request = parseBody(checkRequest, body);
    const ref = parseEntityRefInput(request.entityRef);
    const { decision, owner } = await this.#decideWithOverrides(ref, request, credentials);
    const id = await this.deps.decisions.append({
      entityRef: decision.entityRef,
      decidedAt: decision.decidedAt,
      principal,
      version: request.version,
      commit: request.commit ?? null,
      environment: request.environment ?? null,
      labels: request.labels,
      decision,
    });
    if (decision.override) {
      await this.deps.overrides.recordOverriddenDecision({
        entityRef: decision.entityRef,
        at: decision.decidedAt,
        principal,
        overrideId: decision.override.id,
        decisionId: id,
        details: { version: request.version, verdict: decision.verdict, verdictWithout: decision.override.verdictWithout },
      });
    }
    const response = { id, ...decision };
    if (response.verdict === 'block' || response.notify.length) {
      // Never fails the check: the notifier logs what it could not send.
      void this.deps.notifier?.decision(response, owner, request.version);
    }
    return response;
  }

  /** The verdict a deploy would get now, overrides in force, recent decisions and deployments. */
  async entityGate(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityGateResponse> {
    const { decision: current } = await this.#decideWithOverrides(ref, { version: '(next deploy)', labels: [] }, credentials);
    const [overrides, decisions, deployments] = await Promise.all([
      this.deps.overrides.listActive(current.entityRef, this.#now()),
      this.deps.decisions.listForEntity(current.entityRef, RECENT_DECISIONS),
      this.deps.deployments.listForEntity(current.entityRef, { limit: 10 }),
    ]);
    return {
      entityRef: current.entityRef,
      current,
      overrides,
      // Without their rules: the view lists outcomes; each check's answer had the rules.
      decisions: decisions.map(d => ({ ...d, decision: { ...d.decision, rules: [] } })),
      deployments,
      policyErrors: this.deps.policies.errors(),
      policiesLoadedAt: this.deps.policies.loadedAt(),
    };
  }

  /** The verdict a deploy would get now (overrides in force included), and the SLO reports it read. */
  async currentState(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<{ verdict: GateCheckResponse['verdict']; slos: EntitySlosResponse }> {
    const { decision, slos } = await this.#decideWithOverrides(ref, { version: '(next deploy)', labels: [] }, credentials);
    return { verdict: decision.verdict, slos };
  }

  /** Creates an override; the caller needs nthlayer.gate.override on the entity. */
  async createOverride(body: unknown, credentials: BackstageCredentials, principal: string): Promise<GateOverride> {
    const request = parseBody(overrideRequest, body);
    const ref = parseEntityRefInput(request.entityRef);
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.deps.entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    await this.#authorizeOverride(entityRef, credentials);
    const now = this.#now();
    const expires = new Date(request.expiresAt);
    if (Number.isNaN(expires.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(request.expiresAt)) {
      throw new InputError(`expiresAt must be an ISO 8601 date-time, got "${cutForMessage(request.expiresAt, 64)}"`);
    }
    if (expires <= now) throw new InputError('expiresAt must be in the future');
    if (expires.getTime() - now.getTime() > this.deps.maxOverrideMs) {
      throw new InputError(
        `expiresAt may be at most ${Math.round(this.deps.maxOverrideMs / 3_600_000)} hours ahead (nthlayer.gates.maxOverrideDuration)`,
      );
    }
    return this.deps.overrides.create({
      entityRef,
      version: request.version ?? null,
      reason: request.reason,
      createdBy: principal,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
    });
  }

  /** Revokes an override; the caller needs nthlayer.gate.override on its entity. */
  async revokeOverride(idParam: string, credentials: BackstageCredentials, principal: string): Promise<GateOverride> {
    const id = Number(idParam);
    if (!/^\d{1,15}$/.test(idParam) || !Number.isSafeInteger(id)) {
      throw new InputError(`override id must be a positive integer, got "${cutForMessage(idParam, 40)}"`);
    }
    const existing = await this.deps.overrides.get(id);
    if (!existing) throw new NotFoundError(`No gate override ${id}`);
    // Reading the entity first: an override of an entity the caller cannot see is a 404.
    const entity = await this.deps.entities.getEntity(parseEntityRef(existing.entityRef), credentials);
    if (!entity) throw new NotFoundError(`No gate override ${id}`);
    await this.#authorizeOverride(existing.entityRef, credentials);
    if (existing.revokedAt) throw new ConflictError(`Gate override ${id} was already revoked by ${existing.revokedBy} at ${existing.revokedAt}`);
    const revoked = await this.deps.overrides.revoke(id, principal, this.#now().toISOString());
    if (!revoked) throw new ConflictError(`Gate override ${id} was already revoked`);
    return revoked;
  }

  /** The entity's audit log: overrides created and revoked, decisions they changed. */
  async audit(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<GateAuditResponse> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.deps.entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return { entityRef, entries: await this.deps.overrides.listAudit(entityRef) };
  }

  async #authorizeOverride(entityRef: string, credentials: BackstageCredentials): Promise<void> {
    const [result] = await this.deps.permissions.authorize(
      [{ permission: nthlayerGateOverridePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (result.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to override the deploy gate of ${entityRef} (permission nthlayer.gate.override)`);
    }
  }

  /** The decision, let through by the newest override in force that fits the version. */
  async #decideWithOverrides(
    ref: CompoundEntityRef,
    request: { version: string; commit?: string; labels: string[]; environment?: string },
    credentials: BackstageCredentials,
  ): Promise<{ decision: GateCheckResponse; owner?: string; slos: EntitySlosResponse }> {
    const { decision, owner, slos } = await this.#decide(ref, request, credentials);
    if (decision.verdict === 'allow') return { decision, owner, slos };
    const active = await this.deps.overrides.listActive(decision.entityRef, new Date(decision.decidedAt));
    const override = active.find(o => o.version === null || o.version === request.version);
    if (!override) return { decision, owner, slos };
    const overridden: GateCheckResponse = {
      ...decision,
      verdict: 'allow',
      exitCode: 0,
      reasons: [
        `Overridden by ${override.createdBy} until ${override.expiresAt}: ${override.reason} (without the override: ${decision.verdict})`,
        ...decision.reasons,
      ],
      override: {
        id: override.id,
        reason: override.reason,
        createdBy: override.createdBy,
        expiresAt: override.expiresAt,
        verdictWithout: decision.verdict,
      },
    };
    return { decision: overridden, owner, slos };
  }

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  async #decide(
    ref: CompoundEntityRef,
    request: { version: string; commit?: string; labels: string[]; environment?: string },
    credentials: BackstageCredentials,
  ): Promise<{ decision: GateCheckResponse; owner?: string; slos: EntitySlosResponse }> {
    const slos = await this.deps.entitySlos.getEntitySlos(ref, credentials);
    const service = slos.service;
    if (!service) throw new NotFoundError(`${stringifyEntityRef(ref)} is not managed by NthLayer (no usable nthlayer.dev/tier)`);
    const entity = await this.deps.entities.getEntity(ref, credentials);
    const system = (entity?.spec as { system?: unknown } | undefined)?.system;
    const now = this.#now();
    const dependencies = await Promise.all(
      service.dependsOn.map(async depRef => {
        const dep = parseEntityRef(depRef);
        const name = dep.name;
        try {
          const report = await this.deps.entitySlos.getEntitySlos(dep, credentials);
          if (!report.service) return { ref: depRef, name, tier: null, remaining: null };
          return { ref: depRef, name, tier: report.service.tier, remaining: worst(report.slos).remaining };
        } catch {
          return { ref: depRef, name, tier: null, remaining: null };
        }
      }),
    );
    const w = worst(slos.slos);
    const [drift, incidents, blast, ledger] = await Promise.all([
      this.deps.drift?.latestCounts(service.entityRef),
      this.deps.incidents?.counts(service.entityRef),
      this.deps.blast?.blastSummary(service.entityRef),
      this.deps.ledger?.gateSummary(slos),
    ]);
    const input: GateInput = {
      service: {
        entityRef: service.entityRef,
        name: service.name,
        tier: service.tier,
        type: service.type,
        owner: service.owner,
        system: typeof system === 'string' ? system : undefined,
      },
      slos: Object.fromEntries(slos.slos.map(s => [s.name, s.errorBudget?.remainingRatio ?? null])),
      burn: Object.fromEntries((w.report?.burnRates ?? []).map(b => [b.window, b.burnRate])),
      dependencies,
      deploy: { version: request.version, commit: request.commit, labels: request.labels, environment: request.environment },
      drift: drift ? { critical: drift.critical, warning: drift.warning } : null,
      incidents: incidents ?? null,
      blast: blast ?? null,
      ledger: ledger ?? null,
      budgetsAsOf: oldest(slos.slos),
      stale: slos.slos.length === 0 || slos.slos.some(s => s.stale || s.errorBudget === null),
      now,
    };
    const policies: GatePolicy[] = [...this.deps.policies.policies()];
    const { gate } = await this.deps.artifacts.generate(ref, credentials);
    if (gate && (gate.blockingPercent !== undefined || gate.warningPercent !== undefined)) {
      // A threshold the file leaves out keeps the tier default: `thresholds: { warning: 30 }`
      // must not drop a tier-1 service's blocking threshold (the tier default no longer
      // applies once this policy matches).
      const defaults = DEFAULT_GATE_THRESHOLDS[service.tier] ?? DEFAULT_GATE_THRESHOLDS[3];
      const thresholds = {
        blockingPercent: gate.blockingPercent ?? defaults.blockingPercent,
        warningPercent: gate.warningPercent ?? defaults.warningPercent,
      };
      policies.push(
        thresholdPolicy({ name: 'service-file-deployment-gate', source: 'service-file', entityRef: service.entityRef, thresholds }),
      );
    }
    return {
      decision: { entityRef: service.entityRef, decidedAt: now.toISOString(), ...evaluateGate(policies, input) },
      owner: service.owner,
      slos,
    };
  }
}

function worst(reports: EntitySloReport[]): { remaining: number | null; report?: EntitySloReport } {
  if (reports.length === 0 || reports.some(r => !r.errorBudget)) return { remaining: null, report: reports.find(r => !r.errorBudget) };
  const sorted = [...reports].sort((a, b) => a.errorBudget!.remainingRatio - b.errorBudget!.remainingRatio);
  return { remaining: sorted[0].errorBudget!.remainingRatio, report: sorted[0] };
}

function oldest(reports: EntitySloReport[]): string | null {
  if (reports.length === 0 || reports.some(r => !r.updatedAt)) return null;
  return reports.map(r => r.updatedAt!).sort()[0];
}
