import { computeErrorBudget } from '../budget';
import {
  BurnBucket,
  LedgerDeployment,
  LedgerIncident,
  attributeEpisodes,
  bucketWindowTotals,
  bucketsDecidingEpisodes,
  confidenceLevel,
  deployConfidence,
  deploymentImpacts,
  detectBurnEpisodes,
  impactTimeline,
  ledgerSlo,
  ledgerTopCauses,
  ledgerUnattributedRatio,
  weighEpisodes,
} from '.';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
/** Buckets k = 1..n ending at T0 + 5k min, 1,000 events each, `bad[k-1]` of them bad. */
const series = (bad: Array<number | null>): BurnBucket[] =>
  bad.flatMap((b, i) => (b === null ? [] : [{ end: T0 + 5 * (i + 1) * MIN, good: 1000 - b, total: 1000 }]));

// At 99.9 % a bucket's burn rate is (bad / 1000) / 0.001 = its bad count.
const opts = { sloName: 'availability', targetPercent: 99.9 };

describe('detectBurnEpisodes', () => {
  it('finds the runs of buckets burning faster than 1 (strictly), with their events and peak', () => {
    const episodes = detectBurnEpisodes(series([0, 2, 5, 0.5, 0, 3, 3, 0, 0, 4]), opts);
    expect(episodes.map(e => [e.start, e.end, e.badEvents, e.totalEvents, e.peakBurnRate, e.ongoing])).toEqual([
      [at(5), at(15), 7, 2000, expect.closeTo(5, 9), false],
      // Bucket 4 burns at 0.5: within the sustainable pace, not an episode.
      [at(25), at(35), 6, 2000, expect.closeTo(3, 9), false],
      [at(45), at(50), 4, 1000, expect.closeTo(4, 9), true],
    ]);
    // At a 50 % target the arithmetic is exact: a rate of exactly 1 is the sustainable pace.
    const half = { sloName: 'availability', targetPercent: 50 };
    expect(detectBurnEpisodes([{ end: T0, good: 500, total: 1000 }], half)).toEqual([]);
    expect(detectBurnEpisodes([{ end: T0, good: 499, total: 1000 }], half)).toHaveLength(1);
  });

  it('ends an episode at a gap of no data and at a bucket without traffic', () => {
    const gap = detectBurnEpisodes(series([2, null, 3]), opts);
    expect(gap.map(e => [e.start, e.end])).toEqual([
      [at(0), at(5)],
      [at(10), at(15)],
    ]);
    const empty = detectBurnEpisodes(
      [
        { end: T0 + 5 * MIN, good: 990, total: 1000 },
        { end: T0 + 10 * MIN, good: 0, total: 0 },
        { end: T0 + 15 * MIN, good: 990, total: 1000 },
      ],
      opts,
    );
    expect(empty).toHaveLength(2);
    expect(empty.every(e => e.badEvents === 10)).toBe(true);
  });
});

describe('bucketsDecidingEpisodes', () => {
  it('keeps burning buckets, the one after each, the first and the last', () => {
    const kept = bucketsDecidingEpisodes(series([0, 0, 2, 5, 0, 0, 0, 3, 0, 0]), opts.targetPercent);
    expect(kept.map(b => (b.end - T0) / (5 * MIN))).toEqual([1, 3, 4, 5, 8, 9, 10]);
    expect(bucketsDecidingEpisodes([], opts.targetPercent)).toEqual([]);
  });

  it('gives detectBurnEpisodes the same episodes as the whole run (random runs with gaps, idle buckets and a carried episode)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const length = 1 + Math.floor(random() * 60);
      const bad = Array.from({ length }, () => {
        const r = random();
        if (r < 0.08) return null; // a gap
        if (r < 0.4) return 1 + Math.floor(random() * 9);
        return random() < 0.5 ? 1 : 0; // 1 = exactly the pace
      });
      const buckets = series(bad).map(b => (random() < 0.05 ? { ...b, good: 0, total: 0 } : b));
      // An episode still open from the previous read, carried in front of the new buckets.
      const carried = random() < 0.5 ? [{ end: T0, good: 995, total: 1000 }] : [];
      const whole = detectBurnEpisodes([...carried, ...buckets], opts);
      const kept = bucketsDecidingEpisodes(buckets, opts.targetPercent);
      expect(kept.length).toBeLessThanOrEqual(buckets.length);
      expect(detectBurnEpisodes([...carried, ...kept], opts)).toEqual(whole);
    }
  });
});

