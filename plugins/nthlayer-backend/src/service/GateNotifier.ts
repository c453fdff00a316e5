import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { GateCheckResponse, budgetCrossing } from '@nthlayer/backstage-plugin-common';
import { BudgetNotificationStore } from '../database/BudgetNotificationStore';
import { MeasuredSlo } from './BudgetEngine';
import { TtlCache } from './TtlCache';

/** A pipeline retrying the same blocked version notifies once an hour, not on every retry. */
const REPEAT_AFTER_MS = 3_600_000;

/** The entity page path of a ref, relative to the app (what the notifications UI links). */
function entityPath(entityRef: string, tab?: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(kind.toLocaleLowerCase('en-US'))}/${encodeURIComponent(name)}`;
  return tab ? `${path}/${tab}` : path;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/**
 * Tells an entity's owners, through Backstage's notifications backend, when a deploy check
 * blocks (or a `notify` rule fires) and when an SLO's budget falls below 50, 25, 10 or 0 %
 * (once per crossing, remembered in the database, one notification per SLO updated in place
 * through its `scope`). Without a notifications backend, sends fail and are logged; nothing
 * else is affected.
 */
export class GateNotifier {
  readonly #sentDecisions = new TtlCache<void>({ ttlMs: REPEAT_AFTER_MS, maxEntries: 10_000 });

  constructor(
    private readonly deps: {
      notifications?: NotificationService;
      levels: BudgetNotificationStore;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  /**
   * A stored decision that blocked, or whose `notify` rules fired. The same entity, version
   * and outcome notify once an hour per replica (a retrying pipeline is not a new event).
   */
  async decision(decision: GateCheckResponse, owner: string | undefined, version: string): Promise<void> {
    if (!owner) return;
    const key = [decision.entityRef, version, decision.verdict, ...decision.notify].join('\u0000');
    await this.#sentDecisions.get(key, () => this.#sendDecision(decision, owner, version));
  }

  async #sendDecision(decision: GateCheckResponse, owner: string, version: string): Promise<void> {
    const name = parseEntityRef(decision.entityRef).name;
    const blocked = decision.verdict === 'block';
    const deciding = decision.rules.filter(r => r.verdict !== 'allow' || r.action === 'notify').map(r => r.message);
    await this.#send(owner, {
      title: blocked ? `Deploy of ${name} ${version} blocked by the gate` : `Deploy gate of ${name}: ${decision.notify.join(', ')}`,
      description: [...decision.reasons, ...deciding].filter((v, i, all) => v && all.indexOf(v) === i).slice(0, 5).join(' · '),
      link: entityPath(decision.entityRef),
      severity: blocked ? 'high' : 'normal',
      topic: 'nthlayer-gate',
      scope: `nthlayer-gate:${decision.entityRef}`,
    });
  }

  /** After a refresh: notifies each SLO that fell below a level it had not been notified at. */
  async budgets(measured: MeasuredSlo[]): Promise<void> {
    const { levels } = this.deps;
    const notified = await levels.levels();
    const now = this.deps.clock?.() ?? new Date();
    for (const m of measured) {
      const key = `${m.service.entityRef}|${m.slo.name}`;
      const previous = notified.get(key) ?? 100;
      const { action, level } = budgetCrossing(previous, m.remainingRatio);
      if (action === 'none') continue;
      // The level is stored before sending: a failing notifications backend must not make
      // every refresh retry (and later flood) the same crossing.
      await levels.set(m.service.entityRef, m.slo.name, level, now);
      if (action !== 'notify' || !m.service.owner || m.remainingRatio === null) continue;
      const exhausted = level === 0;
      await this.#send(m.service.owner, {
        title: exhausted
          ? `${m.service.name}: ${m.slo.name} error budget exhausted`
          : `${m.service.name}: ${m.slo.name} error budget below ${level} %`,
        description: `${percent(Math.max(m.remainingRatio, -9.99))} of the ${m.slo.window.text} error budget remains (target ${m.slo.targetPercent} %).`,
        link: entityPath(m.service.entityRef, 'nthlayer'),
        severity: severityOf(level),
        topic: 'nthlayer-budget',
        scope: `nthlayer-budget:${m.service.entityRef}:${m.slo.name}`,
      });
    }
  }

  async #send(owner: string, payload: Parameters<NotificationService['send']>[0]['payload']): Promise<void> {
    if (!this.deps.notifications) return;
    try {
      await this.deps.notifications.send({ recipients: { type: 'entity', entityRef: owner }, payload });
    } catch (error) {
      this.deps.logger.warn(`NthLayer could not send the notification "${payload.title}" (is the notifications backend installed?): ${error}`);
    }
  }
}

/** Exhausted is critical, 10 % high, 50 and 25 % normal. */
function severityOf(level: number): 'critical' | 'high' | 'normal' {
  if (level === 0) return 'critical';
  return level <= 10 ? 'high' : 'normal';
}
