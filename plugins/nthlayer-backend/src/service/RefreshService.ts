import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import { PrometheusInstanceHealth } from '@nthlayer/backstage-plugin-common';
import { RefreshStateStore } from '../database/RefreshStateStore';
import { BudgetEngine, RefreshSummary } from './BudgetEngine';

/** A refresh was asked for too soon; `retryAfterSeconds` goes into the Retry-After header. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  /** Read by the Backstage error handler as the response status. */
  readonly statusCode = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** Staleness limit of the health status, in schedule periods. */
const STALE_PERIODS = 3;

/** The authenticated health report (`GET /v1/health`); `/health` answers only `status`. */
export interface HealthReport {
  /** What a monitor alerts on. Always HTTP 200: stale budgets are labelled, still served. */
  status: 'ok' | 'degraded';
  /** Why the status is degraded; empty when ok. */
  reasons: string[];
  /** The last successful refresh on any replica (ISO 8601), or null. */
  lastSuccessAt: string | null;
  /** The budget task's period; null for a cron or manual schedule (no staleness check). */
  schedulePeriodSeconds: number | null;
  summary: RefreshSummary | null;
  /** The last failed refresh on any replica, if it came after the last success. */
  failure: { at: string; message: string } | null;
  prometheus: PrometheusInstanceHealth[];
}

/**
 * Runs the budget task for the scheduler, starts manual refreshes through the scheduler
 * (so its lock keeps one refresh at a time across replicas) at most once per
 * `minIntervalMs` across replicas, and reports health from the state the replicas share.
 */
export class RefreshService {
  readonly #startedAt: number;
  readonly #clock: () => number;

  constructor(
    private readonly deps: {
      engine: BudgetEngine;
      state: RefreshStateStore;
      scheduler: Pick<SchedulerService, 'triggerTask'>;
      taskId: string;
      logger: LoggerService;
      /** Least time between two accepted manual refreshes. */
      minIntervalMs: number;
      /** The task's schedule period; undefined disables the staleness check. */
      schedulePeriodMs?: number;
      instances: () => PrometheusInstanceHealth[];
      clock?: () => number;
    },
  ) {
    this.#clock = deps.clock ?? Date.now;
    this.#startedAt = this.#clock();
  }

  /** The scheduled task: refresh, and record the outcome for every replica. */
  async run(): Promise<RefreshSummary> {
    const { engine, state, taskId } = this.deps;
    try {
      const summary = await engine.refresh();
      await state.recordSuccess(taskId, this.#clock(), summary);
      return summary;
    } catch (error) {
      await state
        .recordFailure(taskId, this.#clock(), (error as Error).message)
        .catch(e => this.deps.logger.warn(`NthLayer could not record a refresh failure: ${e}`));
      throw error;
    }
  }

  /**
   * Asks the scheduler to run the task now. Throws TooManyRequestsError when a manual
   * refresh was accepted (on any replica) less than the minimum interval ago, and the
   * scheduler's ConflictError when the task is running.
   */
  async requestManual(): Promise<void> {
    const { state, taskId, minIntervalMs } = this.deps;
    const claim = await state.claimManual(taskId, this.#clock(), minIntervalMs);
    if (!claim.granted) {
      const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
      throw new TooManyRequestsError(
        `A refresh was requested less than ${Math.round(minIntervalMs / 1000)}s ago; retry in ${seconds}s`,
        seconds,
      );
    }
    try {
      await this.deps.scheduler.triggerTask(taskId);
    } catch (error) {
      await claim.release();
      throw error;
    }
  }

  async health(): Promise<HealthReport> {
    const now = this.#clock();
    const shared = await this.deps.state.get(this.deps.taskId);
    const prometheus = this.deps.instances();
    const period = this.deps.schedulePeriodMs;
    const reasons: string[] = [];
    if (period !== undefined) {
      const limit = STALE_PERIODS * period;
      const since = shared.succeededAt ?? this.#startedAt;
      if (now - since > limit) {
        reasons.push(
          shared.succeededAt === null
            ? `no successful refresh in ${Math.round((now - since) / 1000)}s since start (limit ${STALE_PERIODS} schedule periods, ${limit / 1000}s)`
            : `last successful refresh ${new Date(shared.succeededAt).toISOString()} is older than ${STALE_PERIODS} schedule periods (${limit / 1000}s)`,
        );
      }
    }
    for (const instance of prometheus) {
      if (instance.status === 'down') reasons.push(`Prometheus instance "${instance.name}" is down`);
    }
    const failed =
      shared.failedAt !== null && (shared.succeededAt === null || shared.failedAt > shared.succeededAt);
    return {
      status: reasons.length ? 'degraded' : 'ok',
      reasons,
      lastSuccessAt: shared.succeededAt === null ? null : new Date(shared.succeededAt).toISOString(),
      schedulePeriodSeconds: period === undefined ? null : period / 1000,
      summary: (shared.summary as RefreshSummary | null) ?? null,
      failure: failed
        ? { at: new Date(shared.failedAt!).toISOString(), message: shared.failure ?? '' }
        : null,
      prometheus,
    };
  }
}
