import { DateTime } from 'luxon';
import { cutForMessage } from '../text';
import { CompiledCondition, compileCondition, isConditionError } from './celEnvironment';

/** A gate's answer. @public */
export type GateVerdict = 'allow' | 'warn' | 'block';

/** What a rule does when its condition is true. @public */
export type GateAction = 'block' | 'warn' | 'require_approval' | 'notify';

/** A rule ready to evaluate. @public */
export interface GateRule {
  name: string;
  condition: string;
  action: GateAction;
  message?: string;
  /** Deploy labels that skip the rule, e.g. `hotfix`, `rollback`. */
  exceptions: string[];
  compiled: CompiledCondition;
}

/** A date-time range (local times in `timeZone`) in which deploys are blocked. @public */
export interface FreezeWindow {
  name: string;
  start: string;
  end: string;
  timeZone: string;
  message?: string;
  exceptions: string[];
}

/** Which entities a policy applies to; every field given must match. @public */
export interface PolicySelector {
  tiers?: number[];
  types?: string[];
  owners?: string[];
  systems?: string[];
  entityRefs?: string[];
}

/** A loaded `ReliabilityPolicy` (or a tier default / service-file gate turned into one). @public */
export interface GatePolicy {
  name: string;
  /** Where it came from: a URL or file, `service-file`, or `tier-default`. */
  source: string;
  /** SHA-256 of the document as written; for generated ones (tier default, service file) the thresholds as JSON. */
  hash: string;
  selector: PolicySelector;
  timeZone: string;
  /** Unknown or stale budgets block instead of warning. */
  failClosed: boolean;
  rules: GateRule[];
  freezeWindows: FreezeWindow[];
}

/** Why a policy document was rejected, with where. @public */
export interface PolicyLoadError {
  source: string;
  /** 1-based; 0 when the whole source is concerned. */
  line: number;
  column: number;
  policy?: string;
  reason: string;
}

/** Everything a gate check knows about the service and the deploy. @public */
export interface GateInput {
  service: { entityRef: string; name: string; tier: number; type: string; owner?: string; system?: string };
  /** Each SLO's remaining budget ratio; null when unknown. */
  slos: Record<string, number | null>;
  /** Burn rates of the worst SLO per window (`5m` … `3d`); null when unknown. */
  burn: Record<string, number | null>;
  dependencies: Array<{ ref: string; name: string; tier: number | null; remaining: number | null }>;
  deploy: { version: string; environment?: string; labels: string[]; commit?: string };
  /** Counts of the latest drift report's findings; null or absent before the first drift check. */
  drift?: { critical: number; warning: number } | null;
  /** Stored PagerDuty incidents; null or absent when PagerDuty is not configured. */
  incidents?: { count7d: number; open: number } | null;
  /** The blast radius from the latest graph build; null or absent before the first build. */
  blast?: { severity: 'low' | 'medium' | 'high' | 'critical'; affected: number; tier1: number } | null;
  /**
   * From the error-budget ledger: the share of the window's episode burn nobody could attribute,
   * and whether a deploy of this service burned budget with high confidence in the last days;
   * null or absent before the ledger first read the service.
   */
  ledger?: { unattributedRatio: number | null; recentHighImpact: boolean } | null;
  /** When the budgets were measured (ISO 8601), null if never. */
  budgetsAsOf: string | null;
  /** True when a budget is stale (the last refresh failed for it) or missing. */
  stale: boolean;
  now: Date;
}

/** One rule's outcome, with the values it read. @public */
export interface GateRuleResult {
  policy: string;
  rule: string;
  condition: string;
  action: GateAction | 'freeze';
  /** `true`/`false` the condition's value; `exempt` skipped by a deploy label; `error` not evaluable. */
  result: 'true' | 'false' | 'exempt' | 'error';
  values: Record<string, unknown>;
  /** The verdict this rule asks for (allow when it does not fire). */
  verdict: GateVerdict;
  message: string;
}

/** A gate decision. @public */
export interface GateDecision {
  verdict: GateVerdict;
  /** 0 allow, 1 warn, 2 block. */
  exitCode: 0 | 1 | 2;
  reasons: string[];
  rules: GateRuleResult[];
  policies: Array<{ name: string; source: string; hash: string }>;
  budgetsAsOf: string | null;
  stale: boolean;
  /** Rules that fired with action `notify`. */
  notify: string[];
}

const RANK: Record<GateVerdict, number> = { allow: 0, warn: 1, block: 2 };

/** Does the policy apply to this service? @public */
export function policyMatches(policy: GatePolicy, service: GateInput['service']): boolean {
  const s = policy.selector;
  const lower = (v: string) => v.toLocaleLowerCase('en-US');
  if (s.tiers && !s.tiers.includes(service.tier)) return false;
  if (s.types && !s.types.includes(service.type)) return false;
  if (s.owners && !(service.owner && s.owners.map(lower).includes(lower(service.owner)))) return false;
  if (s.systems && !(service.system && s.systems.map(lower).includes(lower(service.system)))) return false;
  if (s.entityRefs && !s.entityRefs.map(lower).includes(lower(service.entityRef))) return false;
  return true;
}

