import { burnRate } from '../budget';
import { exceedsBurnFactor } from '../burn';
import { BurnBucket, BurnEpisodeWithBuckets, LEDGER_BUCKET_MINUTES } from './api';

const MINUTE_MS = 60_000;

/**
 * The burn episodes of one SLO in a run of buckets (DESIGN §5): maximal runs of consecutive
 * buckets whose burn rate is above 1, by the same rule as the alerts (`exceedsBurnFactor`).
 * A bucket without traffic, or a gap between buckets, ends an episode: no data is not burn.
 * The last episode is `ongoing` when the newest bucket still burns.
 *
 * @public
 */
export function detectBurnEpisodes(
  buckets: BurnBucket[],
  options: { sloName: string; targetPercent: number; bucketMinutes?: number },
): BurnEpisodeWithBuckets[] {
  const bucketMs = (options.bucketMinutes ?? LEDGER_BUCKET_MINUTES) * MINUTE_MS;
  const sorted = [...buckets].sort((a, b) => a.end - b.end);
  const episodes: BurnEpisodeWithBuckets[] = [];
  let current: BurnBucket[] = [];
  let peak = 0;
  const close = (ongoing: boolean) => {
    if (!current.length) return;
    const bad = current.reduce((sum, b) => sum + Math.max(0, b.total - b.good), 0);
    const total = current.reduce((sum, b) => sum + b.total, 0);
    episodes.push({
      sloName: options.sloName,
      start: new Date(current[0].end - bucketMs).toISOString(),
      end: new Date(current[current.length - 1].end).toISOString(),
      ongoing,
      badEvents: bad,
      totalEvents: total,
      peakBurnRate: peak,
      buckets: current,
    });
    current = [];
    peak = 0;
  };
  let previous: BurnBucket | undefined;
  for (const bucket of sorted) {
    if (previous && bucket.end - previous.end > bucketMs) close(false);
    if (isBurningBucket(bucket, options.targetPercent)) {
      current.push(bucket);
      peak = Math.max(peak, burnRate(options.targetPercent, bucket)!);
    } else {
      close(false);
    }
    previous = bucket;
  }
  close(true);
  return episodes;
}

/** True when the bucket burns its budget faster than it accrues (the episodes' rule). @public */
export function isBurningBucket(bucket: BurnBucket, targetPercent: number): boolean {
  return exceedsBurnFactor(burnRate(targetPercent, bucket), 1);
}

/**
 * The buckets of a sorted run that decide its episodes: the burning ones, the one after each
 * (it ends the episode), the first (it may end or extend an episode carried from before) and
 * the last (whether the newest episode is still going on). `detectBurnEpisodes` finds the same
 * episodes in them as in the whole run, with far fewer buckets kept: most buckets do not burn.
 *
 * @public
 */
export function bucketsDecidingEpisodes(sorted: BurnBucket[], targetPercent: number): BurnBucket[] {
  const out: BurnBucket[] = [];
  let previousBurning = false;
  for (let i = 0; i < sorted.length; i++) {
    const burning = isBurningBucket(sorted[i], targetPercent);
    if (burning || previousBurning || i === 0 || i === sorted.length - 1) out.push(sorted[i]);
    previousBurning = burning;
  }
  return out;
}

/** Good and all events of the buckets inside the window that ends at `windowEnd` (ms). @public */
export function bucketWindowTotals(
  buckets: BurnBucket[],
  windowEnd: number,
  windowMinutes: number,
): { good: number; total: number } {
  const start = windowEnd - windowMinutes * MINUTE_MS;
  let good = 0;
  let total = 0;
  for (const b of buckets) {
    if (b.end > start && b.end <= windowEnd) {
      good += b.good;
      total += b.total;
    }
  }
  return { good, total };
}

/** An episode's share of a window. @public */
export interface WeighedEpisode extends BurnEpisodeWithBuckets {
  /** Minutes of the SLO's budget its in-window buckets burned. */
  burnedMinutes: number;
  /** It began before the window; only its buckets inside are counted. */
  clipped: boolean;
}

/**
 * Minutes of budget each episode burned inside a window, events-weighted as the budget card:
 * a bucket's bad events × `W / (events of the window)`, so the episodes and the buckets
 * outside them add up to the window's consumption (`e × W`). Episodes wholly before the window
 * are dropped; one crossing its start is clipped to it.
 *
 * @public
 */
export function weighEpisodes(
  episodes: BurnEpisodeWithBuckets[],
  window: { end: number; minutes: number; totalEvents: number; sliceMinutes?: number },
): WeighedEpisode[] {
  const sliceStart = window.end - (window.sliceMinutes ?? window.minutes) * MINUTE_MS;
  const perBadEvent = window.totalEvents > 0 ? window.minutes / window.totalEvents : 0;
  const out: WeighedEpisode[] = [];
  for (const episode of episodes) {
    const inside = episode.buckets.filter(b => b.end > sliceStart && b.end <= window.end);
    if (!inside.length) continue;
    const bad = inside.reduce((sum, b) => sum + Math.max(0, b.total - b.good), 0);
    out.push({ ...episode, burnedMinutes: bad * perBadEvent, clipped: inside.length < episode.buckets.length });
  }
  return out;
}
