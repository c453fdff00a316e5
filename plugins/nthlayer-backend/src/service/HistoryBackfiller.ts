import { NthlayerService, SERVICE_LABEL, windowKey } from '@internal/plugin-nthlayer-common';
import { Snapshot, SnapshotStore, snapshotKey } from '../database/SnapshotStore';
import { PrometheusRegistry } from './PrometheusRegistry';
import { SloRef, mapLimit, planQueryBatches } from './queryPlan';

/**
 * On first sight of an SLO (no history yet), reads its budget over the past window from
 * Prometheus with one batched range query pair per SLO kind, so a new install shows
 * 30 days at once. Calendar windows are not backfilled: their range changes per point.
 */
export class HistoryBackfiller {
  constructor(
    private readonly deps: {
      prometheus: PrometheusRegistry;
      snapshots: SnapshotStore;
      stepMinutes: number;
      concurrency: number;
    },
  ) {}

  /** Backfills the SLOs among `refs` that have no history. Returns how many. */
  async backfillNew(refs: SloRef[], now: Date): Promise<number> {
    const rolling = refs.filter(r => !r.slo.window.calendar);
    const existing = await this.deps.snapshots.existingKeys([
      ...new Set(rolling.map(r => r.service.entityRef)),
    ]);
    const fresh = rolling.filter(
      r => !existing.has(snapshotKey(r.service.entityRef, r.slo.name, windowKey(r.slo.window))),
    );
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
            batch.byService ? s.labels[SERVICE_LABEL] ?? '' : '',
            new Map(s.points.map(([t, v]) => [t, v])),
          ]),
        );
      const goodBy = index(goodSeries);
      const totalBy = index(totalSeries);
      const snapshots: Snapshot[] = [];
      for (const { service, slo } of batch.members) {
        const key = batch.byService ? service.name : '';
        for (const [t, totalValue] of totalBy.get(key) ?? []) {
          if (!Number.isFinite(totalValue)) continue;
          snapshots.push({
            entityRef: service.entityRef,
            sloName: slo.name,
            window: windowKey(slo.window),
            windowMinutes: slo.window.minutes,
            thresholdMs: slo.latency?.thresholdMs ?? null,
            time: new Date(t * 1000),
            goodEvents: goodBy.get(key)?.get(t) ?? 0,
            totalEvents: totalValue,
            source: 'backfill',
          });
        }
      }
      await this.deps.snapshots.append(snapshots);
    });
    return fresh.length;
  }
}
