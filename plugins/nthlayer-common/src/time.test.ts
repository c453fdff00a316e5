import { Duration } from 'luxon';
import { durationLikeMs, parseApiTime, schedulePeriodMs } from './time';

describe('parseApiTime', () => {
  it.each([
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ['2026-11-30T10:00:00Z', '2026-11-30T10:00:00.000Z'],
    ['2026-11-30T10:00', '2026-11-30T10:00:00.000Z'],
    ['2026-11-30T11:00:00.250+01:00', '2026-11-30T10:00:00.250Z'],
    ['2026-11-30T11:00+0100', '2026-11-30T10:00:00.000Z'],
    ['1795996800', '2026-11-30T00:00:00.000Z'],
    ['1795996800.5', '2026-11-30T00:00:00.500Z'],
  ])('reads %s', (value, iso) => {
    expect(parseApiTime(value)?.toISOString()).toBe(iso);
  });

  it.each([
    'hello 2026-11-30',
    '2026-11-30 10:00',
    'Nov 30 2026',
    '2026-02-30',
    '2026-11-30T24:00',
    '2026-W48',
    '10:00',
    '1e9',
    '-5',
    '',
  ])('rejects %j', value => {
    expect(parseApiTime(value)).toBeUndefined();
  });
});

describe('schedulePeriodMs', () => {
  it('reads HumanDurations and luxon Durations, not cron or manual triggers', () => {
    expect(schedulePeriodMs({ minutes: 5 })).toBe(300_000);
    expect(schedulePeriodMs(Duration.fromObject({ hours: 1 }))).toBe(3_600_000);
    expect(schedulePeriodMs({ cron: '*/5 * * * *' })).toBeUndefined();
    expect(schedulePeriodMs({ trigger: 'manual' })).toBeUndefined();
    expect(durationLikeMs({ seconds: 90 })).toBe(90_000);
  });
});
