import {
  checkOverrideForm,
  formatPrincipal,
  formatTime,
  flattenValues,
  formatValue,
  resultLabel,
  sortRules,
} from './format';
import { blockRule, burnRule, warnRule } from './testData';

describe('gate card formatting', () => {
  it('flattens nested values to dotted paths and lists dependencies by name, budget and tier', () => {
    expect(
      flattenValues({
        budget: { remaining: 0.151 },
        burn: { '1h': 0.193, '3d': 14.4 },
        dependencies: [
          { ref: 'component:default/auth-api', name: 'auth-api', tier: 1, remaining: 0.799 },
          { ref: 'resource:default/orders-db', name: 'orders-db', tier: null },
        ],
        'deploy.labels': [],
      }),
    ).toEqual([
      ['budget.remaining', '15.1 %'],
      ['burn.1h', '0.193'],
      ['burn.3d', '14.4'],
      ['dependencies', 'auth-api 79.9 % (tier 1), orders-db unknown'],
      ['deploy.labels', '[]'],
    ]);
  });

  it('formats ratios as percentages and other numbers as numbers', () => {
    expect(formatValue('budget.remaining', 0.042)).toBe('4.2 %');
    expect(formatValue('slos.availability.remaining', -0.3)).toBe('-30.0 %');
    expect(
      formatValue('dependencies', [{ name: 'db', remaining: 0.5, tier: 1 }]),
    ).toBe('[{name: db, remaining: 50.0 %, tier: 1}]');
    expect(formatValue('burn.1h', 14.40004)).toBe('14.4');
    expect(formatValue('time.hour', 9)).toBe('9');
    expect(formatValue('budget.remaining', null)).toBe('unknown');
    expect(formatValue('budget', {})).toBe('unknown');
    expect(formatValue('deploy.labels', ['hotfix'])).toBe('[hotfix]');
    expect(formatValue('now', '2026-03-01T10:00:00Z')).toBe(
      '2026-03-01T10:00:00Z',
    );
  });

  it('puts block rules first, then warn, keeping the order otherwise', () => {
    const other = { ...burnRule, rule: 'other' };
    expect(
      sortRules([burnRule, warnRule, other, blockRule]).map(r => r.rule),
    ).toEqual(['block-below', 'warn-below', 'fast-burn', 'other']);
    expect(resultLabel('true')).toBe('fired');
    expect(resultLabel('exempt')).toBe('exempt');
  });

  it('shortens users of the default namespace only', () => {
    expect(formatPrincipal('user:default/jane')).toBe('jane');
    expect(formatPrincipal('user:ops/jane')).toBe('user:ops/jane');
    expect(formatPrincipal('service:github-actions')).toBe(
      'service:github-actions',
    );
    expect(formatPrincipal('jane')).toBe('jane');
  });

  it('formats times in the given zone', () => {
    expect(formatTime('2026-03-01T14:05:00Z', 'UTC')).toBe('1 Mar 2026, 14:05');
    expect(formatTime(null)).toBe('never');
    expect(formatTime('soon')).toBe('soon');
  });

  it('checks the override form and computes the expiry', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(
      checkOverrideForm(
        { reason: '  short  ', expiry: '1', customAt: '' },
        now,
      ),
    ).toEqual({
      problems: {
        reason: expect.stringContaining('at least 10 characters (5 so far)'),
      },
      expiresAt: '2026-03-01T11:00:00.000Z',
    });
    expect(
      checkOverrideForm(
        { reason: 'hotfix for outage', expiry: '24', customAt: '' },
        now,
      ),
    ).toEqual({ problems: {}, expiresAt: '2026-03-02T10:00:00.000Z' });
    expect(
      checkOverrideForm(
        { reason: 'hotfix for outage', expiry: 'custom', customAt: '' },
        now,
      ).problems.expiresAt,
    ).toBe('Pick the date and time the override ends.');
    expect(
      checkOverrideForm(
        {
          reason: 'hotfix for outage',
          expiry: 'custom',
          customAt: '2026-03-01T10:00:00Z',
        },
        now,
      ),
    ).toEqual({
      problems: { expiresAt: 'The override must end in the future.' },
      expiresAt: undefined,
    });
  });
});