describe('weighEpisodes', () => {
  it('weighs bad events by W / events of the window, as the budget card does', () => {
    const buckets = series([0, 2, 5, 0.5, 0, 3, 3, 0, 0, 4]);
    const episodes = detectBurnEpisodes(buckets, opts);
    // W = 50 min, 10,000 events: one bad event is 0.005 min of budget.
    const weighed = weighEpisodes(episodes, { end: T0 + 50 * MIN, minutes: 50, totalEvents: 10_000 });
    expect(weighed.map(e => e.burnedMinutes)).toEqual([7 * 0.005, 6 * 0.005, 4 * 0.005].map(x => expect.closeTo(x, 12)));
    // 17.5 bad of 10,000 over 50 min: e × W = 0.0875 min; the one bucket outside (0.5 bad) is the rest.
    const consumed = computeErrorBudget(99.9, 50, { good: 10_000 - 17.5, total: 10_000 })!.consumedMinutes;
    const sum = weighed.reduce((s, e) => s + e.burnedMinutes, 0);
    expect(consumed).toBeCloseTo(0.0875, 12);
    expect(sum + 0.5 * 0.005).toBeCloseTo(consumed, 12);
  });

  it('clips an episode crossing the start of the window and drops one wholly before it', () => {
    const episodes = detectBurnEpisodes(series([0, 2, 5, 0.5, 0, 3, 3, 0, 0, 4]), opts);
    // Window: the last 20 minutes (buckets 7..10), 4,000 events → 0.005 min per bad event.
    const weighed = weighEpisodes(episodes, { end: T0 + 50 * MIN, minutes: 20, totalEvents: 4000 });
    expect(weighed.map(e => [e.start, e.clipped, e.burnedMinutes])).toEqual([
      [at(25), true, expect.closeTo(3 * 0.005, 12)],
      [at(45), false, expect.closeTo(4 * 0.005, 12)],
    ]);
  });

  it('adds up to the window’s consumption with the buckets outside every episode (any series)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let run = 0; run < 20; run++) {
      const buckets: BurnBucket[] = [];
      for (let k = 1; k <= 8640; k++) {
        if (random() < 0.01) continue; // gaps of no data
        const total = Math.floor(200 + random() * 2000);
        const bad = random() < 0.05 ? Math.floor(random() * total * 0.02) : Math.floor(random() * total * 0.0008);
        buckets.push({ end: T0 + 5 * k * MIN, good: total - bad, total });
      }
      const end = T0 + 5 * 8640 * MIN;
      const W = 43_200;
      const totals = bucketWindowTotals(buckets, end, W);
      const episodes = weighEpisodes(detectBurnEpisodes(buckets, opts), { end, minutes: W, totalEvents: totals.total });
      const inEpisodes = new Set(episodes.flatMap(e => e.buckets.map(b => b.end)));
      const outside = buckets
        .filter(b => !inEpisodes.has(b.end))
        .reduce((s, b) => s + ((b.total - b.good) * W) / totals.total, 0);
      const consumed = computeErrorBudget(99.9, W, totals)!.consumedMinutes;
      expect(episodes.reduce((s, e) => s + e.burnedMinutes, 0) + outside).toBeCloseTo(consumed, 6);
    }
  });
});

describe('deployConfidence (DESIGN §5)', () => {
  it.each([
    // hours, depth, earlier, followed → proximity, dependency, history, score, level
    [0, 0, 0, 0, 0.5, 0.3, 0, 0.8, 'medium'],
    [0, 0, 2, 1, 0.5, 0.3, 0.1, 0.9, 'high'],
    [2, 0, 0, 0, 0.3, 0.3, 0, 0.6, 'medium'],
    [6, 0, 0, 0, 0, 0.3, 0, 0.3, 'low'],
    [0.5, 1, 2, 2, 0.45, 0.3, 0.2, 0.95, 'high'],
    [1, 2, 0, 0, 0.4, 0.15, 0, 0.55, 'medium'],
    [0, null, 0, 0, 0.5, 0, 0, 0.5, 'medium'],
    [0, 0, 4, 4, 0.5, 0.3, 0.2, 1, 'high'],
    [-1, 0, 0, 0, 0.5, 0.3, 0, 0.8, 'medium'],
    [4.9, 3, 10, 1, 0.01, 0.15, 0.02, 0.18, 'low'],
  ] as const)('%s h, depth %s, %s/%s followed', (hours, depth, earlier, followed, p, d, h, score, level) => {
    const c = deployConfidence({ hoursBeforeBurn: hours, depth, earlierDeploys: earlier, earlierFollowed: followed });
    expect(c.factors.proximity.score).toBeCloseTo(p, 9);
    expect(c.factors.dependency.score).toBeCloseTo(d, 9);
    expect(c.factors.history.score).toBeCloseTo(h, 9);
    expect(c.score).toBeCloseTo(score, 9);
    expect(c.level).toBe(level);
  });

  it('calls high only above 0.8', () => {
    expect([0.8, 0.801, 0.5, 0.499].map(confidenceLevel)).toEqual(['medium', 'high', 'medium', 'low']);
  });
});