/** DESIGN §4 thresholds in percent of budget remaining: block below, warn below. @public */
export const DEFAULT_GATE_THRESHOLDS: Record<number, { blockingPercent?: number; warningPercent: number }> = {
  1: { blockingPercent: 10, warningPercent: 20 },
  2: { blockingPercent: 5, warningPercent: 20 },
  3: { warningPercent: 30 },
};

/**
 * The gate a set of thresholds stands for, as a policy: `budget.remaining < block` blocks and
 * `budget.remaining < warn` warns. Used for the tier defaults and a service file's
 * `DeploymentGate`.
 *
 * @public
 */
export function thresholdPolicy(options: {
  name: string;
  source: string;
  entityRef?: string;
  tier?: number;
  thresholds: { blockingPercent?: number; warningPercent?: number };
}): GatePolicy {
  const { thresholds } = options;
  const rules: GateRule[] = [];
  const add = (name: string, percent: number, action: GateAction) => {
    const condition = `budget.remaining < ${(percent / 100).toFixed(4).replace(/0+$/, '').replace(/\.$/, '.0')}`;
    const compiled = compileCondition(condition);
    if (isConditionError(compiled)) throw new Error(`internal: ${compiled.reason}`);
    rules.push({
      name,
      condition,
      action,
      message: `error budget below ${percent} %`,
      exceptions: [],
      compiled,
    });
  };
  if (thresholds.blockingPercent !== undefined) add('block-below', thresholds.blockingPercent, 'block');
  if (thresholds.warningPercent !== undefined) add('warn-below', thresholds.warningPercent, 'warn');
  return {
    name: options.name,
    source: options.source,
    hash: JSON.stringify(thresholds),
    selector: options.entityRef ? { entityRefs: [options.entityRef] } : { tiers: options.tier ? [options.tier] : [] },
    timeZone: 'UTC',
    failClosed: false,
    rules,
    freezeWindows: [],
  };
}

/**
 * Decides whether a deploy may go ahead: every matching policy's rules and freeze windows,
 * the tier default when no policy matches. The verdict is the most severe any rule asks for;
 * a rule that cannot be evaluated (a budget unknown) and stale budgets warn, or block where
 * the policy is `failClosed`. Pure: the caller supplies the budgets and the time.
 *
 * @public
 */
