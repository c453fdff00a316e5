import { DriftFinding } from '@nthlayer/backstage-plugin-common';
import {
  driftSections,
  severityCount,
  sortFindings,
  splitDifference,
  summaryText,
  unreachableTargets,
} from './format';
import {
  dashboardFinding,
  forFinding,
  missingGroupFinding,
  report,
  rulesUnreachable,
  thresholdFinding,
  trendFinding,
} from './testData';

describe('drift card format', () => {
  it('puts SLO thresholds after the rules with their status, in the report order', () => {
    const sections = driftSections(report([trendFinding, thresholdFinding]));
    expect(sections.map(s => [s.target, s.title, s.status?.state])).toEqual([
      ['rules', 'Prometheus rules', 'checked'],
      ['slo-threshold', 'SLO thresholds', 'checked'],
      ['dashboard', 'Grafana dashboard', 'not-configured'],
      ['pagerduty', 'PagerDuty', 'not-configured'],
      ['budget-trend', 'Budget trend', 'checked'],
    ]);
    expect(sections[1].findings).toEqual([thresholdFinding]);
    expect(sections[4].findings).toEqual([trendFinding]);
  });

  it('keeps findings of a target the report has no status for', () => {
    const sections = driftSections(report([dashboardFinding], []));
    expect(sections.map(s => [s.target, s.status])).toEqual([
      ['dashboard', undefined],
    ]);
  });

  it('sorts critical first and otherwise keeps the order', () => {
    const info: DriftFinding = { ...forFinding, severity: 'info', object: 'i' };
    const second = { ...forFinding, object: 'w2' };
    expect(
      sortFindings([info, forFinding, missingGroupFinding, second]),
    ).toEqual([missingGroupFinding, forFinding, second, info]);
  });

  it('names the targets that could not be read', () => {
    expect(unreachableTargets(report([], [rulesUnreachable]))).toEqual([
      'Prometheus rules',
    ]);
  });

  it('counts severities in words', () => {
    expect(severityCount('warning', 1)).toBe('1 warning');
    expect(severityCount('warning', 2)).toBe('2 warnings');
    expect(summaryText({ critical: 2, warning: 0, info: 1 })).toBe(
      '2 critical · 0 warnings · 1 info',
    );
  });

  it('splits two texts around where they differ, giving each back exactly', () => {
    const parts = splitDifference('2m', '5m');
    expect(parts).toEqual({
      prefix: '',
      expected: '2',
      actual: '5',
      suffix: 'm',
    });
    const same = splitDifference('abc', 'abc');
    expect(same).toEqual({
      prefix: 'abc',
      expected: '',
      actual: '',
      suffix: '',
    });
    // A repeated character is not counted twice in prefix and suffix.
    const grown = splitDifference('aa', 'aaa');
    expect(grown.prefix + grown.expected + grown.suffix).toBe('aa');
    expect(grown.prefix + grown.actual + grown.suffix).toBe('aaa');
    expect(grown.actual).toBe('a');
  });
});
