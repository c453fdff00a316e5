import { RollupStore } from '../database/RollupStore';
import { PrometheusClient } from './PrometheusClient';
import { QueryBatch } from './queryPlan';

const DAY = 86_400;
/** Seconds after midnight before the previous day is read from the store. */
const SETTLE = 900;

/** Event counts per member of a batch (service name, or '' for a single). */
export type Counts = Map<string, { good: number; total: number }>;

/** Runs a batch's good/total pair over a range (seconds) evaluated at a time. */
export type RawCounter = (b: QueryBatch, rangeSeconds: number, at: Date) => Promise<Counts>;

export function dayString(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

/**
 * Reads windows of whole days (30d, 3d, 1d) as: stored complete UTC days + the partial
 * day so far (head) + the partial day at the window's start (tail). Each refresh then
 * scans at most about one day of raw samples per query instead of the whole window;
 * missing days are filled once with one batched range query pair (step 1d).
 */
export class LongWindowReader {
  readonly #heads = new Map<string, Promise<Counts>>();

  constructor(
    private readonly deps: {
      rollups: RollupStore;
      raw: RawCounter;
      client: (b: QueryBatch) => PrometheusClient;
    },
  ) {}

  /** True when this reader handles a window of `seconds`. */
  static handles(seconds: number): boolean {
    return seconds >= DAY && seconds % DAY === 0;
  }

  /**
   * The last UTC midnight whose previous day is complete: within SETTLE of midnight the
   * day just ended is still read raw, so late scrapes never leave a short day stored.
   */
  static settledMidnight(now: Date): number {
    const t = Math.floor(now.getTime() / 1000);
    const d0 = Math.floor(t / DAY) * DAY;
    return t - d0 < SETTLE ? d0 - DAY : d0;
  }

  /** Daily events of every member for the days starting in [from, to] (epoch seconds). */
  async dailyEvents(
    b: QueryBatch,
    from: number,
    to: number,
  ): Promise<Map<string, Map<string, { good: number; total: number }>>> {
    await this.#ensureDays(b, from, to, (to - from) / DAY + 1);
    return this.deps.rollups.list(b.key, dayString(from), dayString(to));
  }

  async counts(b: QueryBatch, windowSeconds: number, now: Date): Promise<Counts> {
    const t = Math.floor(now.getTime() / 1000);
    const d0 = LongWindowReader.settledMidnight(now);
    const start = t - windowSeconds;
    const firstFullDay = Math.ceil(start / DAY) * DAY;
    if (firstFullDay >= d0) return this.deps.raw(b, windowSeconds, now);
    const fullDays = (d0 - firstFullDay) / DAY;
    const tail = firstFullDay - start;

    const [days, headCounts, tailCounts] = await Promise.all([
      this.#days(b, firstFullDay, d0 - DAY, fullDays),
      this.#head(b, t - d0, now),
      tail > 0
        ? this.deps.raw(b, tail, new Date(firstFullDay * 1000))
        : Promise.resolve(new Map() as Counts),
    ]);
    const result: Counts = new Map();
    for (const part of [days, headCounts, tailCounts] as Counts[]) {
      for (const [member, c] of part) {
        const r = result.get(member) ?? { good: 0, total: 0 };
        r.good += c.good;
        r.total += c.total;
        result.set(member, r);
      }
    }
    return result;
  }

  /** The head query is the same for every long window of a batch: run it once. */
  #head(b: QueryBatch, seconds: number, now: Date): Promise<Counts> {
    const key = `${b.key}\u0000${now.getTime()}`;
    let p = this.#heads.get(key);
    if (!p) {
      p = this.deps.raw(b, seconds, now);
      this.#heads.set(key, p);
      if (this.#heads.size > 10_000) this.#heads.clear();
    }
    return p;
  }

  /** Fills the days [from, to] of the batch if any member lacks one; returns the sums. */
  async #ensureDays(b: QueryBatch, from: number, to: number, count: number) {
    const fromDay = dayString(from);
    const toDay = dayString(to);
    const sums = await this.deps.rollups.sum(b.key, fromDay, toDay);
    const members = b.members.map(m => (b.byService ? m.service.name : ''));
    if (members.every(m => (sums.get(m)?.days ?? 0) >= count)) return { members, sums };
    await this.#fill(b, members, from, to);
    return { members, sums: await this.deps.rollups.sum(b.key, fromDay, toDay) };
  }

  /** Sums of the stored days; fills the range first if any member lacks a day. */
  async #days(b: QueryBatch, from: number, to: number, count: number): Promise<Counts> {
    const { members, sums } = await this.#ensureDays(b, from, to, count);
    return new Map(
      members.map(m => {
        const s = sums.get(m);
        return [m, { good: s?.good ?? 0, total: s?.total ?? 0 }];
      }),
    );
  }

  async #fill(b: QueryBatch, members: string[], from: number, to: number): Promise<void> {
    const { good, total } = b.queries('1d');
    const client = this.deps.client(b);
    // Each point at a day's end holds that day's increase.
    const start = new Date((from + DAY) * 1000);
    const end = new Date((to + DAY) * 1000);
    const [goodSeries, totalSeries] = await Promise.all([
      client.queryRange(good, start, end, DAY),
      client.queryRange(total, start, end, DAY),
    ]);
    const index = (series: typeof goodSeries) => {
      const byMember = new Map<string, Map<number, number>>();
      for (const s of series) {
        const m = b.byService ? s.labels[b.label] ?? '' : '';
        const points = byMember.get(m) ?? new Map<number, number>();
        for (const [time, v] of s.points) if (Number.isFinite(v)) points.set(time, (points.get(time) ?? 0) + v);
        byMember.set(m, points);
      }
      return byMember;
    };
    const goodBy = index(goodSeries);
    const totalBy = index(totalSeries);
    const rows = [];
    for (const member of new Set(members)) {
      for (let day = from; day <= to; day += DAY) {
        rows.push({
          definition: b.key,
          member,
          day: dayString(day),
          goodEvents: goodBy.get(member)?.get(day + DAY) ?? 0,
          totalEvents: totalBy.get(member)?.get(day + DAY) ?? 0,
        });
      }
    }
    await this.deps.rollups.insert(rows);
  }
}
