import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntitySlosResponse,
  NthlayerService,
  ServiceModelOptions,
  SloHistoryResponse,
  buildSloReport,
  computeErrorBudget,
  parseApiTime,
  parseNthlayerService,
  sliPercent,
  windowKey,
} from '@nthlayer/backstage-plugin-common';
import { NthlayerDatabase } from '../database/NthlayerDatabase';
import { Snapshot } from '../database/SnapshotStore';

/** Longest history a request may ask for, and the most points it returns. */
const MAX_HISTORY_DAYS = 400;
const MAX_POINTS = 2000;
/** How far past now `to` may reach (clock skew between browser and backend). */
const MAX_FUTURE_MS = 86_400_000;
/** Earliest `from`: nothing is measured before 2000. */
const MIN_TIME_MS = Date.UTC(2000, 0, 1);

/** Answers "what are this entity's SLOs, budgets and budget history?". */
export class EntitySloService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      db: NthlayerDatabase;
      model: ServiceModelOptions;
      minEventRate: number;
      clock?: () => Date;
    },
  ) {}

  async getEntitySlos(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntitySlosResponse> {
    const { entityRef, service, findings } = await this.#model(ref, credentials);
    if (!service) return { entityRef, service: null, findings, slos: [] };
    const measurements = await this.deps.db.measurements.listForEntity(service.entityRef);
    const slos = service.slos.map(slo =>
      buildSloReport(
        slo,
        measurements.find(m => m.sloName === slo.name),
        { minEventRate: this.deps.minEventRate },
      ),
    );
    return { entityRef: service.entityRef, service, findings, slos };
  }

  async getSloHistory(
    ref: CompoundEntityRef,
    sloName: string,
    query: { from?: string; to?: string; step?: string },
    credentials: BackstageCredentials,
  ): Promise<SloHistoryResponse> {
    const { service } = await this.#model(ref, credentials);
    const slo = service?.slos.find(s => s.name === sloName);
    if (!service || !slo) {
      throw new NotFoundError(`${stringifyEntityRef(ref)} has no NthLayer SLO "${sloName}"`);
    }
    const now = this.deps.clock?.() ?? new Date();
    const to = parseTime(query.to, 'to') ?? now;
    const from = parseTime(query.from, 'from') ?? new Date(to.getTime() - slo.window.minutes * 60_000);
    if (to.getTime() > now.getTime() + MAX_FUTURE_MS) {
      throw new InputError(`to must be at most one day after now, got ${to.toISOString()}`);
    }
    if (from.getTime() < MIN_TIME_MS) {
      throw new InputError(`from must be in 2000 or later, got ${from.toISOString()}`);
    }
    if (from >= to) throw new InputError('from must be before to');
    if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * 86_400_000) {
      throw new InputError(`history is limited to ${MAX_HISTORY_DAYS} days per request`);
    }
    const span = (to.getTime() - from.getTime()) / 1000;
    const step = parseStep(query.step) ?? Math.max(60, Math.ceil(span / 500 / 60) * 60);
    if (span / step > MAX_POINTS) {
      throw new InputError(`step ${step}s gives more than ${MAX_POINTS} points; use a larger step`);
    }
    const snapshots = await this.deps.db.snapshots.list({
      entityRef: service.entityRef,
      sloName,
      window: windowKey(slo.window),
      from,
      to,
    });
    return {
      entityRef: service.entityRef,
      slo: sloName,
      targetPercent: slo.targetPercent,
      window: slo.window.text,
      from: from.toISOString(),
      to: to.toISOString(),
      step,
      points: downsample(snapshots, step).map(s => {
        const counts = { good: s.goodEvents, total: s.totalEvents };
        const budget = computeErrorBudget(slo.targetPercent, s.windowMinutes, counts);
        return {
          time: s.time.toISOString(),
          goodEvents: s.goodEvents,
          totalEvents: s.totalEvents,
          sli: sliPercent(counts),
          remainingRatio: budget?.remainingRatio ?? null,
          remainingMinutes: budget?.remainingMinutes ?? null,
        };
      }),
    };
  }

  async #model(ref: CompoundEntityRef, credentials: BackstageCredentials) {
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    const entityRef = stringifyEntityRef(ref);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const parsed = parseNthlayerService(entity, this.deps.model);
    return { entityRef, ...parsed } as {
      entityRef: string;
      service: NthlayerService | null;
      findings: EntitySlosResponse['findings'];
    };
  }
}

/** Keeps the last snapshot of each step-long bucket. */
function downsample(snapshots: Snapshot[], stepSeconds: number): Snapshot[] {
  const buckets = new Map<number, Snapshot>();
  for (const s of snapshots) buckets.set(Math.floor(s.time.getTime() / 1000 / stepSeconds), s);
  return [...buckets.values()];
}

function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = parseApiTime(value);
  if (!date) {
    throw new InputError(
      `${name} must be an ISO 8601 date or date-time (e.g. 2026-11-30T10:00:00Z) or Unix seconds, got "${value}"`,
    );
  }
  return date;
}

/** At most the longest history: a larger step could only give one point. */
const MAX_STEP_SECONDS = MAX_HISTORY_DAYS * 86_400;

function parseStep(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const step = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(step >= 60 && step <= MAX_STEP_SECONDS)) {
    throw new InputError(
      `step must be a whole number of seconds from 60 to ${MAX_STEP_SECONDS} (${MAX_HISTORY_DAYS} days), got "${value}"`,
    );
  }
  return step;
}
