import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateGate } from '@nthlayer/backstage-plugin-common';
import { parsePolicies } from './policy';

const VALID = `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata:
  name: tier1-budget
spec:
  selector:
    tiers: [1]
  timeZone: Europe/Berlin
  rules:
    - name: block-below-15
      condition: budget.remaining < 0.15
      action: block
      message: tier-1 budget below 15 %
      exceptions: [hotfix, rollback]
  freezeWindows:
    - name: year-end
      start: 2026-12-20T00:00
      end: 2027-01-04T00:00
---
apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata:
  name: dependency-health
spec:
  rules:
    - name: dependency-below-25
      condition: |
        !dependencies.all(d, d.remaining >= 0.25)
      action: warn
`;

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string) {
  const offset = text.indexOf(needle);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('parsePolicies', () => {
  it('loads every document with its rules, freeze windows, zone and a content hash', () => {
    const { policies, errors } = parsePolicies('file:policies.yaml', VALID);
    expect(errors).toEqual([]);
    expect(policies.map(p => p.name)).toEqual(['tier1-budget', 'dependency-health']);
    const [tier1, deps] = policies;
    expect(tier1.selector).toEqual({ tiers: [1] });
    expect(tier1.timeZone).toBe('Europe/Berlin');
    expect(tier1.freezeWindows[0]).toMatchObject({ name: 'year-end', timeZone: 'Europe/Berlin', exceptions: [] });
    expect(tier1.rules[0]).toMatchObject({ action: 'block', exceptions: ['hotfix', 'rollback'], condition: 'budget.remaining < 0.15' });
    expect(tier1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tier1.hash).not.toBe(deps.hash);
    expect(deps.selector).toEqual({});
    // The same text gives the same hash; a change anywhere in the document changes it.
    expect(parsePolicies('x', VALID).policies[0].hash).toBe(tier1.hash);
    expect(parsePolicies('x', VALID.replace('0.15', '0.16')).policies[0].hash).not.toBe(tier1.hash);
  });

  it('gives loaded policies to the gate as they are', () => {
    const { policies } = parsePolicies('x', VALID);
    const decision = evaluateGate(policies, {
      service: { entityRef: 'component:default/a', name: 'a', tier: 1, type: 'api' },
      slos: { availability: 0.12 },
      burn: {},
      dependencies: [{ ref: 'component:default/db', name: 'db', tier: 1, remaining: 0.2 }],
      deploy: { version: 'v1', labels: [] },
      budgetsAsOf: '2026-12-01T00:00:00Z',
      stale: false,
      now: new Date('2026-12-01T12:00:00Z'),
    });
    expect(decision.verdict).toBe('block');
    expect(decision.rules.filter(r => r.result === 'true').map(r => r.rule)).toEqual(['block-below-15', 'dependency-below-25']);
  });

  it('rejects a CEL error with the line and column of the offending token in the file', () => {
    const text = VALID.replace('budget.remaining < 0.15', 'budget.remaning < 0.15');
    const { policies, errors } = parsePolicies('file:p.yaml', text);
    expect(policies.map(p => p.name)).toEqual(['dependency-health']);
    const at = position(text, 'remaning');
    expect(errors).toEqual([{ source: 'file:p.yaml', ...at, policy: 'tier1-budget', reason: expect.stringMatching(/rule block-below-15: .*remaning/) }]);
  });

  it('finds the column inside quoted and block scalars', () => {
    const quoted = VALID.replace('condition: budget.remaining < 0.15', 'condition: "budget.remaining < nope"');
    expect(parsePolicies('q', quoted).errors[0]).toMatchObject(position(quoted, 'nope'));
    const block = VALID.replace('!dependencies.all(d, d.remaining >= 0.25)', '!dependencies.all(d, d.remaining >= 0.25)\n        && time.hours > 3');
    expect(parsePolicies('b', block).errors[0]).toMatchObject({ ...position(block, 'hours'), policy: 'dependency-health' });
  });

  it('rejects unknown variables, schema errors and bad freeze windows where they are', () => {
    // Drift and incident counts are part of the environment (typed int), an invented variable is not.
    expect(parsePolicies('d', VALID.replace('budget.remaining < 0.15', 'drift.critical > 0 || incidents.open > 0')).errors).toEqual([]);
    const unknownVar = VALID.replace('budget.remaining < 0.15', 'weather.rain > 0');
    expect(parsePolicies('u', unknownVar).errors[0]).toMatchObject({ ...position(unknownVar, 'weather'), reason: expect.stringMatching(/Unknown variable: weather/) });
    const badAction = VALID.replace('action: block', 'action: explode');
    expect(parsePolicies('a', badAction).errors[0]).toMatchObject({ ...position(badAction, 'explode'), reason: expect.stringMatching(/^spec\.rules\.0\.action: /) });
    const badZone = VALID.replace('timeZone: Europe/Berlin', 'timeZone: Mars/Olympus');
    expect(parsePolicies('z', badZone).errors[0]).toMatchObject({ ...position(badZone, 'Mars/Olympus'), reason: expect.stringMatching(/IANA/) });
    const backwards = VALID.replace('end: 2027-01-04T00:00', 'end: 2026-12-01T00:00');
    expect(parsePolicies('w', backwards).errors[0]).toMatchObject({ ...position(backwards, '2026-12-01T00:00'), reason: expect.stringMatching(/end must be after start/) });
    const extra = VALID.replace('      action: warn', '      action: warn\n      severity: high');
    expect(parsePolicies('e', extra).errors[0].reason).toMatch(/severity/);
  });

  it('reports YAML syntax errors with a position and loads nothing from that document', () => {
    const broken = VALID.replace('tiers: [1]', 'tiers: [1');
    const { policies, errors } = parsePolicies('s', broken);
    expect(policies.map(p => p.name)).not.toContain('tier1-budget');
    expect(errors[0].line).toBeGreaterThan(0);
    const dupKeys = VALID.replace('  timeZone: Europe/Berlin', '  timeZone: Europe/Berlin\n  timeZone: UTC');
    expect(parsePolicies('d', dupKeys).errors[0].reason).toMatch(/unique|duplicate/i);
  });

  it('rejects two policies of the same name and oversized sources', () => {
    const twice = `${VALID}---\n${VALID.split('---\n')[1]}`;
    const { policies, errors } = parsePolicies('t', twice);
    expect(policies.map(p => p.name)).toEqual(['tier1-budget']);
    expect(errors[0].reason).toMatch(/two policies are named dependency-health/);
    const huge = `# ${'x'.repeat(300 * 1024)}\n${VALID}`;
    expect(parsePolicies('h', huge)).toEqual({ policies: [], errors: [{ source: 'h', line: 0, column: 0, reason: expect.stringMatching(/larger than/) }] });
  });
});

describe('the policies shipped with the demo', () => {
  const text = readFileSync(resolve(__dirname, '../../../../policies/demo-policies.yaml'), 'utf8');

  it('load without errors', () => {
    const { policies, errors } = parsePolicies('policies/demo-policies.yaml', text);
    expect(errors).toEqual([]);
    expect(policies.map(p => p.name)).toEqual(['tier1-budget-and-burn', 'dependency-health', 'business-hours']);
  });

  it('block a tier-1 service below 15 %, skip unknown dependency budgets, and keep business hours off tier 1', () => {
    const { policies } = parsePolicies('demo', text);
    const base = {
      service: { entityRef: 'component:default/payment-api', name: 'payment-api', tier: 1, type: 'api' },
      burn: { '1h': 2 },
      deploy: { version: 'v1', labels: [] as string[] },
      budgetsAsOf: '2026-12-01T00:00:00Z',
      stale: false,
      // A Sunday night in Berlin: the business-hours policy would warn if it applied.
      now: new Date('2026-11-29T23:00:00Z'),
    };
    const exhausted = evaluateGate(policies, { ...base, slos: { availability: -0.5 }, dependencies: [] });
    expect(exhausted.verdict).toBe('block');
    expect(exhausted.rules.find(r => r.rule === 'budget-below-15')?.result).toBe('true');
    const healthy = evaluateGate(policies, {
      ...base,
      slos: { availability: 0.8 },
      dependencies: [{ ref: 'resource:default/orders-db', name: 'orders-db', tier: null, remaining: null }],
    });
    expect(healthy.verdict).toBe('allow');
    const weakDependency = evaluateGate(policies, {
      ...base,
      slos: { availability: 0.8 },
      dependencies: [{ ref: 'component:default/payment-api', name: 'payment-api', tier: 1, remaining: 0.1 }],
    });
    expect(weakDependency.verdict).toBe('warn');
    const fastBurn = evaluateGate(policies, { ...base, burn: { '1h': 20 }, slos: { availability: 0.8 }, dependencies: [] });
    expect(fastBurn.verdict).toBe('block');
    const rollback = evaluateGate(policies, { ...base, burn: { '1h': 20 }, deploy: { version: 'v0', labels: ['rollback'] }, slos: { availability: 0.8 }, dependencies: [] });
    expect(rollback.verdict).toBe('allow');
  });
});
