import { stringMap } from './stringMaps';

/** One rule as a Prometheus-compatible ruler reports it (`/api/v1/rules`), normalised. @public */
export interface ObservedRule {
  type: 'alerting' | 'recording';
  /** The alert name or the recorded metric name. */
  name: string;
  /** The expression as the ruler re-prints it. */
  query: string;
  /** `for` of an alert in seconds (0 for recording rules). */
  forSeconds: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  /** ISO time of the last evaluation; absent when the rule was never evaluated. */
  lastEvaluation?: string;
}

/** One loaded rule group. @public */
export interface ObservedRuleGroup {
  name: string;
  file: string;
  rules: ObservedRule[];
}

/** Go's zero time, which Prometheus reports for rules never evaluated. */
const NEVER = /^0001-01-01T/;

function observedRule(raw: Record<string, unknown>): ObservedRule | undefined {
  const type = raw.type;
  if ((type !== 'alerting' && type !== 'recording') || typeof raw.name !== 'string' || typeof raw.query !== 'string') {
    return undefined;
  }
  const health = raw.health === 'ok' || raw.health === 'err' ? raw.health : 'unknown';
  const lastEvaluation =
    typeof raw.lastEvaluation === 'string' && !NEVER.test(raw.lastEvaluation) ? raw.lastEvaluation : undefined;
  return {
    type,
    name: raw.name,
    query: raw.query,
    forSeconds: typeof raw.duration === 'number' ? raw.duration : 0,
    labels: stringMap(raw.labels),
    annotations: stringMap(raw.annotations),
    health,
    ...(typeof raw.lastError === 'string' && raw.lastError ? { lastError: raw.lastError } : {}),
    ...(lastEvaluation ? { lastEvaluation } : {}),
  };
}

/**
 * The groups of a `/api/v1/rules` answer (`data.groups`) as {@link ObservedRuleGroup}s.
 * Recording rules without labels come without a `labels` field, alerts' `for` comes as
 * `duration` in seconds; entries that are not rules are dropped.
 *
 * @public
 */
export function normaliseRuleGroups(groups: unknown[]): ObservedRuleGroup[] {
  const out: ObservedRuleGroup[] = [];
  for (const group of groups) {
    if (!group || typeof group !== 'object') continue;
    const g = group as Record<string, unknown>;
    if (typeof g.name !== 'string' || !Array.isArray(g.rules)) continue;
    out.push({
      name: g.name,
      file: typeof g.file === 'string' ? g.file : '',
      rules: g.rules.flatMap(r => (r && typeof r === 'object' ? observedRule(r as Record<string, unknown>) ?? [] : [])),
    });
  }
  return out;
}

/** Groups by name, for looking up many services' groups in one answer. @public */
export function indexRuleGroups(groups: ObservedRuleGroup[]): Map<string, ObservedRuleGroup[]> {
  const index = new Map<string, ObservedRuleGroup[]>();
  for (const group of groups) {
    const list = index.get(group.name);
    if (list) list.push(group);
    else index.set(group.name, [group]);
  }
  return index;
}

/**
 * One answer from the two halves of a ruler's rules, asked for apart (`type=alert` and
 * `type=record`): groups by file and name in the order they first came, each group's alerts
 * then its recording rules. A ruler that ignored `type` sent every rule in a half; then that
 * half is the whole answer (nothing counted twice).
 *
 * @public
 */
export function mergeRuleTypeAnswers(alerting: ObservedRuleGroup[], recording: ObservedRuleGroup[]): ObservedRuleGroup[] {
  const holds = (groups: ObservedRuleGroup[], type: ObservedRule['type']) =>
    groups.some(g => g.rules.some(r => r.type === type));
  if (holds(alerting, 'recording')) return alerting;
  if (holds(recording, 'alerting')) return recording;
  const merged = new Map<string, ObservedRuleGroup>();
  for (const group of [...alerting, ...recording]) {
    const key = `${group.file}\u0000${group.name}`;
    const seen = merged.get(key);
    if (seen) seen.rules = seen.rules.concat(group.rules);
    else merged.set(key, { ...group });
  }
  return [...merged.values()];
}