const SELF = 'component:default/checkout-api';
const DB = 'resource:default/orders-db';
const AUTH = 'component:default/auth-api';
const deploy = (id: number, entityRef: string, minutes: number, extra: Partial<LedgerDeployment> = {}): LedgerDeployment => ({
  id,
  entityRef,
  version: `v${id}`,
  commit: null,
  author: null,
  startedAt: at(minutes),
  status: 'succeeded',
  labels: [],
  url: null,
  ...extra,
});
const incident = (id: string, entityRef: string, from: number, to: number | null): LedgerIncident => ({
  id,
  entityRef,
  number: id.replace(/\D/g, ''),
  title: `trouble on ${entityRef}`,
  urgency: 'high',
  priority: null,
  url: null,
  createdAt: at(from),
  resolvedAt: to === null ? null : at(to),
});

/** One episode of SELF from minute 600 to 900 burning 10 min of budget. */
function episodeAt(start = 600, end = 900) {
  const buckets = [];
  for (let m = start + 5; m <= end; m += 5) buckets.push({ end: T0 + m * MIN, good: 900, total: 1000 });
  // Then back to no errors: the episode is over.
  buckets.push({ end: T0 + (end + 5) * MIN, good: 1000, total: 1000 });
  const [e] = detectBurnEpisodes(buckets, opts);
  return weighEpisodes([e], { end: T0 + end * MIN, minutes: 43_200, totalEvents: 6_000_000 })[0];
}

const base = { entityRef: SELF, dependencies: { [DB]: 1, [AUTH]: 2 }, deployments: [], incidents: [], episodesByEntity: {}, now: T0 + 2000 * MIN };

describe('attributeEpisodes', () => {
  it('with two deploys before the burn, names the nearer one and lists both with their factors', () => {
    const [e] = attributeEpisodes([episodeAt()], {
      ...base,
      deployments: [deploy(1, SELF, 420), deploy(2, SELF, 570), deploy(3, SELF, 200)],
    });
    expect(e.cause).toMatchObject({ source: 'deployments', key: 'deployment:2', label: 'deploy v2', confidence: { level: 'medium' } });
    // v2 30 min before: 0.45 + 0.3; v1 3 h before: 0.2 + 0.3. v3 (6 h 40 m before) is too early to be a candidate.
    expect(e.deployments.map(c => [c.deployment.id, c.minutesBeforeBurn, c.confidence.score])).toEqual([
      [2, 30, 0.75],
      [1, 180, 0.5],
    ]);
  });

  it('adds history: an earlier deploy of the service followed by an incident makes the next one high', () => {
    const [e] = attributeEpisodes([episodeAt()], {
      ...base,
      deployments: [deploy(1, SELF, -3000), deploy(2, SELF, -1500), deploy(3, SELF, 598)],
      incidents: [incident('P1', SELF, -2990, -2900)],
    });
    expect(e.deployments[0].confidence.factors.history).toEqual({ score: 0.1, earlier: 2, followed: 1 });
    expect(e.cause).toMatchObject({ key: 'deployment:3', confidence: { level: 'high', score: 0.897 } });
  });

  it('puts the burn on a dependency with an incident open during it, listing the incident', () => {
    const [e] = attributeEpisodes([episodeAt()], { ...base, incidents: [incident('P7', DB, 550, 1000)] });
    expect(e.cause).toMatchObject({ source: 'dependencies', key: DB, entityRef: DB });
    expect(e.cause.reason).toContain('open for 300 min');
    expect(e.incidents.map(i => [i.incident.id, i.relation, i.depth, i.minutesAfterBurn])).toEqual([['P7', 'dependency', 1, -50]]);
  });

  it('puts the burn on the dependency that burned longest alongside it', () => {
    const [e] = attributeEpisodes([episodeAt()], {
      ...base,
      episodesByEntity: {
        [DB]: [{ sloName: 'availability', start: at(640), end: at(700) }, { sloName: 'latency', start: at(660), end: at(760) }],
        [AUTH]: [{ sloName: 'availability', start: at(500), end: at(620) }],
      },
    });
    expect(e.dependencies).toEqual([
      { entityRef: DB, depth: 1, overlapMinutes: 120, sloNames: ['availability', 'latency'] },
      { entityRef: AUTH, depth: 2, overlapMinutes: 20, sloNames: ['availability'] },
    ]);
    expect(e.cause).toMatchObject({ source: 'dependencies', key: DB });
  });

  it('falls back to an incident on the service, then to unattributed', () => {
    const own = attributeEpisodes([episodeAt()], { ...base, incidents: [incident('P3', SELF, 619, null)] })[0];
    expect(own.cause).toMatchObject({ source: 'incidents', key: 'incident:P3', label: '#3 trouble on component:default/checkout-api' });
    expect(own.cause.reason).toBe('opened 19 min after the burn began');
    const nothing = attributeEpisodes([episodeAt()], {
      ...base,
      // Too early (5 h 40 m before) and an incident resolved before the burn.
      deployments: [deploy(9, SELF, 260)],
      incidents: [incident('P4', SELF, 100, 200)],
    })[0];
    expect(nothing.cause).toMatchObject({ source: 'unattributed', key: 'unattributed', confidence: null });
    expect(nothing.deployments).toEqual([]);
    expect(nothing.incidents).toEqual([]);
  });

  it('counts a deploy of a dependency, and ignores deploys and incidents of unrelated services', () => {
    const [e] = attributeEpisodes([episodeAt()], {
      ...base,
      deployments: [deploy(5, DB, 590), deploy(6, 'component:default/other', 599)],
      incidents: [incident('P9', 'component:default/other', 610, 700)],
    });
    expect(e.cause).toMatchObject({ source: 'deployments', label: `deploy v5 of ${DB}`, entityRef: DB });
    expect(e.deployments).toHaveLength(1);
    expect(e.incidents).toEqual([]);
  });
});

