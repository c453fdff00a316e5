import { DriftFinding, parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { generateArtifacts } from '../generateArtifacts';
import { loadAlertCatalogue } from '../technology';
import { sampleInput } from '../testing/sampleInput';
import { diffRules } from './diffRules';
import { ExpectedRuleGroup, expectedRuleGroups } from './expectedRules';
import { ObservedRuleGroup } from './observedRules';

const catalogue = loadAlertCatalogue();
const input = sampleInput({ runbookUrl: 'https://runbooks.example.com/checkout-api' }, [
  { ref: 'resource:default/orders-db', name: 'orders-db', kind: 'resource', technology: 'postgresql' },
]);
const expected = expectedRuleGroups(generateArtifacts(input, { catalogue }).artifacts);

/** What Prometheus reports for the generated groups, re-printed the way it re-prints. */
function loaded(groups: ExpectedRuleGroup[]): ObservedRuleGroup[] {
  return groups.map(g => ({
    name: g.name,
    file: `/etc/prometheus/rules/${g.filename}`,
    rules: g.rules.map(r => ({
      type: r.type,
      name: r.name,
      // Prometheus sorts nothing we rely on; we emulate its spacing and keyword case.
      query: r.expr.replace(/ and on\(\) /g, ' and on () ').replace(/\s+/g, ' '),
      forSeconds: r.for ? parsePrometheusDuration(r.for)! / 1000 : 0,
      labels: { ...r.labels },
      annotations: { ...r.annotations },
      health: 'ok' as const,
      lastEvaluation: '2026-12-02T09:00:00Z',
    })),
  }));
}

function withRule(
  groups: ObservedRuleGroup[],
  pick: (group: ObservedRuleGroup, index: number) => boolean,
  change: (rule: ObservedRuleGroup['rules'][number]) => void,
): ObservedRuleGroup[] {
  const copy: ObservedRuleGroup[] = JSON.parse(JSON.stringify(groups));
  for (const group of copy) {
    group.rules.forEach((rule, i) => {
      if (pick(group, i)) change(rule);
    });
  }
  return copy;
}

const diff = (observed: ObservedRuleGroup[]) => diffRules({ service: 'checkout-api', expected, observed, instance: 'default' });
const brief = (findings: DriftFinding[]) => findings.map(f => `${f.target}/${f.kind}/${f.severity}/${f.field ?? ''}`);

const sloGroup = 'nthlayer-checkout-api-availability';
const pageAlertIndex = (g: ExpectedRuleGroup | ObservedRuleGroup) =>
  g.rules.findIndex(r => r.name === 'NthlayerErrorBudgetBurn' && r.labels.long_window === '1h');

describe('diffRules', () => {
  it('reads every generated group: one per SLO and one per dependency technology', () => {
    expect(expected.map(g => g.name)).toEqual([
      'nthlayer-checkout-api-availability',
      'nthlayer-checkout-api-latency',
      expect.stringMatching(/^nthlayer-checkout-api-dependency-orders-db-postgresql$/),
    ]);
    expect(expected[0].rules.filter(r => r.type === 'alerting')).toHaveLength(4);
  });

  it('finds nothing when the loaded rules are the generated ones, however printed', () => {
    expect(diff(loaded(expected))).toEqual([]);
  });

  it('a group not loaded is one critical finding naming its file', () => {
    const observed = loaded(expected).filter(g => g.name !== sloGroup);
    const findings = diff(observed);
    expect(brief(findings)).toEqual(['rules/missing/critical/']);
    expect(findings[0].object).toBe(sloGroup);
    expect(findings[0].message).toContain('checkout-api-slo.rules.yaml');
  });

  it('a hand-edited page factor is SLO threshold drift with both objectives', () => {
    const observed = withRule(
      loaded(expected),
      (g, i) => g.name === sloGroup && i === pageAlertIndex(g),
      rule => {
        rule.query = rule.query.replace(/0\.0144/g, '0.0288');
      },
    );
    const findings = diff(observed);
    expect(brief(findings)).toEqual(['slo-threshold/changed/critical/threshold']);
    // 14.4 × (1 − 0.999) = 0.0144; a threshold of 0.0288 encodes 1 − 0.0288 / 14.4 = 99.8 %.
    expect(findings[0].expected).toBe('99.9% (error ratio > 0.0144)');
    expect(findings[0].actual).toBe('99.8% (error ratio > 0.0288)');
    expect(findings[0].object).toContain('long_window="1h"');
  });

  it('a stricter threshold is a warning, not critical', () => {
    const observed = withRule(
      loaded(expected),
      (g, i) => g.name === sloGroup && i === pageAlertIndex(g),
      rule => {
        rule.query = rule.query.replace(/0\.0144/g, '0.0072');
      },
    );
    const [finding] = diff(observed);
    expect(finding.severity).toBe('warning');
    expect(finding.actual).toBe('99.95% (error ratio > 0.0072)');
  });

  it('another change of an alert expression is critical rules drift with both texts', () => {
    const observed = withRule(
      loaded(expected),
      (g, i) => g.name === sloGroup && i === pageAlertIndex(g),
      rule => {
        rule.query = rule.query.replace(' and on () ', ' or on () ');
      },
    );
    const findings = diff(observed);
    expect(brief(findings)).toEqual(['rules/changed/critical/expr']);
    expect(findings[0].actual).toContain(' or on () ');
  });

  it('a changed recording rule is a warning; for, labels and annotations are compared as values', () => {
    const observed = withRule(loaded(expected), g => g.name === sloGroup, rule => {
      if (rule.name === 'nthlayer:slo_error:ratio_rate5m') rule.query = rule.query.replace('[5m]', '[10m]');
      if (rule.labels.long_window === '6h') {
        rule.forSeconds = 300;
        rule.labels.severity = 'ticket';
        rule.annotations.summary = 'edited';
      }
    });
    expect(brief(diff(observed)).sort()).toEqual([
      'rules/changed/critical/labels.severity',
      'rules/changed/info/annotations.summary',
      'rules/changed/warning/expr',
      'rules/changed/warning/for',
    ]);
    const forFinding = diff(observed).find(f => f.field === 'for')!;
    expect([forFinding.expected, forFinding.actual]).toEqual(['2m', '5m']);
  });

  it('a missing alert, an extra rule and an extra NthLayer group of the service', () => {
    const base = loaded(expected);
    const group = base.find(g => g.name === sloGroup)!;
    const [removed] = group.rules.splice(pageAlertIndex(group), 1);
    group.rules.push({ ...removed, name: 'HandWrittenAlert', labels: { ...removed.labels, severity: 'page' } });
    base.push({ name: 'nthlayer-checkout-api-old-slo', file: '/rules/old.yml', rules: [{ ...removed }] });
    // Another service's group sharing the prefix is not this service's.
    base.push({ name: 'nthlayer-checkout-api-v2-availability', file: '/rules/v2.yml', rules: [{ ...removed, labels: { service: 'checkout-api-v2' } }] });
    const findings = diff(base);
    expect(brief(findings).sort()).toEqual(['rules/extra/warning/', 'rules/extra/warning/', 'rules/missing/critical/']);
    expect(findings.map(f => f.object)).toContain('nthlayer-checkout-api-old-slo');
    expect(findings.map(f => f.object)).not.toContain('nthlayer-checkout-api-v2-availability');
  });

  it('a rule that fails is critical with its error; one never evaluated is a warning', () => {
    const observed = withRule(loaded(expected), (g, i) => g.name === sloGroup && i < 2, rule => {
      if (rule.name.endsWith('rate5m')) {
        rule.health = 'err';
        rule.lastError = 'many-to-many matching not allowed';
      } else delete rule.lastEvaluation;
    });
    const findings = diff(observed);
    expect(brief(findings)).toEqual(['rules/error/critical/health', 'rules/not-evaluated/warning/']);
    expect(findings[0].actual).toBe('many-to-many matching not allowed');
  });

  it('accepts an index of groups by name', () => {
    const index = new Map(loaded(expected).map(g => [g.name, [g]]));
    index.delete(sloGroup);
    expect(brief(diffRules({ service: 'checkout-api', expected, observed: index }))).toEqual(['rules/missing/critical/']);
  });
});