export function evaluateGate(policies: GatePolicy[], input: GateInput): GateDecision {
  let matching = policies.filter(p => policyMatches(p, input.service));
  if (matching.length === 0) {
    matching = [
      thresholdPolicy({
        name: `tier-${input.service.tier}-default`,
        source: 'tier-default',
        tier: input.service.tier,
        thresholds: DEFAULT_GATE_THRESHOLDS[input.service.tier] ?? DEFAULT_GATE_THRESHOLDS[3],
      }),
    ];
  }
  const results: GateRuleResult[] = [];
  const reasons: string[] = [];
  const notify: string[] = [];
  let verdict: GateVerdict = 'allow';
  const raise = (v: GateVerdict) => {
    if (RANK[v] > RANK[verdict]) verdict = v;
  };
  const labels = new Set(input.deploy.labels.map(l => l.toLocaleLowerCase('en-US')));
  const failClosed = matching.some(p => p.failClosed);

  for (const policy of matching) {
    const context = celContext(input, policy.timeZone);
    for (const rule of policy.rules) {
      const values = Object.fromEntries(rule.compiled.reads.map(name => [name, plain(context[name])]));
      const base = { policy: policy.name, rule: rule.name, condition: rule.condition, action: rule.action, values };
      if (rule.exceptions.some(e => labels.has(e.toLocaleLowerCase('en-US')))) {
        results.push({ ...base, result: 'exempt', verdict: 'allow', message: `skipped: the deploy is labelled ${rule.exceptions.filter(e => labels.has(e.toLocaleLowerCase('en-US'))).join(', ')}` });
        continue;
      }
      let value: unknown;
      try {
        value = rule.compiled.evaluate(context);
      } catch (error) {
        const v: GateVerdict = policy.failClosed ? 'block' : 'warn';
        const message = `${policy.name}/${rule.name} could not be evaluated (${cutForMessage(String((error as Error).message ?? error).split('\n')[0], 200)})${policy.failClosed ? '; the policy fails closed' : ''}`;
        results.push({ ...base, result: 'error', verdict: v, message });
        reasons.push(message);
        raise(v);
        continue;
      }
      const fired = value === true;
      const v = fired ? actionVerdict(rule.action) : 'allow';
      const message = fired
        ? `${policy.name}/${rule.name}: ${rule.message ?? rule.condition}${rule.action === 'require_approval' ? ' — needs an approved override' : ''}`
        : `${policy.name}/${rule.name}: not met`;
      results.push({ ...base, result: fired ? 'true' : 'false', verdict: v, message });
      if (fired) {
        if (rule.action === 'notify') notify.push(message);
        else reasons.push(message);
        raise(v);
      }
    }
    for (const window of policy.freezeWindows) {
      const start = DateTime.fromISO(window.start, { zone: window.timeZone });
      const end = DateTime.fromISO(window.end, { zone: window.timeZone });
      const now = input.now.getTime();
      const inside = now >= start.toMillis() && now < end.toMillis();
      const exempt = window.exceptions.some(e => labels.has(e.toLocaleLowerCase('en-US')));
      const base = {
        policy: policy.name,
        rule: window.name,
        condition: `freeze ${window.start} – ${window.end} (${window.timeZone})`,
        action: 'freeze' as const,
        values: { now: DateTime.fromJSDate(input.now).setZone(window.timeZone).toISO() },
      };
      if (!inside) {
        results.push({ ...base, result: 'false', verdict: 'allow', message: `${policy.name}/${window.name}: outside the freeze` });
      } else if (exempt) {
        results.push({ ...base, result: 'exempt', verdict: 'allow', message: `${policy.name}/${window.name}: in the freeze, but the deploy is labelled ${window.exceptions.join('/')}` });
      } else {
        const message = `${policy.name}/${window.name}: ${window.message ?? 'deploy freeze'} until ${window.end} (${window.timeZone})`;
        results.push({ ...base, result: 'true', verdict: 'block', message });
        reasons.push(message);
        raise('block');
      }
    }
  }
  if (input.stale || input.budgetsAsOf === null) {
    const v: GateVerdict = failClosed ? 'block' : 'warn';
    reasons.push(
      input.budgetsAsOf === null
        ? `no budget has been measured yet${failClosed ? ' (fail closed)' : ''}`
        : `budgets are stale (last measured ${input.budgetsAsOf})${failClosed ? ' (fail closed)' : ''}`,
    );
    raise(v);
  }
  if (reasons.length === 0) reasons.push('every rule passed');
  return {
    verdict,
    exitCode: RANK[verdict] as 0 | 1 | 2,
    reasons,
    rules: results,
    policies: matching.map(p => ({ name: p.name, source: p.source, hash: p.hash })),
    budgetsAsOf: input.budgetsAsOf,
    stale: input.stale,
    notify,
  };
}

function actionVerdict(action: GateAction): GateVerdict {
  if (action === 'warn') return 'warn';
  if (action === 'notify') return 'allow';
  return 'block';
}

/** The CEL variables for one policy (its time zone); ints as BigInt as CEL wants them. */
function celContext(input: GateInput, timeZone: string): Record<string, unknown> {
  const known = Object.values(input.slos).filter((r): r is number => r !== null);
  const worst = Object.values(input.slos).some(r => r === null) || known.length === 0 ? null : Math.min(...known);
  const local = DateTime.fromJSDate(input.now).setZone(timeZone);
  const burn: Record<string, number> = {};
  for (const [w, r] of Object.entries(input.burn)) if (r !== null) burn[w] = r;
  const slos: Record<string, Record<string, number>> = {};
  for (const [n, r] of Object.entries(input.slos)) slos[n] = r === null ? {} : { remaining: r };
  return {
    budget: worst === null ? {} : { remaining: worst },
    slos,
    burn,
    time: { weekday: BigInt(local.weekday), hour: BigInt(local.hour), date: local.toISODate() },
    deploy: {
      labels: input.deploy.labels,
      version: input.deploy.version,
      environment: input.deploy.environment ?? '',
      // Unknown before the ledger first ran: absent, so a condition reading it is not evaluable.
      ...(input.ledger ? { recentHighImpact: input.ledger.recentHighImpact } : {}),
    },
    service: {
      name: input.service.name,
      tier: BigInt(input.service.tier),
      type: input.service.type,
      owner: input.service.owner ?? '',
    },
    dependencies: input.dependencies.map(d => ({
      ref: d.ref,
      name: d.name,
      tier: BigInt(d.tier ?? 0),
      ...(d.remaining === null ? {} : { remaining: d.remaining }),
    })),
    // Unknown is an empty map: a condition reading it is not evaluable, never "0 findings".
    drift: input.drift ? { critical: BigInt(input.drift.critical), warning: BigInt(input.drift.warning) } : {},
    incidents: input.incidents
      ? { count7d: BigInt(input.incidents.count7d), open: BigInt(input.incidents.open) }
      : {},
    ledger: input.ledger && input.ledger.unattributedRatio !== null ? { unattributedRatio: input.ledger.unattributedRatio } : {},
    blast: input.blast
      ? { severity: input.blast.severity, affected: BigInt(input.blast.affected), tier1: BigInt(input.blast.tier1) }
      : {},
  };
}

/** JSON-safe copy (BigInt → number). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
}
