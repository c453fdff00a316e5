import { NthlayerService, mapLimit, windowKey } from '@nthlayer/backstage-plugin-common';
import { Snapshot, SnapshotStore, snapshotKey } from '../database/SnapshotStore';
import { LongWindowReader, dayString } from './LongWindowReader';
import { PrometheusRegistry } from './PrometheusRegistry';
import { QueryBatch, SloRef, planQueryBatches } from './queryPlan';

const DAY = 86_400;

/**
 * On first sight of an SLO (no history yet), reconstructs its budget over the past window
 * so a new install shows 30 days at once. Windows of whole days are rebuilt from stored
 * daily counts (one batched `query_range` at step 1d fills 2 × W days) with a point at
 * every UTC midnight; other rolling windows use a range query at `stepMinutes`. Calendar
 * windows are not backfilled: their range changes per point.
 */
export class HistoryBackfiller {
  constructor(
    private readonly deps: {
      prometheus: PrometheusRegistry;
      snapshots: SnapshotStore;
      longWindows: LongWindowReader;
      /** Rebuild whole-day windows from daily counts (default true). */
      useDays?: boolean;
      stepMinutes: number;
      concurrency: number;
    },
  ) {}

  /**
   * Keys known to be backfilled, so steady-state refreshes do not ask the database again;
   * a key is added only once its backfill succeeded, so a failed one is retried.
   */
  readonly #known = new Set<string>();

  /** Backfills the SLOs among `refs` that have no backfilled history. Returns how many. */
  async backfillNew(refs: SloRef[], now: Date): Promise<number> {
    const key = (r: SloRef) => snapshotKey(r.service.entityRef, r.slo.name, windowKey(r.slo.window));
    const unknown = refs.filter(r => !r.slo.window.calendar && !this.#known.has(key(r)));
    if (!unknown.length) return 0;
    const existing = await this.deps.snapshots.backfilledKeys([
      ...new Set(unknown.map(r => r.service.entityRef)),
    ]);
    existing.forEach(k => this.#known.add(k));
    const fresh = unknown.filter(r => !existing.has(key(r)));
    if (!fresh.length) return 0;

    // Services reduced to their SLOs without history, then batched as in a refresh.
    const byService = new Map<NthlayerService, NthlayerService>();
    for (const { service, slo } of fresh) {
      const reduced = byService.get(service) ?? { ...service, slos: [] };
      reduced.slos.push(slo);
      byService.set(service, reduced);
    }
    const step = this.deps.stepMinutes * 60;
    const end = new Date(Math.floor(now.getTime() / (step * 1000)) * step * 1000);
    const batches = planQueryBatches([...byService.values()]);
    await mapLimit(batches, this.deps.concurrency, async batch => {
      const { window } = batch.members[0].slo;
      if (this.deps.useDays !== false && (window.minutes * 60) % DAY === 0) {
        await this.#fromDays(batch, now);
        return;
      }
      const start = new Date(end.getTime() - window.minutes * 60_000);
      const client = this.deps.prometheus.get(batch.instance);
      const { good, total } = batch.queries(window.text);
      const [goodSeries, totalSeries] = await Promise.all([
        client.queryRange(good, start, end, step),
        client.queryRange(total, start, end, step),
      ]);
      const index = (series: typeof goodSeries) =>
        new Map(
          series.map(s => [
            batch.byService ? s.labels[batch.label] ?? '' : '',
            new Map(s.points.map(([t, v]) => [t, v])),
          ]),
        );
      const goodBy = index(goodSeries);
      const totalBy = index(totalSeries);
      const snapshots: Snapshot[] = [];
      for (const { service, slo } of batch.members) {
        const seriesKey = batch.byService ? service.name : '';
        for (const [t, totalValue] of totalBy.get(seriesKey) ?? []) {
          if (!Number.isFinite(totalValue)) continue;
          snapshots.push(backfillPoint({ service, slo }, t, goodBy.get(seriesKey)?.get(t) ?? 0, totalValue));
        }
      }
      await this.deps.snapshots.append(snapshots);
    });
    fresh.forEach(r => this.#known.add(key(r)));
    return fresh.length;
  }

  /** Points at each UTC midnight of the past window, each the sum of the W days before it. */
  async #fromDays(batch: QueryBatch, now: Date): Promise<void> {
    const { window } = batch.members[0].slo;
    const days = (window.minutes * 60) / DAY;
    const last = LongWindowReader.settledMidnight(now);
    const first = last - 2 * days * DAY;
    const daily = await this.deps.longWindows.dailyEvents(batch, first, last - DAY);
    const snapshots: Snapshot[] = [];
    for (const { service, slo } of batch.members) {
      const byDay = daily.get(batch.byService ? service.name : '');
      if (!byDay) continue;
      const at = (d: number) => byDay.get(dayString(d)) ?? { good: 0, total: 0 };
      // Sliding sum over the `days` days before each midnight.
      let good = 0;
      let total = 0;
      for (let d = first; d < first + days * DAY; d += DAY) {
        good += at(d).good;
        total += at(d).total;
      }
      for (let point = first + days * DAY; point <= last; point += DAY) {
        snapshots.push(backfillPoint({ service, slo }, point, good, total));
        good += at(point).good - at(point - days * DAY).good;
        total += at(point).total - at(point - days * DAY).total;
      }
    }
    await this.deps.snapshots.append(snapshots);
  }
}

function backfillPoint({ service, slo }: SloRef, time: number, good: number, total: number): Snapshot {
  return {
    entityRef: service.entityRef,
    sloName: slo.name,
    window: windowKey(slo.window),
    windowMinutes: slo.window.minutes,
    thresholdMs: slo.latency?.thresholdMs ?? null,
    time: new Date(time * 1000),
    goodEvents: good,
    totalEvents: total,
    source: 'backfill',
  };
}
