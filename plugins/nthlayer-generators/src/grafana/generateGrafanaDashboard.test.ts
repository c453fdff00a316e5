import {
  generateGrafanaDashboard,
  grafanaDashboardUid,
} from './generateGrafanaDashboard';
import {
  allPanels,
  dependencies,
  exprs,
  input,
  parse,
  rows,
} from './dashboardTestUtils';

describe('generateGrafanaDashboard', () => {
  it('describes the artifact and the dashboard', () => {
    const { artifacts, dashboard } = parse(input());
    expect(artifacts[0]).toMatchObject({
      id: 'grafana-dashboard',
      kind: 'grafana-dashboard',
      filename: 'grafana/checkout-api.json',
      mediaType: 'application/json',
    });
    expect(dashboard.uid).toBe('nthlayer-checkout-api');
    expect(dashboard.tags).toEqual([
      'nthlayer',
      'tier-1',
      'api',
      'team-payments',
    ]);
    expect(dashboard.templating.list[0]).toMatchObject({
      type: 'datasource',
      name: 'datasource',
      query: 'prometheus',
    });
  });

  it('derives a stable uid of at most 40 characters', () => {
    const long = 'a-very-long-service-name-that-goes-on-and-on';
    expect(grafanaDashboardUid(long)).toHaveLength(40);
    expect(grafanaDashboardUid(long)).toBe(grafanaDashboardUid(long));
    expect(grafanaDashboardUid(long)).not.toBe(
      grafanaDashboardUid(`${long}-2`),
    );
    expect(grafanaDashboardUid('svc.v2')).toBe('nthlayer-svc-v2');
  });

  it('is deterministic', () => {
    expect(generateGrafanaDashboard(input({}, dependencies))).toEqual(
      generateGrafanaDashboard(input({}, dependencies)),
    );
  });

  it('has SLO, health and one row per dependency technology', () => {
    const { dashboard, findings } = parse(input({}, dependencies));
    expect(findings).toEqual([]);
    expect(rows(dashboard).map(r => [r.title, r.collapsed])).toEqual([
      ['SLOs', false],
      ['Service health (api)', false],
      ['Dependency: Elasticsearch (search)', true],
      ['Dependency: Kafka (orders)', true],
      ['Dependency: PostgreSQL (payments-db, ledger-db)', true],
      ['Dependency: Redis (sessions)', true],
    ]);
    const ids = allPanels(dashboard).map(p => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows budget remaining, burn rates and SLI per SLO', () => {
    const [slos] = rows(parse(input()).dashboard);
    expect(slos.panels.map(p => [p.type, p.title])).toEqual([
      ['stat', 'Error budget remaining: availability'],
      ['timeseries', 'Burn rate: availability'],
      ['timeseries', 'SLI: availability'],
      ['stat', 'Error budget remaining: latency'],
      ['timeseries', 'Burn rate: latency'],
      ['timeseries', 'SLI: latency'],
    ]);
    expect(exprs(slos.panels[0])).toEqual([
      '1 - max(nthlayer:slo_error:ratio_rate30d{service="checkout-api",slo="availability"}) / (1 - 0.999)',
    ]);
    const burn = slos.panels[1];
    expect(burn.targets.map((t: any) => t.legendFormat)).toEqual([
      '5m',
      '30m',
      '1h',
      '2h',
      '6h',
      '1d',
      '3d',
    ]);
    expect(exprs(burn)[2]).toBe(
      'max(nthlayer:slo_error:ratio_rate1h{service="checkout-api",slo="availability"}) / (1 - 0.999)',
    );
    expect(
      burn.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value),
    ).toEqual([null, 1, 3, 6, 14.4]);
    expect(exprs(slos.panels[4])[0]).toContain('/ (1 - 0.99)');
    expect(exprs(slos.panels[2])).toEqual([
      'sum(increase(http_requests_total{service="checkout-api",status!~"5.."}[5m])) / sum(increase(http_requests_total{service="checkout-api"}[5m]))',
    ]);
    expect(exprs(slos.panels[5])[0]).toContain(
      'http_request_duration_seconds_bucket{service="checkout-api",le=~"0[.]50*"}',
    );
  });

  it('shows api health: rate by status, error ratio, latency quantiles', () => {
    const health = rows(parse(input()).dashboard)[1];
    expect(health.panels.map(p => p.title)).toEqual([
      'Request rate by status',
      'Error ratio',
      'Latency p50 / p95 / p99',
    ]);
    expect(exprs(health.panels[0])).toEqual([
      'sum by (status) (rate(http_requests_total{service="checkout-api"}[5m]))',
    ]);
    expect(exprs(health.panels[1])).toEqual([
      'sum(rate(http_requests_total{service="checkout-api",status=~"5.."}[5m])) / sum(rate(http_requests_total{service="checkout-api"}[5m]))',
    ]);
    expect(exprs(health.panels[2])).toEqual(
      ['0.5', '0.95', '0.99'].map(
        q =>
          `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout-api"}[5m])))`,
      ),
    );
  });

  it('shows worker and stream health with their conventions and selector', () => {
    const selector = 'job="billing",env="prod"';
    const worker = rows(
      parse(input({ type: 'worker', selector })).dashboard,
    )[1];
    expect(worker.title).toBe('Service health (worker)');
    expect(worker.panels.map(p => p.title)).toEqual([
      'Jobs rate by status',
      'Failure ratio',
    ]);
    expect(exprs(worker.panels[1])[0]).toBe(
      `sum(rate(jobs_processed_total{${selector},status="failed"}[5m])) / sum(rate(jobs_processed_total{${selector}}[5m]))`,
    );
    const stream = rows(
      parse(input({ type: 'stream', selector })).dashboard,
    )[1];
    expect(stream.panels.map(p => p.title)).toEqual([
      'Events rate by status',
      'Error ratio',
    ]);
    expect(exprs(stream.panels[0])[0]).toBe(
      `sum by (status) (rate(events_processed_total{${selector}}[5m]))`,
    );
  });

  it('scopes every service query to the service and every quantile by le', () => {
    for (const selector of [
      'service="checkout-api"',
      'job="checkout",env="prod"',
    ]) {
      const { dashboard } = parse(input({ selector }, dependencies));
      const [slos, health] = rows(dashboard);
      for (const panel of [...slos.panels, ...health.panels]) {
        for (const expr of exprs(panel)) {
          const scoped = expr.includes('nthlayer:slo_error')
            ? expr.includes('service="checkout-api",slo="')
            : expr
                .split(/[{}]/)
                .filter((_, i) => i % 2 === 1)
                .every(m => m.startsWith(selector));
          expect({ expr, scoped }).toEqual({ expr, scoped: true });
        }
      }
      const quantiles = allPanels(dashboard)
        .flatMap(exprs)
        .flatMap(e => [
          ...e.matchAll(
            /histogram_quantile\(\s*[0-9.]+\s*,\s*(\w+(?: by \([^)]*\))?)/g,
          ),
        ])
        .map(m => m[1]);
      expect(quantiles).toHaveLength(3);
      quantiles.forEach(aggregation => expect(aggregation).toBe('sum by (le)'));
    }
  });
});
