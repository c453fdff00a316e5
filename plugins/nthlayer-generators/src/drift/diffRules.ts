import {
  DriftFinding,
  DriftSeverity,
  MWMBR_THRESHOLDS,
  parsePrometheusDuration,
} from '@nthlayer/backstage-plugin-common';
import { createHash } from 'node:crypto';
import { BURN_ALERT_NAME } from '../prometheus/sloRuleGroups';
import { CanonicalPromql, canonicalPromql } from './canonicalPromql';
import { ExpectedRule, ExpectedRuleGroup } from './expectedRules';
import { withSortedMatchers } from './matcherOrder';
import { ObservedRule, ObservedRuleGroup } from './observedRules';

/** Input of {@link diffRules}. @public */
export interface DiffRulesInput {
  /** The service's name: groups named `nthlayer-<service>-…` holding its rules are NthLayer's. */
  service: string;
  expected: ExpectedRuleGroup[];
  /** Every group the instance has loaded, or an index of them by name (`indexRuleGroups`). */
  observed: ObservedRuleGroup[] | Map<string, ObservedRuleGroup[]>;
  /** The instance's name, for messages. */
  instance?: string;
}

/** Labels every rule of a service carries; they do not tell its rules apart. */
const SHARED_LABELS = new Set(['service', 'team', 'tier']);

/** `name{label="value",…}` without the labels every rule of the service shares. @public */
export function ruleObject(name: string, labels: Record<string, string>): string {
  const own = Object.keys(labels)
    .filter(k => !SHARED_LABELS.has(k))
    .sort()
    .map(k => `${k}=${JSON.stringify(labels[k])}`);
  return own.length ? `${name}{${own.join(',')}}` : name;
}

