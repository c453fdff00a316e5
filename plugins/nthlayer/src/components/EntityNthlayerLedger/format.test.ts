import {
  burnSlices,
  confidenceFactorLines,
  consumptionText,
  deploymentIdOf,
  episodeTitle,
  episodeWhen,
  formatBurnRate,
  formatConfidence,
  formatMinutes,
  formatRatio,
  formatWindowMinutes,
  sliceText,
  sloHeading,
  totalBurned,
} from './format';
import {
  availabilityLedger,
  candidate,
  deployEpisode,
  unattributedEpisode,
} from './testData';

describe('ledger format', () => {
  it('writes minutes with one decimal and a dash for nothing known', () => {
    expect(formatMinutes(28)).toBe('28.0 min');
    expect(formatMinutes(2.44)).toBe('2.4 min');
    expect(formatMinutes(0)).toBe('0.0 min');
    expect(formatMinutes(null)).toBe('—');
    expect(formatMinutes(Number.NaN)).toBe('—');
  });

  it('writes a confidence as score and level, a dash without one', () => {
    expect(formatConfidence({ score: 0.9, level: 'high' })).toBe('0.90 high');
    expect(formatConfidence({ score: 0.5, level: 'medium' })).toBe(
      '0.50 medium',
    );
    expect(formatConfidence(null)).toBe('—');
  });

  it('writes burn rates, ratios and windows', () => {
    expect(formatBurnRate(14.4)).toBe('14.4×');
    expect(formatRatio(0.05)).toBe('5.0 %');
    expect(formatRatio(null)).toBe('—');
    expect(formatWindowMinutes(43_200)).toBe('30d');
    expect(formatWindowMinutes(720)).toBe('12h');
    expect(formatWindowMinutes(90)).toBe('90 min');
    expect(sloHeading('availability')).toBe('Availability');
  });

  it('gives the slices of the bar in order, the baseline last and unknown when null', () => {
    const slo = availabilityLedger();
    expect(burnSlices(slo.burned).map(sliceText)).toEqual([
      'deployments 28.0 min',
      'incidents 0.0 min',
      'dependencies 2.4 min',
      'unattributed 1.6 min',
      'baseline 2.6 min',
    ]);
    expect(totalBurned(slo.burned)).toBeCloseTo(34.6);
    const slice = { ...slo.burned, baseline: null };
    expect(sliceText(burnSlices(slice)[4])).toBe('baseline —');
    expect(totalBurned(slice)).toBeCloseTo(32);
  });

  it('says what an SLO consumed of its budget', () => {
    expect(consumptionText(availabilityLedger())).toBe(
      'consumed 34.6 of 43.2 min (80.1 %)',
    );
    expect(consumptionText(availabilityLedger({ consumedMinutes: null }))).toBe(
      'consumption unknown (budget 43.2 min)',
    );
  });

  it('finds the deployment of a deploy cause only', () => {
    expect(deploymentIdOf(deployEpisode.cause)).toBe(7);
    expect(deploymentIdOf(unattributedEpisode.cause)).toBeUndefined();
    expect(deploymentIdOf({ key: 'incident:PABC123' })).toBeUndefined();
    expect(deploymentIdOf({ key: 'deployment:x' })).toBeUndefined();
  });

  it('writes when an episode burned, or that it goes on', () => {
    expect(episodeWhen(deployEpisode, 'UTC')).toBe(
      '28 Jan 2026, 10:10 → 28 Jan 2026, 11:40',
    );
    expect(episodeWhen({ ...deployEpisode, ongoing: true }, 'UTC')).toBe(
      '28 Jan 2026, 10:10 → ongoing',
    );
    expect(episodeTitle(deployEpisode, 'UTC')).toBe(
      'deploy v4.18.0 (deployments) · 28.0 min burned · peak 14.4× · 28 Jan 2026, 10:10 → 28 Jan 2026, 11:40',
    );
  });

  it('gives every confidence factor with the numbers behind it', () => {
    expect(confidenceFactorLines(candidate.confidence)).toEqual([
      {
        factor: 'proximity',
        score: '0.48',
        detail: "0.20 h from the deploy's start to the burn's start",
      },
      {
        factor: 'dependency',
        score: '0.30',
        detail: 'a deploy of the service itself (depth 0)',
      },
      {
        factor: 'history',
        score: '0.10',
        detail:
          '2 of 4 earlier deploys followed by a burn or incident within 5 h',
      },
    ]);
    const lines = confidenceFactorLines({
      ...candidate.confidence,
      factors: {
        proximity: { score: 0.3, hours: 2 },
        dependency: { score: 0.15, relation: 'dependency', depth: 2 },
        history: { score: 0, earlier: 0, followed: 0 },
      },
    });
    expect(lines.map(l => l.detail)).toEqual([
      "2.00 h from the deploy's start to the burn's start",
      'a deploy of a dependency at depth 2',
      'no earlier deploy of that service',
    ]);
  });
});
