import { BURN_RATE_WINDOWS } from './burn';
import { parsePrometheusDuration } from './time';
import { parseSloWindow } from './window';

// The three parsers parsePrometheusDuration replaced, frozen as they were, to prove the
// cases where they agreed still read the same and to pin down where they disagreed.
const legacy = {
  /** generators' lint/promqlSyntax.ts durationMs. */
  lint(text: string): number | undefined {
    const UNIT_MS: Record<string, number> = {
      y: 31_536_000_000,
      w: 604_800_000,
      d: 86_400_000,
      h: 3_600_000,
      m: 60_000,
      s: 1000,
      ms: 1,
    };
    const trimmed = text.trim();
    if (/^[0-9]+(\.[0-9]+)?$/.test(trimmed)) return Number(trimmed) * 1000;
    const parts = [...trimmed.matchAll(/([0-9]+)(ms|y|w|d|h|m|s)/g)];
    if (!parts.length || parts.map(p => p[0]).join('') !== trimmed) return undefined;
    return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
  },
  /** backend's BudgetEngine.ts rangeSeconds, in ms. */
  budget(text: string): number | undefined {
    const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    const m = /^(\d+)([smhdw])$/.exec(text);
    return m ? Number(m[1]) * UNIT_SECONDS[m[2]] * 1000 : undefined;
  },
  /** common's window.ts parseSloWindow, in ms (range check left out). */
  window(text: string): number | undefined {
    const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };
    const match = /^([1-9][0-9]*)([mhdw])$/.exec(text.trim());
    return match ? Number(match[1]) * UNIT_MINUTES[match[2]] * 60_000 : undefined;
  },
};

const lenient = (text: string) => parsePrometheusDuration(text, { numberAsSeconds: true });

describe('parsePrometheusDuration', () => {
  // Every string all three old parsers accepted: all the burn-rate windows, SLO windows and
  // the `<n>s` ranges of calendar windows.
  const AGREED: Array<[string, number]> = [
    ...BURN_RATE_WINDOWS.map((w): [string, number] => [w, legacy.budget(w)!]),
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['28d', 2_419_200_000],
    ['30d', 2_592_000_000],
    ['90d', 7_776_000_000],
    ['1w', 604_800_000],
    ['4w', 2_419_200_000],
    ['90m', 5_400_000],
  ];
  it.each(AGREED)('reads %s like all three old parsers did', (text, ms) => {
    expect(parsePrometheusDuration(text)).toBe(ms);
    expect(lenient(text)).toBe(ms);
    expect([legacy.lint(text), legacy.budget(text), legacy.window(text)]).toEqual([ms, ms, ms]);
  });

  // Accepted by the lint parser and the budget engine's (not SLO windows, which have no
  // seconds): the ranges of calendar windows so far.
  it.each([
    ['1234567s', 1_234_567_000],
    ['30s', 30_000],
    ['0s', 0],
  ])('reads %s like the lint and budget parsers did', (text, ms) => {
    expect(parsePrometheusDuration(text)).toBe(ms);
    expect(legacy.lint(text)).toBe(ms);
    expect(legacy.budget(text)).toBe(ms);
  });

  // Only the lint parser accepted these, and the new one reads them the same.
  it.each([
    ['1h30m', 5_400_000],
    ['1m500ms', 60_500],
    ['500ms', 500],
    ['1y', 31_536_000_000],
    ['2w3d', 1_468_800_000],
    ['1y2w3d4h5m6s7ms', 31_536_000_000 + 2 * 604_800_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6000 + 7],
    ['05m', 300_000],
    [' 5m ', 300_000],
    ['0', 0],
  ])('reads %j as the lint parser did: %d ms', (text, ms) => {
    expect(parsePrometheusDuration(text)).toBe(ms);
    expect(legacy.lint(text)).toBe(ms);
  });

  // Where they disagreed, with the decision.
  it.each([
    // Prometheus' model.ParseDuration wants units largest first, each once: the lint parser
    // summed these, promtool and Prometheus reject them. Decision: follow Prometheus.
    ['30m1h', 5_400_000],
    ['1h1h', 7_200_000],
    ['5s1m', 65_000],
    ['1ms1s', 1001],
  ])('rejects %j, which the lint parser read as %d ms (Prometheus rejects it)', (text, oldMs) => {
    expect(legacy.lint(text)).toBe(oldMs);
    expect(parsePrometheusDuration(text)).toBeUndefined();
    expect(lenient(text)).toBeUndefined();
  });

  it('reads plain numbers as seconds only when asked, as the lint parser did', () => {
    // Decision: `durationMs` (PromQL) and config lookbacks keep numberAsSeconds; a rule's
    // `for:` does not, since Prometheus' rule loader rejects `for: 300`.
    for (const [text, ms] of [['90', 90_000], ['1.5', 1500], ['00', 0]] as const) {
      expect(legacy.lint(text)).toBe(ms);
      expect(lenient(text)).toBe(ms);
      expect(parsePrometheusDuration(text)).toBeUndefined();
    }
    expect(parsePrometheusDuration('0')).toBe(0);
  });

  it.each(['', ' ', '5', '1.5h', '5M', '1Q', '-5m', '5 m', '5mm', 'm', '1d 2h', 'PT1H', '1e3s'])(
    'rejects %j',
    text => {
      expect(parsePrometheusDuration(text)).toBeUndefined();
      expect(legacy.budget(text)).toBeUndefined();
    },
  );

  it('rejects a duration past 2^53 ms instead of rounding it', () => {
    expect(parsePrometheusDuration('99999999999999999999d')).toBeUndefined();
    expect(parsePrometheusDuration('104249991374w')).toBeUndefined();
    expect(parsePrometheusDuration('14892855w')).toBe(14_892_855 * 604_800_000);
    expect(parsePrometheusDuration('14892856w')).toBeUndefined();
  });

  it('ignores surrounding whitespace, which the budget engine did not', () => {
    // Decision: surrounding whitespace is ignored everywhere, as the lint and window parsers
    // did; the budget engine only ever sees ranges NthLayer formats itself.
    expect(legacy.budget(' 5m')).toBeUndefined();
    expect(parsePrometheusDuration(' 5m')).toBe(300_000);
  });
});

describe('parseSloWindow on top of parsePrometheusDuration', () => {
  it.each(['1h', '60m', '7d', '28d', '30d', '4w', '90d', ' 30d '])('reads %j as before', text => {
    expect(parseSloWindow(text)).toEqual({ text: text.trim(), minutes: legacy.window(text)! / 60_000 });
  });

  // Narrower than a Prometheus duration on purpose (one unit of m h d w, no leading zero,
  // 1h to 90d): unchanged.
  it.each(['59m', '91d', '13w', '1d12h', '3600s', '030d', '0d', '1y', '30', '99999999999999999999d'])(
    'still rejects %j',
    text => {
      expect(parseSloWindow(text)).toBeUndefined();
    },
  );
});
