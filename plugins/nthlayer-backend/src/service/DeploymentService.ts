import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DeploymentRecord,
  NTHLAYER_ANNOTATIONS,
  cutForMessage,
  parseApiTime,
  parseRunbookUrl,
} from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';
import { DeploymentStore } from '../database/DeploymentStore';
import { parseEntityRefInput } from './callers';
import { EntityReader } from './EntityReader';
import { parseBody } from './parseBody';

const time = z.string().min(1).max(64);
const deploymentBody = z
  .object({
    entityRef: z.string().min(1).max(300),
    version: z.string().min(1).max(128),
    commit: z.string().min(1).max(128).optional(),
    author: z.string().min(1).max(255).optional(),
    startedAt: time,
    finishedAt: time.optional(),
    status: z.enum(['started', 'succeeded', 'failed', 'rolled_back']),
    source: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"'),
    url: z.string().min(1).max(2048).optional(),
    labels: z.array(z.string().min(1).max(64)).max(20).default([]),
  })
  .strict();

/** How far ahead of now a reported time may be (clock skew of CI runners). */
const MAX_FUTURE_MS = 10 * 60_000;

/** Records the deployments CI/CD reports and lists them per entity. */
export class DeploymentService {
  constructor(
    private readonly deps: { entities: EntityReader; store: DeploymentStore; clock?: () => Date },
  ) {}

  async record(body: unknown, credentials: BackstageCredentials, principal: string): Promise<DeploymentRecord> {
    const d = parseBody(deploymentBody, body);
    const now = this.deps.clock?.() ?? new Date();
    const startedAt = this.#time(d.startedAt, 'startedAt', now);
    const finishedAt = d.finishedAt === undefined ? null : this.#time(d.finishedAt, 'finishedAt', now);
    if (finishedAt && finishedAt < startedAt) throw new InputError('finishedAt must not be before startedAt');
    let url: string | null = null;
    if (d.url !== undefined) {
      url = parseRunbookUrl(d.url) ?? null;
      if (!url) throw new InputError(`url must be one http(s) URL, got "${cutForMessage(d.url, 100)}"`);
    }
    const ref = parseEntityRefInput(d.entityRef);
    const entity = await this.deps.entities.getEntity(ref, credentials);
    const entityRef = stringifyEntityRef(ref);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    if (entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier] === undefined) {
      throw new NotFoundError(`${entityRef} is not managed by NthLayer (no nthlayer.dev/tier)`);
    }
    return this.deps.store.upsert({
      entityRef,
      version: d.version,
      commit: d.commit ?? null,
      author: d.author ?? null,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt?.toISOString() ?? null,
      status: d.status,
      source: d.source,
      url,
      labels: d.labels,
      recordedBy: principal,
      recordedAt: now.toISOString(),
    });
  }

  /** The entity's deployments (the caller must be able to read the entity). */
  async list(ref: CompoundEntityRef, credentials: BackstageCredentials, range: { from?: string; to?: string } = {}): Promise<DeploymentRecord[]> {
    const entityRef = stringifyEntityRef(ref);
    const at = (value: string | undefined, key: string) => {
      if (!value) return undefined;
      const date = parseApiTime(value);
      if (!date) throw new InputError(`${key} must be an ISO 8601 date or date-time or Unix seconds`);
      return date;
    };
    const bounds = { from: at(range.from, 'from'), to: at(range.to, 'to') };
    const entity = await this.deps.entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return this.deps.store.listForEntity(entityRef, bounds);
  }

  #time(value: string, name: string, now: Date): Date {
    const date = parseApiTime(value);
    if (!date) throw new InputError(`${name} must be an ISO 8601 date-time (e.g. 2026-11-30T10:00:00Z) or Unix seconds, got "${cutForMessage(value, 64)}"`);
    if (date.getTime() > now.getTime() + MAX_FUTURE_MS) throw new InputError(`${name} is in the future: ${date.toISOString()}`);
    if (date.getUTCFullYear() < 2000) throw new InputError(`${name} must be in 2000 or later`);
    return date;
  }
}
