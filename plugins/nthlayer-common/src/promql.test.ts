import { parseNthlayerService } from './serviceModel';
import { batchedSliQueries, leMatcher, serviceSliQueries, sliBatchKey } from './promql';

const service = (annotations: Record<string, string>, name = 'checkout-api') =>
  parseNthlayerService({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {},
  }).service!;

describe('PromQL builders', () => {
  it('matches both le formats of a threshold', () => {
    const re = (ms: number) => new RegExp(`^(?:${leMatcher(ms)})$`);
    expect(re(500).test('0.5')).toBe(true);
    expect(re(500).test('0.50')).toBe(true);
    expect(re(500).test('0.05')).toBe(false);
    expect(re(500).test('5')).toBe(false);
    expect(re(1000).test('1')).toBe(true);
    expect(re(1000).test('1.0')).toBe(true);
    expect(re(1000).test('10')).toBe(false);
    expect(re(2500).test('2.5')).toBe(true);
  });

  it('batches api availability by service, events-weighted over the window', () => {
    const s = service({ 'nthlayer.dev/tier': '1' });
    expect(batchedSliQueries(s, s.slos[0])).toEqual({
      good: 'sum by (service) (increase(http_requests_total{service!="",status!~"5.."}[30d]))',
      total: 'sum by (service) (increase(http_requests_total{service!=""}[30d]))',
    });
  });

  it('uses the histogram for latency', () => {
    const s = service({ 'nthlayer.dev/tier': '1' });
    expect(batchedSliQueries(s, s.slos[1])).toEqual({
      good: 'sum by (service) (increase(http_request_duration_seconds_bucket{service!="",le=~"0[.]50*"}[30d]))',
      total: 'sum by (service) (increase(http_request_duration_seconds_count{service!=""}[30d]))',
    });
  });

  it('uses the type conventions for workers and streams', () => {
    const worker = service({ 'nthlayer.dev/tier': '2', 'nthlayer.dev/type': 'worker' });
    expect(batchedSliQueries(worker, worker.slos[0]).good).toContain('jobs_processed_total{service!="",status!="failed"}');
    const stream = service({ 'nthlayer.dev/tier': '2', 'nthlayer.dev/type': 'stream', 'nthlayer.dev/slo-window': '7d' });
    expect(batchedSliQueries(stream, stream.slos[0]).good).toBe(
      'sum by (service) (increase(events_processed_total{service!="",status!="error"}[7d]))',
    );
  });

  it('queries custom selectors on their own', () => {
    const s = service({ 'nthlayer.dev/tier': '3', 'nthlayer.dev/prometheus-selector': 'job="legacy"' });
    expect(serviceSliQueries(s, s.slos[0]).total).toBe('sum(increase(http_requests_total{job="legacy"}[30d]))');
  });

  it('puts services with the same kind, type, window and threshold in one batch', () => {
    const a = service({ 'nthlayer.dev/tier': '1' }, 'a');
    const b = service({ 'nthlayer.dev/tier': '1' }, 'b');
    const c = service({ 'nthlayer.dev/tier': '2' }, 'c');
    const d = service({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-window': '7d' }, 'd');
    expect(sliBatchKey(a, a.slos[0])).toBe(sliBatchKey(b, b.slos[0]));
    expect(sliBatchKey(a, a.slos[0])).toBe(sliBatchKey(c, c.slos[0])); // target differs, counts do not
    expect(sliBatchKey(a, a.slos[1])).not.toBe(sliBatchKey(c, c.slos[1])); // 500 vs 1000 ms
    expect(sliBatchKey(a, a.slos[0])).not.toBe(sliBatchKey(d, d.slos[0]));
  });
});
