import { incidentDuration, incidentLabel } from './format';

describe('incidents card format', () => {
  it('labels an incident by number and title, else by id', () => {
    expect(incidentLabel({ id: 'Q1', number: '12', title: 'Down' })).toBe(
      '#12 Down',
    );
    expect(incidentLabel({ id: 'Q1', number: '12', title: null })).toBe('#12');
    expect(incidentLabel({ id: 'Q1', number: null, title: 'Down' })).toBe(
      'Down',
    );
    expect(incidentLabel({ id: 'Q1', number: null, title: null })).toBe('Q1');
  });

  it('says how long an incident lasted, or has been open', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(
      incidentDuration(
        {
          createdAt: '2026-12-02T09:00:00Z',
          resolvedAt: '2026-12-02T09:45:00Z',
        },
        now,
      ),
    ).toBe('after 45 min');
    expect(
      incidentDuration(
        { createdAt: '2026-12-02T09:00:00Z', resolvedAt: null },
        now,
      ),
    ).toBe('open for 3.0 h');
    expect(
      incidentDuration(
        { createdAt: '2026-11-28T12:00:00Z', resolvedAt: null },
        now,
      ),
    ).toBe('open for 4.0 days');
    expect(
      incidentDuration({ createdAt: 'garbage', resolvedAt: null }, now),
    ).toBe('');
  });
});
