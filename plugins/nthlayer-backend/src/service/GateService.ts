import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_GATE_THRESHOLDS,
  EntitySloReport,
  GateDecision,
  GateInput,
  GatePolicy,
  PolicyLoadError,
  cutForMessage,
  evaluateGate,
  thresholdPolicy,
} from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';
import { GateDecisionStore, StoredGateDecision } from '../database/GateDecisionStore';
import { ArtifactService } from './ArtifactService';
import { EntityReader } from './EntityReader';
import { EntitySloService } from './EntitySloService';
import { PolicyService } from './PolicyService';
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

/** A decision as the API answers it. */
export interface GateCheckResponse extends GateDecision {
  id?: number;
  entityRef: string;
  decidedAt: string;
}

/** What the entity's gate looks like now: the verdict a deploy would get, recent decisions. */
export interface EntityGateResponse {
  entityRef: string;
  current: GateCheckResponse;
  decisions: StoredGateDecision[];
  policyErrors: PolicyLoadError[];
  policiesLoadedAt: string | null;
}

/** Answers "may this deploy go ahead?" from the stored budgets and the policies in force. */
export class GateService {
  constructor(
    private readonly deps: {
      entities: EntityReader;
      entitySlos: EntitySloService;
      artifacts: ArtifactService;
      policies: PolicyService;
      decisions: GateDecisionStore;
      clock?: () => Date;
    },
  ) {}

  /** Checks a deploy and stores the decision with its caller. */
  async check(body: unknown, credentials: BackstageCredentials, principal: string): Promise<GateCheckResponse> {
    const request = parseBody(checkRequest, body);
    let ref: CompoundEntityRef;
    try {
      ref = parseEntityRef(request.entityRef, { defaultKind: 'component', defaultNamespace: 'default' });
    } catch (error) {
      throw new InputError(`entityRef: ${cutForMessage((error as Error).message, 200)}`);
    }
    const decision = await this.#decide(ref, request, credentials);
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
    return { id, ...decision };
  }

  async entityGate(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityGateResponse> {
    const current = await this.#decide(ref, { version: '(next deploy)', labels: [] }, credentials);
    return {
      entityRef: current.entityRef,
      current,
      decisions: await this.deps.decisions.listForEntity(current.entityRef),
      policyErrors: this.deps.policies.errors(),
      policiesLoadedAt: this.deps.policies.loadedAt(),
    };
  }

  async #decide(
    ref: CompoundEntityRef,
    request: { version: string; commit?: string; labels: string[]; environment?: string },
    credentials: BackstageCredentials,
  ): Promise<GateCheckResponse> {
    const slos = await this.deps.entitySlos.getEntitySlos(ref, credentials);
    const service = slos.service;
    if (!service) throw new NotFoundError(`${stringifyEntityRef(ref)} is not managed by NthLayer (no usable nthlayer.dev/tier)`);
    const entity = await this.deps.entities.getEntity(ref, credentials);
    const system = (entity?.spec as { system?: unknown } | undefined)?.system;
    const now = this.deps.clock?.() ?? new Date();
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
    return { entityRef: service.entityRef, decidedAt: now.toISOString(), ...evaluateGate(policies, input) };
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