describe('ledger summaries', () => {
  it('sums episodes by source, keeps the baseline as the rest, and ranks the causes', () => {
    const deployEpisode = attributeEpisodes([episodeAt(600, 900)], { ...base, deployments: [deploy(2, SELF, 600)] })[0];
    const lone = attributeEpisodes([episodeAt(1200, 1260)], base)[0];
    const slo = ledgerSlo({ sloName: 'availability', targetPercent: 99.9, windowMinutes: 43_200, consumedMinutes: 60, episodes: [deployEpisode, lone] });
    expect(slo.budgetMinutes).toBeCloseTo(43.2, 9);
    expect(slo.burned.deployments).toBeCloseTo((60 * 100 * 43_200) / 6_000_000, 9);
    expect(slo.burned.unattributed).toBeCloseTo((12 * 100 * 43_200) / 6_000_000, 9);
    expect(slo.burned.baseline).toBeCloseTo(60 - slo.burned.deployments - slo.burned.unattributed, 9);
    expect(slo.episodes[0].start).toBe(at(1200));
    expect(ledgerUnattributedRatio([slo])).toBeCloseTo(12 / 72, 9);
    expect(ledgerTopCauses([slo]).map(c => [c.key, c.episodes])).toEqual([
      ['deployment:2', 1],
      ['unattributed', 1],
    ]);
    expect(ledgerUnattributedRatio([ledgerSlo({ ...slo, consumedMinutes: null, episodes: [] })])).toBeNull();
  });

  it('gives each deploy its impact, burn and timeline', () => {
    const bad = deploy(2, SELF, 600, { status: 'rolled_back' });
    const rollback = deploy(3, SELF, 690, { labels: ['rollback'] });
    const clean = deploy(1, SELF, -5000);
    const [e] = attributeEpisodes([episodeAt(600, 900)], {
      ...base,
      deployments: [clean, bad, rollback],
      incidents: [incident('P12390', SELF, 619, 800)],
    });
    const attributed = [{ entityRef: SELF, episode: e }];
    const impacts = deploymentImpacts([clean, bad, rollback], attributed);
    expect(impacts.map(i => [i.deployment.id, i.impact, i.episodes])).toEqual([
      [1, 'clean', 0],
      [2, 'medium', 1],
      [3, 'clean', 0],
    ]);
    expect(impacts[1].burnedMinutes).toBeCloseTo(e.burnedMinutes, 12);
    expect(impactTimeline({ deployment: bad, attributed, laterDeployments: [rollback] }).map(t => [t.kind, t.at])).toEqual([
      ['deploy-started', at(600)],
      ['burn-began', at(600)],
      ['incident-opened', at(619)],
      ['rollback', at(690)],
      ['incident-resolved', at(800)],
      ['recovered', at(900)],
    ]);
  });
});
