import { DriftFinding, DriftReport, summarizeDrift } from '@nthlayer/backstage-plugin-common';
import { driftFingerprint } from './DriftStore';

const trend = (actual: string, severity: DriftFinding['severity'] = 'critical'): DriftFinding => ({
  target: 'budget-trend',
  severity,
  kind: 'trend',
  object: 'availability',
  field: 'remaining budget per week',
  expected: '≥ -0.2 %/week (tier 1)',
  actual,
  message: `falls by ${actual}`,
});
const report = (findings: DriftFinding[], checkedAt = '2026-12-02T10:00:00Z'): DriftReport => ({
  entityRef: 'component:default/a',
  checkedAt,
  targets: [{ target: 'rules', state: 'checked', instance: 'default' }],
  findings,
  summary: summarizeDrift(findings),
});

describe('driftFingerprint', () => {
  it('ignores the time of the check and the order of findings', () => {
    const a: DriftFinding = { target: 'rules', severity: 'critical', kind: 'missing', object: 'g1', message: 'm' };
    const b: DriftFinding = { target: 'rules', severity: 'warning', kind: 'extra', object: 'g2', message: 'm' };
    expect(driftFingerprint(report([a, b]))).toBe(driftFingerprint(report([b, a], '2026-12-02T11:00:00Z')));
    expect(driftFingerprint(report([a]))).not.toBe(driftFingerprint(report([a, b])));
  });

  it('does not count a trend slope moving with new history as a change, but a change of its severity', () => {
    expect(driftFingerprint(report([trend('-48.13 %/week')]))).toBe(driftFingerprint(report([trend('-48.23 %/week')])));
    expect(driftFingerprint(report([trend('-0.3 %/week', 'warning')]))).not.toBe(driftFingerprint(report([trend('-0.6 %/week')])));
  });

  it('counts a changed threshold or a target becoming unreachable as a change', () => {
    const threshold = (actual: string): DriftFinding => ({
      target: 'slo-threshold', severity: 'critical', kind: 'changed', object: 'x', field: 'threshold', expected: '99.9%', actual, message: 'm',
    });
    expect(driftFingerprint(report([threshold('99.8%')]))).not.toBe(driftFingerprint(report([threshold('99.7%')])));
    const down = { ...report([]), targets: [{ target: 'rules' as const, state: 'unreachable' as const, instance: 'default', detail: 'ECONNREFUSED' }] };
    expect(driftFingerprint(down)).not.toBe(driftFingerprint(report([])));
  });
});