function ruleKey(type: string, name: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`);
  return `${type}\u0000${name}\u0000${sorted.join('\u0000')}`;
}

function groupsNamed(observed: DiffRulesInput['observed'], name: string): ObservedRuleGroup[] {
  if (observed instanceof Map) return observed.get(name) ?? [];
  return observed.filter(g => g.name === name);
}

/** NthLayer-named groups (`nthlayer-…`) by the `service` label of their rules, per observed answer. */
const byServiceCache = new WeakMap<object, Map<string, ObservedRuleGroup[]>>();

/**
 * The loaded NthLayer groups holding rules of `service`. Indexed once per observed answer, so
 * one `/api/v1/rules` answer shared by thousands of services is scanned once, not per service.
 */
function serviceGroups(observed: DiffRulesInput['observed'], service: string): ObservedRuleGroup[] {
  let index = byServiceCache.get(observed);
  if (!index) {
    index = new Map();
    const groups = observed instanceof Map ? [...observed.values()].flat() : observed;
    for (const group of groups) {
      if (!group.name.startsWith('nthlayer-')) continue;
      for (const name of new Set(group.rules.map(r => r.labels.service).filter(Boolean))) {
        const list = index.get(name);
        if (list) list.push(group);
        else index.set(name, [group]);
      }
    }
    byServiceCache.set(observed, index);
  }
  return index.get(service) ?? [];
}

/**
 * Pairs of generated and loaded expressions already found to be the same PromQL, by a hash of
 * both texts: the drift task compares the same pairs every run, and parsing both (about 40 µs
 * each) is most of its cost. Bounded; cleared when full.
 */
const equalPairs = new Set<string>();
const MAX_EQUAL_PAIRS = 1_000_000;

function pairKey(generated: string, loaded: string): string {
  return createHash('sha1').update(generated).update('\u0000').update(loaded).digest('base64');
}

function knownEqual(generated: string, loaded: string): boolean {
  return equalPairs.has(pairKey(generated, loaded));
}

function rememberEqual(generated: string, loaded: string): void {
  if (equalPairs.size >= MAX_EQUAL_PAIRS) equalPairs.clear();
  equalPairs.add(pairKey(generated, loaded));
}

/** The same text up to the ends and the order of selector matchers (see {@link withSortedMatchers}). */
function printedAlike(generated: string, loaded: string): boolean {
  const a = withSortedMatchers(generated);
  return a !== undefined && a === withSortedMatchers(loaded);
}

/** The keys whose values differ between the two (either side may lack one), sorted. */
function differingKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = Object.keys(a);
  // Most loaded rules carry exactly what was generated: told without building a key set.
  if (keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k])) return [];
  return [...new Set([...keys, ...Object.keys(b)])].filter(k => a[k] !== b[k]).sort();
}

function formatPercent(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const units: Array<[string, number]> = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  let rest = seconds;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Pairs expected and observed rules: same name and labels first, then same name in order. */
function pairRules(expected: ExpectedRule[], observed: ObservedRule[]) {
  const pairs: Array<[ExpectedRule, ObservedRule]> = [];
  const unmatched = new Set(observed);
  const missing: ExpectedRule[] = [];
  const byKey = new Map<string, ObservedRule[]>();
  for (const rule of observed) {
    const key = ruleKey(rule.type, rule.name, rule.labels);
    const list = byKey.get(key);
    if (list) list.push(rule);
    else byKey.set(key, [rule]);
  }
  const leftover: ExpectedRule[] = [];
  for (const rule of expected) {
    const candidates = byKey.get(ruleKey(rule.type, rule.name, rule.labels));
    const match = candidates?.shift();
    if (match) {
      pairs.push([rule, match]);
      unmatched.delete(match);
    } else leftover.push(rule);
  }
  for (const rule of leftover) {
    const match = [...unmatched].find(o => o.type === rule.type && o.name === rule.name);
    if (match) {
      pairs.push([rule, match]);
      unmatched.delete(match);
    } else missing.push(rule);
  }
  return { pairs, missing, extra: [...unmatched] };
}

/**
 * The SLO objective a burn-rate alert encodes: its threshold is `factor × (1 − objective)`,
 * the factor given by its windows (DESIGN §3 table).
 */
function encodedObjective(rule: { labels: Record<string, string> }, threshold: number): number | undefined {
  const row = MWMBR_THRESHOLDS.find(
    r => r.longWindow === rule.labels.long_window && r.shortWindow === rule.labels.short_window,
  );
  return row ? 100 * (1 - threshold / row.factor) : undefined;
}

/** Both expressions parse, differ, and differ only in numbers: is it a burn alert's threshold? */
function thresholdFinding(
  group: string,
  expected: ExpectedRule,
  want: CanonicalPromql,
  got: CanonicalPromql,
): DriftFinding | undefined {
  if (expected.name !== BURN_ALERT_NAME || want.shape !== got.shape) return undefined;
  // The first number of a burn-rate alert is the threshold of its long window.
  const [wantThreshold] = want.numbers;
  const [gotThreshold] = got.numbers;
  const declared = encodedObjective(expected, wantThreshold);
  const loaded = encodedObjective(expected, gotThreshold);
  if (declared === undefined || loaded === undefined || wantThreshold === gotThreshold) return undefined;
  const others = want.numbers.slice(1).some((n, i) => n !== got.numbers[i + 1]);
  const looser = loaded < declared;
  const slo = expected.labels.slo ?? '?';
  return {
    target: 'slo-threshold',
    severity: looser ? 'critical' : 'warning',
    kind: 'changed',
    object: `${group}: ${ruleObject(expected.name, expected.labels)}`,
    field: 'threshold',
    expected: `${formatPercent(declared)} (error ratio > ${wantThreshold})`,
    actual: `${formatPercent(loaded)} (error ratio > ${gotThreshold})`,
    message: `The loaded ${expected.labels.severity ?? ''} alert of the ${slo} SLO encodes an objective of ${formatPercent(loaded)}, the declared objective is ${formatPercent(declared)}: ${
      looser ? 'it fires later than the SLO needs, so budget burns unnoticed.' : 'it fires earlier than the SLO needs (noise).'
    }${others ? ' Other numbers of the expression differ too.' : ''} Regenerate and redeploy the rule file.`,
  };
}

function compareRule(group: string, expected: ExpectedRule, observed: ObservedRule, instance: string): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const object = `${group}: ${ruleObject(expected.name, expected.labels)}`;
  const push = (severity: DriftSeverity, field: string, wanted: string, loaded: string, message: string) =>
    findings.push({ target: 'rules', severity, kind: 'changed', object, field, expected: wanted, actual: loaded, message });

  // Texts first: canonicalising costs about a quarter of a millisecond per expression, and
  // Prometheus re-prints NthLayer's rules with their matchers sorted and nothing else changed.
  const known =
    expected.expr === observed.query ||
    printedAlike(expected.expr, observed.query) ||
    knownEqual(expected.expr, observed.query);
  const generatedTree = known ? undefined : canonicalPromql(expected.expr);
  const loadedTree = generatedTree && canonicalPromql(observed.query);
  if (generatedTree && loadedTree && generatedTree.text === loadedTree.text) rememberEqual(expected.expr, observed.query);
  if (!known && (!generatedTree || !loadedTree || generatedTree.text !== loadedTree.text)) {
    const threshold = generatedTree && loadedTree && thresholdFinding(group, expected, generatedTree, loadedTree);
    if (threshold) findings.push(threshold);
    else {
      push(
        expected.type === 'alerting' ? 'critical' : 'warning',
        'expr',
        expected.expr,
        observed.query,
        `The loaded expression of ${ruleObject(expected.name, expected.labels)} differs from the generated one on ${instance}.`,
      );
    }
  }
  if (expected.type === 'alerting') {
    const want = parsePrometheusDuration(expected.for ?? '0s', { numberAsSeconds: true }) ?? 0;
    if (Math.round(want / 1000) !== observed.forSeconds) {
      push(
        'warning',
        'for',
        formatSeconds(Math.round(want / 1000)),
        formatSeconds(observed.forSeconds),
        `The alert waits ${formatSeconds(observed.forSeconds)} before firing; NthLayer generates ${formatSeconds(Math.round(want / 1000))}.`,
      );
    }
  }
  for (const label of differingKeys(expected.labels, observed.labels)) {
    const want = expected.labels[label];
    const got = observed.labels[label];
    push(
      label === 'severity' ? 'critical' : 'warning',
      `labels.${label}`,
      want ?? '(none)',
      got ?? '(none)',
      `Label ${label} is ${got === undefined ? 'missing' : JSON.stringify(got)} on the loaded rule; NthLayer generates ${want === undefined ? 'no such label' : JSON.stringify(want)}.`,
    );
  }
  for (const name of differingKeys(expected.annotations, observed.annotations)) {
    const want = expected.annotations[name];
    const got = observed.annotations[name];
    push('info', `annotations.${name}`, want ?? '(none)', got ?? '(none)', `Annotation ${name} of the loaded rule differs from the generated one.`);
  }
  if (observed.health === 'err') {
    findings.push({
      target: 'rules',
      severity: 'critical',
      kind: 'error',
      object,
      field: 'health',
      expected: 'ok',
      actual: observed.lastError ?? 'err',
      message: `The rule fails to evaluate on ${instance}: ${observed.lastError ?? 'no error text'}.`,
    });
  } else if (!observed.lastEvaluation) {
    findings.push({
      target: 'rules',
      severity: 'warning',
      kind: 'not-evaluated',
      object,
      message: `The rule is loaded on ${instance} but has never been evaluated (just reloaded, or its group is stuck).`,
    });
  }
  return findings;
}

/**
 * Differences between the rule groups NthLayer generates for a service and the groups a
 * Prometheus-compatible ruler has loaded (DESIGN §6): groups and rules that are missing,
 * NthLayer-named ones no longer generated, changed expressions (compared as syntax trees:
 * re-printing is never drift), `for`, labels and annotations, rules that fail or never ran,
 * and burn-rate alerts whose threshold encodes another objective than the declared one.
 * Pure.
 *
 * @public
 */
export function diffRules(input: DiffRulesInput): DriftFinding[] {
  const instance = input.instance ? `Prometheus "${input.instance}"` : 'Prometheus';
  const findings: DriftFinding[] = [];
  const expectedNames = new Set(input.expected.map(g => g.name));
  for (const group of input.expected) {
    const loaded = groupsNamed(input.observed, group.name);
    if (loaded.length === 0) {
      const alerts = group.rules.filter(r => r.type === 'alerting').length;
      findings.push({
        target: 'rules',
        severity: 'critical',
        kind: 'missing',
        object: group.name,
        expected: `${group.rules.length} rules (${alerts} alerts) from ${group.filename}`,
        actual: 'not loaded',
        message: `The rule group ${group.name} is not loaded on ${instance}: deploy ${group.filename} to its rule files.`,
      });
      continue;
    }
    const { pairs, missing, extra } = pairRules(group.rules, loaded.flatMap(g => g.rules));
    for (const rule of missing) {
      findings.push({
        target: 'rules',
        severity: rule.type === 'alerting' ? 'critical' : 'warning',
        kind: 'missing',
        object: `${group.name}: ${ruleObject(rule.name, rule.labels)}`,
        expected: rule.expr,
        actual: 'not loaded',
        message: `The ${rule.type === 'alerting' ? 'alert' : 'recording rule'} ${rule.name} is missing from the loaded group ${group.name}.`,
      });
    }
    for (const rule of extra) {
      findings.push({
        target: 'rules',
        severity: 'warning',
        kind: 'extra',
        object: `${group.name}: ${ruleObject(rule.name, rule.labels)}`,
        actual: rule.query,
        message: `The loaded group ${group.name} holds ${rule.name}, which NthLayer no longer generates: remove it or regenerate the file.`,
      });
    }
    for (const [want, got] of pairs) findings.push(...compareRule(group.name, want, got, instance));
  }
  const prefix = `nthlayer-${input.service}-`;
  const extraGroups = new Set<string>();
  // nthlayer-checkout-… could be checkout-api's: the rules' service label says whose group it is.
  for (const group of serviceGroups(input.observed, input.service)) {
    if (expectedNames.has(group.name) || !group.name.startsWith(prefix)) continue;
    if (extraGroups.has(group.name)) continue;
    extraGroups.add(group.name);
    findings.push({
      target: 'rules',
      severity: 'warning',
      kind: 'extra',
      object: group.name,
      actual: `${group.rules.length} rules in ${group.file}`,
      message: `The loaded group ${group.name} is NthLayer's but no longer generated for ${input.service} (a removed SLO or dependency): delete it from ${group.file}.`,
    });
  }
  return findings;
}
