import { parseCalendarWindow, resolveWindow } from './calendar';
import { parseNthlayerService } from './serviceModel';
import { batchedSliQueries } from './promql';
import { parseSloWindow } from './window';

const at = (iso: string) => new Date(iso);

describe('calendar windows', () => {
  it('parses 1M, 1Q, 1W with a valid time zone only', () => {
    expect(parseCalendarWindow('1M', 'Europe/Berlin')).toMatchObject({
      text: '1M',
      calendar: { unit: 'month', timeZone: 'Europe/Berlin' },
    });
    expect(parseCalendarWindow('1Q', 'UTC')!.calendar!.unit).toBe('quarter');
    expect(parseCalendarWindow('1W', 'UTC')!.calendar!.unit).toBe('week');
    expect(parseCalendarWindow('2M', 'UTC')).toBeUndefined();
    expect(parseCalendarWindow('1M', 'Mars/Olympus')).toBeUndefined();
  });

  it('a month ending in another time zone belongs to that zone', () => {
    // 2026-03-01 00:30 UTC is still 28 Feb 19:30 in New York (EST, UTC−5): February.
    // Period: 1 Feb 00:00 EST (05:00 UTC) → 1 Mar 00:00 EST; 28 days = 40,320 min.
    // Elapsed: from 1 Feb 05:00 UTC to 1 Mar 00:30 UTC = 28 d − 4.5 h = 2,403,000 s.
    const w = resolveWindow(parseCalendarWindow('1M', 'America/New_York')!, at('2026-03-01T00:30:00Z'));
    expect(w.start.toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(w.periodMinutes).toBe(40320);
    expect(w.elapsedSeconds).toBe(2403000);
    expect(w.range).toBe('2403000s');
  });

  it('the same instant is already April in Berlin', () => {
    // 2026-03-31 22:30 UTC = 1 Apr 00:30 CEST (UTC+2): 30 minutes into April (30 days).
    const w = resolveWindow(parseCalendarWindow('1M', 'Europe/Berlin')!, at('2026-03-31T22:30:00Z'));
    expect(w.start.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(w.elapsedSeconds).toBe(1800);
    expect(w.periodMinutes).toBe(30 * 1440);
  });

  it('a month with a DST change has an hour less (or more) of budget', () => {
    // March 2026 in Berlin loses an hour on the 29th: 31 × 1,440 − 60 = 44,580 min.
    const march = resolveWindow(parseCalendarWindow('1M', 'Europe/Berlin')!, at('2026-03-15T12:00:00Z'));
    expect(march.periodMinutes).toBe(44580);
    // October 2026 gains it back: 31 × 1,440 + 60 = 44,700 min.
    const october = resolveWindow(parseCalendarWindow('1M', 'Europe/Berlin')!, at('2026-10-15T12:00:00Z'));
    expect(october.periodMinutes).toBe(44700);
  });

  it('quarters and ISO weeks', () => {
    // Q2 2026 in UTC: 1 Apr → 1 Jul = 30 + 31 + 30 = 91 days.
    const q = resolveWindow(parseCalendarWindow('1Q', 'UTC')!, at('2026-05-15T00:00:00Z'));
    expect(q.start.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(q.periodMinutes).toBe(91 * 1440);
    // Wednesday 2026-11-25 12:00 UTC: the week began Monday 23 Nov 00:00 → 2.5 days in.
    const wk = resolveWindow(parseCalendarWindow('1W', 'UTC')!, at('2026-11-25T12:00:00Z'));
    expect(wk.start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(wk.elapsedSeconds).toBe(2.5 * 86400);
  });

  it('rolling windows end at the evaluation time', () => {
    const w = resolveWindow(parseSloWindow('30d')!, at('2026-11-23T00:00:00Z'));
    expect(w).toMatchObject({ periodMinutes: 43200, elapsedSeconds: 2592000, range: '30d' });
    expect(w.start.toISOString()).toBe('2026-10-24T00:00:00.000Z');
  });

  it('services read calendar windows in their time zone, and query from the period start', () => {
    const { service, findings } = parseNthlayerService({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing',
        annotations: {
          'nthlayer.dev/tier': '1',
          'nthlayer.dev/slo-window': '1M',
          'nthlayer.dev/timezone': 'Asia/Tokyo',
        },
      },
    });
    expect(findings).toEqual([]);
    const slo = service!.slos[0];
    expect(slo.window.calendar).toEqual({ unit: 'month', timeZone: 'Asia/Tokyo' });
    const range = resolveWindow(slo.window, at('2026-11-01T00:00:00Z')).range; // 09:00 JST
    expect(range).toBe('32400s');
    expect(batchedSliQueries(service!, slo, range).total).toBe(
      'sum by (service) (increase(http_requests_total{service!=""}[32400s]))',
    );
  });

  it('a bad time zone is a finding, and UTC applies', () => {
    const { service, findings } = parseNthlayerService({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing',
        annotations: { 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-window': '1M', 'nthlayer.dev/timezone': 'Berlin' },
      },
    });
    expect(findings).toEqual([expect.objectContaining({ annotation: 'nthlayer.dev/timezone', value: 'Berlin' })]);
    expect(service!.slos[0].window.calendar!.timeZone).toBe('UTC');
  });

  it('an unknown Prometheus instance is a finding; the default applies', () => {
    const { service, findings } = parseNthlayerService(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x', annotations: { 'nthlayer.dev/tier': '1', 'nthlayer.dev/prometheus-instance': 'http://evil:9090' } },
      },
      { prometheusInstances: ['main', 'eu-mimir'] },
    );
    expect(service!.prometheusInstance).toBe('main');
    expect(findings[0]).toMatchObject({ annotation: 'nthlayer.dev/prometheus-instance', value: 'http://evil:9090' });
    expect(findings[0].accepted).toContain('main, eu-mimir');
  });
});
