import { YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import { GoYamlDecoder, Node, kindOf } from './goYaml';
import { modelDurationMs } from './promqlLexical';
import type { LocatedRule } from './ruleChecks';
import { LintFinding } from './types';

/** Fields of a group and of a rule, as Prometheus 2.42's `rulefmt` knows them (strict). */
const GROUP_FIELDS = ['name', 'interval', 'limit', 'rules'];
const RULE_FIELDS = [
  'record',
  'alert',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Not valid UTF-8 once in Go. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A rule file read as Prometheus reads it: the rules, and what it rejects. */
export interface RuleFileModel {
  /** Rules with exactly one of `record` and `alert`. */
  rules: LocatedRule[];
  /** Rules with neither or both (reported); their expressions still count. */
  unnamed: LocatedRule[];
  findings: LintFinding[];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

class Reader extends GoYamlDecoder {
  readonly rules: LocatedRule[] = [];
  readonly unnamed: LocatedRule[] = [];

  /** The fields of a mapping; unknown ones are errors (Prometheus decodes strictly). */
  private fields(
    map: YAMLMap,
    known: string[],
    where: string,
    context: Partial<LintFinding> = {},
  ): Map<string, Node> {
    const out = new Map<string, Node>();
    for (const { key, keyNode, value } of this.entries(map)) {
      if (known.includes(key)) {
        out.set(key, value);
        continue;
      }
      const close = known.find(k => editDistance(k, key) <= 2);
      this.report(keyNode, `field ${key} not found in ${where}`, {
        ...context,
        ...(close ? { fix: `did you mean "${close}"?` } : {}),
      });
    }
    return out;
  }

  private stringField(node: Node, name: string): string {
    const value = this.resolve(node);
    if (node === undefined || isScalar(value))
      return this.scalarText(value) ?? '';
    this.report(node, `"${name}" must be a string, not ${kindOf(value)}`);
    return '';
  }

  /** A `model.Duration` field: a scalar Prometheus' ParseDuration reads; ms, or undefined. */
  private durationField(
    node: Node,
    name: string,
    rule?: { check: 'alerts/for' },
  ): number | undefined {
    const value = this.resolve(node);
    if (node === undefined || this.isNull(value)) return 0;
    const text = this.scalarText(value);
    const ms = text === undefined ? undefined : modelDurationMs(text);
    if (ms === undefined) {
      const numeric = text !== undefined && /^\d+$/.test(text);
      this.report(
        node,
        `"${name}: ${text ?? kindOf(value)}" is not a Prometheus duration`,
        {
          ...(rule ?? {}),
          ...(numeric ? { fix: `write the unit, e.g. ${name}: ${text}s` } : {}),
        },
      );
    }
    return ms;
  }

  private stringMap(node: Node, name: string): Record<string, string> {
    const value = this.resolve(node);
    const out: Record<string, string> = {};
    if (node === undefined || this.isNull(value)) return out;
    if (!isMap(value)) {
      this.report(
        node,
        `"${name}" must be a mapping of names to strings, not ${kindOf(value)}`,
      );
      return out;
    }
    for (const entry of this.entries(value)) {
      const item = this.resolve(entry.value);
      if (
        entry.value !== null &&
        entry.value !== undefined &&
        !isScalar(item)
      ) {
        this.report(
          entry.value,
          `${name} "${entry.key}" must be a string, not ${kindOf(item)}`,
          isMap(item)
            ? { fix: 'quote values that start with "{", e.g. "{{ $value }}"' }
            : {},
        );
      } else out[entry.key] = this.scalarText(item) ?? '';
    }
    return out;
  }

  private list(node: Node, name: string): Node[] {
    const value = this.resolve(node);
    if (node === undefined || this.isNull(value)) return [];
    if (!isSeq(value)) {
      this.report(node, `"${name}" must be a list, not ${kindOf(value)}`);
      return [];
    }
    // Go's decoder skips null items of a list.
    return value.items.filter(item => !this.isNull(item));
  }

  read(): void {
    const top = this.root();
    if (top === undefined) return;
    if (this.isNull(top)) return;
    if (!isMap(top)) {
      this.report(
        top,
        `a rule file is a mapping with a "groups" list, not ${kindOf(top)}`,
      );
      return;
    }
    const groups = this.list(
      this.fields(top, ['groups'], 'a rule file').get('groups'),
      'groups',
    );
    const names = new Map<string, Node>();
    for (const node of groups) {
      const group = this.resolve(node);
      if (!isMap(group)) {
        this.report(node, `a group must be a mapping, not ${kindOf(group)}`);
        continue;
      }
      const fields = this.fields(group, GROUP_FIELDS, 'a group');
      const name = this.stringField(fields.get('name'), 'name');
      if (!name)
        this.report(node, 'Groupname must not be empty', {
          fix: 'give the group a name: "name: <name>"',
        });
      else if (names.has(name)) {
        this.report(
          node,
          `groupname "${name}" is repeated in the same file (first at line ${
            this.position(names.get(name)).line
          })`,
          { group: name, fix: 'rename one of the groups' },
        );
      } else names.set(name, node);
      this.durationField(fields.get('interval'), 'interval');
      this.limitField(fields.get('limit'));
      this.list(fields.get('rules'), 'rules').forEach((rule, i) =>
        this.rule(rule, name, i + 1),
      );
    }
  }

  /** `limit` is a Go int: a YAML int or float (truncated) or null; not a string or bool. */
  private limitField(node: Node): void {
    const value = this.resolve(node);
    const number = isScalar(value) && typeof value.value === 'number';
    if (node === undefined || this.isNull(value) || number) return;
    this.report(node, `"limit" must be an integer, not ${kindOf(value)}`);
  }

  private rule(node: Node, group: string, index: number): void {
    const map = this.resolve(node);
    if (!isMap(map)) {
      this.report(node, `rule ${index} must be a mapping, not ${kindOf(map)}`, {
        group,
      });
      return;
    }
    const fields = this.fields(map, RULE_FIELDS, 'a rule', { group });
    // record, alert and expr are yaml.Node fields: any node, a null as written.
    const record = this.scalarText(fields.get('record'), true) ?? '';
    const alert = this.scalarText(fields.get('alert'), true) ?? '';
    const rule: LocatedRule['rule'] = {
      ...(record ? { record } : {}),
      ...(alert ? { alert } : {}),
      expr: this.scalarText(fields.get('expr'), true) ?? '',
      labels: this.stringMap(fields.get('labels'), 'label'),
      annotations: this.stringMap(fields.get('annotations'), 'annotation'),
    };
    const forCheck = { check: 'alerts/for' as const };
    const forMs = this.durationField(fields.get('for'), 'for', forCheck);
    if (fields.has('for') && !this.isNull(fields.get('for'))) {
      rule.for = this.scalarText(fields.get('for')) ?? '';
    }
    const keep = this.durationField(
      fields.get('keep_firing_for'),
      'keep_firing_for',
      forCheck,
    );
    const where = { group, rule: alert || record || `#${index}` };
    const at = (key: string) => ({
      ...this.position(fields.get(key) ?? node),
      ...where,
    });
    if (record && alert) {
      this.report(
        node,
        "only one of 'record' and 'alert' must be set",
        at('record'),
      );
    } else if (!record && !alert) {
      this.report(node, 'a rule needs exactly one of "record" or "alert"', {
        group,
      });
    }
    if (!rule.expr) {
      this.findings.push({
        check: 'promql/syntax',
        severity: 'error',
        message: "field 'expr' must be set in rule",
        ...at('expr'),
      });
    }
    if (record && !alert)
      this.recordingRule(node, record, rule, !!forMs, !!keep, at);
    this.names(node, rule, at);
    const located = { group, line: this.position(node).line, rule, index };
    (!record === !alert ? this.unnamed : this.rules).push(located);
  }

  /** What `rulefmt` rejects on recording rules: alert-only fields, invalid names. */
  private recordingRule(
    node: Node,
    record: string,
    rule: LocatedRule['rule'],
    hasFor: boolean,
    hasKeepFiringFor: boolean,
    at: (key: string) => Partial<LintFinding>,
  ): void {
    if (Object.keys(rule.annotations ?? {}).length) {
      this.report(node, "invalid field 'annotations' in recording rule", {
        ...at('annotations'),
        fix: 'remove the annotations, or make it an alert',
      });
    }
    for (const [key, has] of [
      ['for', hasFor],
      ['keep_firing_for', hasKeepFiringFor],
    ] as const) {
      if (!has) continue;
      this.report(node, `"${key}" is only valid on alerting rules`, {
        ...at(key),
        check: 'alerts/for',
        fix: `remove "${key}", or make it an alert`,
      });
    }
    if (!METRIC_NAME.test(record)) {
      const name = record.replace(/[^\w:]/g, '_').replace(/^(\d)/, '_$1');
      this.report(node, `invalid recording rule name: ${record}`, {
        ...at('record'),
        fix: `a metric name matches [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. ${name}`,
      });
    }
  }

  /** Label and annotation names (and label values) `rulefmt` rejects. */
  private names(
    node: Node,
    rule: LocatedRule['rule'],
    at: (key: string) => Partial<LintFinding>,
  ): void {
    for (const [label, value] of Object.entries(rule.labels ?? {})) {
      if (!LABEL_NAME.test(label) || label === '__name__') {
        this.report(node, `invalid label name: ${label}`, {
          ...at('labels'),
          fix: 'label names match [a-zA-Z_][a-zA-Z0-9_]* and are not __name__',
        });
      }
      if (LONE_SURROGATE.test(String(value))) {
        this.report(
          node,
          `invalid label value: ${JSON.stringify(value)}`,
          at('labels'),
        );
      }
    }
    for (const name of Object.keys(rule.annotations ?? {})) {
      if (!LABEL_NAME.test(name)) {
        this.report(node, `invalid annotation name: ${name}`, {
          ...at('annotations'),
          fix: 'annotation names match [a-zA-Z_][a-zA-Z0-9_]*',
        });
      }
    }
  }
}

/**
 * Reads a Prometheus rule file as Prometheus 2.42's `rulefmt` does: the first YAML
 * document, strict fields (unknown ones are errors), YAML anchors, aliases and `<<` merge
 * keys, Go's decoding of scalars into strings, durations and integers, and the checks of
 * `rulefmt.Validate` on groups and rules except the expression and the templates (see
 * `validateRuleFile`). Pure: no I/O.
 */
export function readRuleFile(text: string): RuleFileModel {
  const reader = new Reader(text);
  reader.read();
  return {
    rules: reader.rules,
    unnamed: reader.unnamed,
    findings: reader.findings,
  };
}
