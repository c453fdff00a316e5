import { stringify } from 'yaml';
import { Finding } from '@nthlayer/backstage-plugin-common';
import { OpenSloImportOptions, importOpenSlo } from './importOpenSlo';

const WINDOW_30D = { text: '30d', minutes: 43200 };
const options: OpenSloImportOptions = {
  serviceName: 'checkout-api',
  serviceType: 'api',
  fallbackWindow: WINDOW_30D,
};

const GOOD = 'http_requests_total{job="checkout",code!~"5.."}';
const BAD = 'http_requests_total{job="checkout",code=~"5.."}';
const TOTAL = 'http_requests_total{job="checkout"}';

const prometheus = (query: string) => ({ metricSource: { type: 'Prometheus', spec: { query } } });

function ratioSpec(good: string, total: string, field: 'good' | 'bad' = 'good') {
  return { ratioMetric: { counter: true, [field]: prometheus(good), total: prometheus(total) } };
}

type Doc = Record<string, any>;

function sloDoc(name: string, spec: Record<string, unknown> = {}): Doc {
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name },
    spec: {
      service: 'checkout-api',
      indicator: { metadata: { name: `${name}-sli` }, spec: ratioSpec(`sum(rate(${GOOD}[5m]))`, `sum(rate(${TOTAL}[5m]))`) },
      timeWindow: [{ duration: '28d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: 'good requests', target: 0.995 }],
      ...spec,
    },
  };
}

function sliDoc(name: string, spec: Record<string, unknown>): Doc {
  return { apiVersion: 'openslo/v1', kind: 'SLI', metadata: { name }, spec };
}

function dataSourceDoc(name: string, type: string): Doc {
  return { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name }, spec: { type, connectionDetails: { url: 'http://prometheus:9090' } } };
}

function yamlOf(...docs: Doc[]): string {
  return docs.map(d => stringify(d)).join('---\n');
}

function run(docs: Doc[], overrides: Partial<OpenSloImportOptions> = {}) {
  return importOpenSlo(yamlOf(...docs), { ...options, ...overrides });
}

const errors = (findings: Finding[]) => findings.filter(f => f.severity === 'error');
const values = (findings: Finding[]) => findings.map(f => f.value);

describe('importOpenSlo: valid documents', () => {
  it('imports an SLO with an inline ratio SLI, noting the ignored ranges', () => {
    const { slos, findings } = run([sloDoc('checkout-availability')]);
    expect(slos).toEqual([
      {
        name: 'checkout-availability',
        kind: 'availability',
        targetPercent: 99.5,
        window: { text: '28d', minutes: 40320 },
        source: 'openslo',
        customSli: { good: GOOD, total: TOTAL },
      },
    ]);
    expect(findings).toEqual([
      {
        severity: 'warning',
        annotation: 'nthlayer.dev/openslo',
        value: 'document 1 (SLO checkout-availability) spec.indicator.spec.ratioMetric.good.metricSource.spec.query',
        accepted: expect.stringContaining('one counter selector'),
        message:
          'nthlayer.dev/openslo: document 1 (SLO checkout-availability) spec.indicator.spec.ratioMetric.good.metricSource.spec.query is read as its counter. The [5m] range of rate() is ignored: NthLayer applies its own windows.',
      },
      expect.objectContaining({ severity: 'warning', value: expect.stringMatching(/ratioMetric\.total\.metricSource\.spec\.query$/) }),
    ]);
  });

  it('strips the service prefix NthLayer writes and keeps other names', () => {
    const { slos } = run([
      sloDoc('checkout-api-availability', { indicator: { spec: ratioSpec(`sum(${GOOD})`, `sum(${TOTAL})`) } }),
      sloDoc('checkout-api', { indicator: { spec: ratioSpec(GOOD, TOTAL) } }),
    ]);
    expect(slos.map(s => s.name)).toEqual(['availability', 'checkout-api']);
  });

  it('follows indicatorRef to an SLI and metricSourceRef to a Prometheus DataSource, in any order', () => {
    const sli = sliDoc('checkout-sli', {
      ratioMetric: {
        counter: true,
        good: { metricSource: { metricSourceRef: 'prom', spec: { query: GOOD } } },
        total: { metricSource: { metricSourceRef: 'prom', type: 'prometheus', spec: { query: TOTAL } } },
      },
    });
    const slo = sloDoc('checkout-availability', { indicator: undefined, indicatorRef: 'checkout-sli' });
    delete slo.spec.indicator;
    const { slos, findings } = run([slo, dataSourceDoc('prom', 'prometheus'), sli]);
    expect(findings).toEqual([]);
    expect(slos).toEqual([expect.objectContaining({ name: 'checkout-availability', customSli: { good: GOOD, total: TOTAL } })]);
  });

  it('reads bad/total ratios, with 1 - … nowhere needed', () => {
    const { slos, findings } = run([sloDoc('errors', { indicator: { spec: ratioSpec(`sum(increase(${BAD}[1h]))`, `sum(${TOTAL})`, 'bad') } })]);
    expect(slos[0]).toMatchObject({ kind: 'availability', customSli: { bad: BAD, total: TOTAL } });
    expect(slos[0].customSli!.good).toBeUndefined();
    expect(findings).toHaveLength(1);
  });

  it.each([
    [{ duration: '7d', isRolling: true }, { text: '7d', minutes: 10080 }],
    [{ duration: '1w', isRolling: true }, { text: '1w', minutes: 10080 }],
    [
      { duration: '1M', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' } },
      { text: '1M', minutes: 43200, calendar: { unit: 'month', timeZone: 'Europe/Berlin' } },
    ],
    [
      { duration: '1Q', calendar: { startTime: '2024-04-01 00:00:00', timeZone: 'Etc/UTC' } },
      { text: '1Q', minutes: 131040, calendar: { unit: 'quarter', timeZone: 'UTC' } },
    ],
    [
      { duration: '1w', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'America/New_York' } },
      { text: '1W', minutes: 10080, calendar: { unit: 'week', timeZone: 'America/New_York' } },
    ],
    [
      { duration: '1W', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Asia/Tokyo' } },
      { text: '1W', minutes: 10080, calendar: { unit: 'week', timeZone: 'Asia/Tokyo' } },
    ],
  ])('reads the window %j', (timeWindow, window) => {
    const { slos, findings } = run([sloDoc('a', { indicator: { spec: ratioSpec(GOOD, TOTAL) }, timeWindow: [timeWindow] })]);
    expect(findings).toEqual([]);
    expect(slos[0].window).toEqual(window);
  });

  it('warns when a calendar does not start at a period', () => {
    const timeWindow = [{ duration: '1M', isRolling: false, calendar: { startTime: '2024-01-15 00:00:00', timeZone: 'Europe/Berlin' } }];
    const { slos, findings } = run([sloDoc('a', { indicator: { spec: ratioSpec(GOOD, TOTAL) }, timeWindow })]);
    expect(slos[0].window.text).toBe('1M');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        value: 'document 1 (SLO a) spec.timeWindow[0].calendar.startTime',
        message: expect.stringContaining('is not the start of a calendar month. NthLayer aligns 1M windows to the start of each month in Europe/Berlin'),
      }),
    ]);
  });

  it('reads a latency ratio: the bucket at the threshold over the count', () => {
    const slo = (name: string, le: string, family = 'http_request_duration_seconds') =>
      sloDoc(name, {
        indicator: { spec: ratioSpec(`sum(${family}_bucket{job="checkout",${le}})`, `sum(${family}_count{job="checkout"})`) },
        objectives: [{ target: 0.99 }],
      });
    const { slos, findings } = run([
      slo('a', 'le=~"0[.]30*"'),
      slo('b', 'le=~"1([.]0+)?"'),
      slo('c', 'le="0.25"'),
      slo('d', 'le=~"300([.]0+)?"', 'rpc_server_duration_milliseconds'),
      slo('e', 'le=~"2[.]50*"', 'envoy_cluster_upstream_rq_time'),
      slo('f', 'le=~"0\\\\.5"'),
    ]);
    expect(findings).toEqual([]);
    expect(slos.map(s => [s.name, s.kind, s.latency])).toEqual([
      ['a', 'latency', { percentile: 99, thresholdMs: 300 }],
      ['b', 'latency', { percentile: 99, thresholdMs: 1000 }],
      ['c', 'latency', { percentile: 99, thresholdMs: 250 }],
      ['d', 'latency', { percentile: 99, thresholdMs: 300 }],
      ['e', 'latency', { percentile: 99, thresholdMs: 2.5 }],
      ['f', 'latency', { percentile: 99, thresholdMs: 500 }],
    ]);
    expect(slos[0].customSli).toEqual({
      good: 'http_request_duration_seconds_bucket{job="checkout",le=~"0[.]30*"}',
      total: 'http_request_duration_seconds_count{job="checkout"}',
    });
  });

  it('imports a bucket ratio whose le is not one bound as availability, with a warning', () => {
    const { slos, findings } = run([
      sloDoc('odd', { indicator: { spec: ratioSpec('x_seconds_bucket{le=~"0.1|0.2"}', 'x_seconds_count') } }),
    ]);
    expect(slos[0]).toMatchObject({ kind: 'availability', customSli: { good: 'x_seconds_bucket{le=~"0.1|0.2"}', total: 'x_seconds_count' } });
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('imported as an availability SLO of the same ratio') })]);
  });

  it('reads a thresholdMetric histogram_quantile as a latency SLO of the bucket at the value', () => {
    const threshold = (query: string, objective: Record<string, unknown>) => ({
      indicator: { spec: { thresholdMetric: prometheus(query) } },
      objectives: [{ op: 'lte', ...objective }],
    });
    const { slos, findings } = run([
      sloDoc('p99', threshold('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m])))', { value: 0.3, target: 0.99 })),
      sloDoc('rpc', threshold('histogram_quantile(0.95, sum by (le) (rate(rpc_server_duration_milliseconds_bucket[5m])))', { op: 'lt', value: 250, targetPercent: 95 })),
      sloDoc('plain', threshold('http_server_request_duration_seconds{job="checkout"}', { value: 1, target: 0.9 })),
      sloDoc('bucket', threshold('http_server_request_duration_seconds_bucket{job="checkout"}', { value: 1.5, target: 0.9 })),
    ]);
    expect(findings).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'p99',
        kind: 'latency',
        targetPercent: 99,
        window: { text: '28d', minutes: 40320 },
        latency: { percentile: 99, thresholdMs: 300 },
        source: 'openslo',
        customSli: {
          good: 'http_request_duration_seconds_bucket{job="checkout",le=~"0[.]30*"}',
          total: 'http_request_duration_seconds_count{job="checkout"}',
        },
      },
      expect.objectContaining({
        name: 'rpc',
        latency: { percentile: 95, thresholdMs: 250 },
        customSli: { good: 'rpc_server_duration_milliseconds_bucket{le=~"250([.]0+)?"}', total: 'rpc_server_duration_milliseconds_count' },
      }),
      expect.objectContaining({
        name: 'plain',
        latency: { percentile: 90, thresholdMs: 1000 },
        customSli: {
          good: 'http_server_request_duration_seconds_bucket{job="checkout",le=~"1([.]0+)?"}',
          total: 'http_server_request_duration_seconds_count{job="checkout"}',
        },
      }),
      expect.objectContaining({ name: 'bucket', latency: { percentile: 90, thresholdMs: 1500 } }),
    ]);
  });

  it('warns when histogram_quantile asks another quantile than the target', () => {
    const { slos, findings } = run([
      sloDoc('p95', {
        indicator: { spec: { thresholdMetric: prometheus('histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[5m])))') } },
        objectives: [{ op: 'lt', value: 0.5, target: 0.99 }],
      }),
    ]);
    expect(slos[0].latency).toEqual({ percentile: 99, thresholdMs: 500 });
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('asks for the quantile 0.95, not the objective\'s target 0.99') }),
    ]);
  });

  it('makes one SLO per objective, named by displayName or position', () => {
    const { slos, findings } = run([
      sloDoc('checkout-api-availability', {
        objectives: [
          { displayName: 'Strict (99.9%)', target: 0.999 },
          { target: 0.99 },
          { displayName: 'relaxed', targetPercent: 95 },
        ],
      }),
    ]);
    expect(findings.filter(f => !/rate\(\) is ignored/.test(f.message))).toEqual([]);
    expect(slos.map(s => [s.name, s.targetPercent])).toEqual([
      ['availability-strict-99.9', 99.9],
      ['availability-2', 99],
      ['availability-relaxed', 95],
    ]);
  });

  it('ignores Service, AlertPolicy, AlertNotificationTarget and AlertCondition documents silently', () => {
    const { slos, findings } = run([
      { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'checkout-api' }, spec: { description: 'x' } },
      sloDoc('a', { indicator: { spec: ratioSpec(GOOD, TOTAL) } }),
      {
        apiVersion: 'openslo/v1',
        kind: 'AlertCondition',
        metadata: { name: 'fast' },
        spec: { severity: 'page', condition: { kind: 'burnrate', op: 'gt', threshold: 14.4, lookbackWindow: '1h', alertAfter: '5m' } },
      },
      { apiVersion: 'openslo/v1', kind: 'AlertNotificationTarget', metadata: { name: 'page' }, spec: { target: 'pagerduty' } },
    ]);
    expect(findings).toEqual([]);
    expect(slos).toHaveLength(1);
  });

  it('names its own annotation in findings', () => {
    const { findings } = run([sloDoc('a')], { annotation: 'nthlayer.dev/service-file' });
    expect(findings.map(f => f.annotation)).toEqual(['nthlayer.dev/service-file', 'nthlayer.dev/service-file']);
    expect(findings[0].message).toMatch(/^nthlayer\.dev\/service-file: document 1/);
  });
});

describe('importOpenSlo: what cannot be honoured', () => {
  it('skips a document failing the schema, naming at most three errors by field path, and goes on', () => {
    const broken = sloDoc('broken', { objectives: [{ target: 99.9 }], budgetingMethod: 'Occurrences', service: 'Not A Name' });
    delete broken.metadata.name;
    broken.metadata.displayName = '';
    const { slos, findings } = run([broken, sloDoc('fine', { indicator: { spec: ratioSpec(GOOD, TOTAL) } })]);
    expect(slos.map(s => s.name)).toEqual(['fine']);
    expect(errors(findings)).toHaveLength(1);
    const [finding] = errors(findings);
    expect(finding.value).toBe('document 1 (SLO (no name))');
    const listed = finding.message.match(/schema: (.*)\. The SLO/)![1].split('; ');
    expect(listed).toHaveLength(3);
    expect(finding.message).toContain('does not match the OpenSLO v1 schema: ');
    expect(listed.map(e => e.split(' ')[0])).toEqual(expect.arrayContaining(['metadata']));
  });

  it('names the schema errors of an objective precisely', () => {
    const { findings } = run([sloDoc('checkout-availability', { objectives: [{ target: 99.9 }] })]);
    expect(errors(findings)[0].message).toBe(
      'nthlayer.dev/openslo: document 1 (SLO checkout-availability) does not match the OpenSLO v1 schema: spec.objectives[0].target must be < 1. The SLO checkout-availability is skipped.',
    );
  });

  it.each(['Timeslices', 'RatioTimeslices'])('skips a %s SLO as not supported yet (not as a schema error)', method => {
    const { slos, findings } = run([
      sloDoc('checkout-availability', { budgetingMethod: method, objectives: [{ target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: '1m' }] }),
    ]);
    expect(slos).toEqual([]);
    expect(findings[0]).toEqual({
      severity: 'error',
      annotation: 'nthlayer.dev/openslo',
      value: 'document 1 (SLO checkout-availability) spec.budgetingMethod',
      accepted: 'Occurrences',
      message: `nthlayer.dev/openslo: document 1 (SLO checkout-availability) spec.budgetingMethod is "${method}", which NthLayer does not support yet. The SLO checkout-availability is skipped.`,
    });
    expect(findings[1]).toMatchObject({ severity: 'error', value: '1 document', message: 'nthlayer.dev/openslo: 1 document contains no SLO NthLayer can import. The tier defaults stay.' });
  });

  it('skips non-Prometheus sources, inline or by DataSource', () => {
    const datadog = sloDoc('dd', {
      indicator: { spec: { ratioMetric: { counter: true, good: { metricSource: { type: 'Datadog', spec: { query: 'sum:requests{ok}' } } }, total: prometheus(TOTAL) } } },
    });
    const cloudwatch = sloDoc('cw', {
      indicator: { spec: { ratioMetric: { counter: true, good: { metricSource: { metricSourceRef: 'cw', spec: { query: GOOD } } }, total: prometheus(TOTAL) } } },
    });
    const untyped = sloDoc('untyped', {
      indicator: { spec: { ratioMetric: { counter: true, good: { metricSource: { spec: { query: GOOD } } }, total: prometheus(TOTAL) } } },
    });
    const { slos, findings } = run([datadog, cloudwatch, dataSourceDoc('cw', 'CloudWatch'), untyped]);
    expect(slos).toEqual([]);
    expect(errors(findings).map(f => f.message)).toEqual([
      'nthlayer.dev/openslo: document 1 (SLO dd) spec.indicator.spec.ratioMetric.good.metricSource.type is "Datadog": NthLayer reads Prometheus metric sources only. The SLO dd is skipped.',
      'nthlayer.dev/openslo: document 3 (DataSource cw) spec.type is "CloudWatch": NthLayer reads Prometheus data sources only. The SLO cw is skipped.',
      'nthlayer.dev/openslo: document 4 (SLO untyped) spec.indicator.spec.ratioMetric.good.metricSource.type is missing: NthLayer reads Prometheus metric sources only. The SLO untyped is skipped.',
      'nthlayer.dev/openslo: 4 documents contain no SLO NthLayer can import. The tier defaults stay.',
    ]);
  });

  it('skips an SLO whose query is not a counter, naming the field path but not the query', () => {
    const { slos, findings } = run([
      sloDoc('by-code', { indicator: { spec: ratioSpec('sum by (code) (rate(secret_requests_total{team="alpha"}[5m]))', 'sum(secret_requests_total{team="alpha"})') } }),
      sloDoc('fine', { indicator: { spec: ratioSpec(GOOD, TOTAL) } }),
    ]);
    expect(slos.map(s => s.name)).toEqual(['fine']);
    expect(errors(findings)).toEqual([
      expect.objectContaining({
        value: 'document 1 (SLO by-code) spec.indicator.spec.ratioMetric.good.metricSource.spec.query',
        message:
          'nthlayer.dev/openslo: document 1 (SLO by-code) spec.indicator.spec.ratioMetric.good.metricSource.spec.query aggregates by labels: NthLayer sums over all series. The SLO by-code is skipped.',
      }),
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/secret|alpha/);
  });

  it('names a missing indicatorRef, metricSourceRef and a skipped SLI', () => {
    const slo = (name: string, ref: string) => {
      const doc = sloDoc(name, { indicatorRef: ref });
      delete doc.spec.indicator;
      return doc;
    };
    const rawSli = sliDoc('raw-sli', { ratioMetric: { counter: true, raw: prometheus(GOOD), rawType: 'success' } });
    const refSli = sliDoc('ref-sli', {
      ratioMetric: { counter: true, good: { metricSource: { metricSourceRef: 'nowhere', spec: { query: GOOD } } }, total: prometheus(TOTAL) },
    });
    const { slos, findings } = run([slo('a', 'missing-sli'), rawSli, slo('b', 'raw-sli'), refSli, slo('c', 'ref-sli')]);
    expect(slos).toEqual([]);
    expect(errors(findings).map(f => f.message)).toEqual([
      'nthlayer.dev/openslo: document 2 (SLI raw-sli) spec.ratioMetric.raw is a raw ratio, which NthLayer does not support yet. This document is skipped.',
      'nthlayer.dev/openslo: document 1 (SLO a) spec.indicatorRef names the SLI missing-sli, which is not among the documents. The SLO a is skipped.',
      'nthlayer.dev/openslo: document 3 (SLO b) spec.indicatorRef names the SLI raw-sli, which was skipped (see the finding of document 2). The SLO b is skipped.',
      'nthlayer.dev/openslo: document 4 (SLI ref-sli) spec.ratioMetric.good.metricSource.metricSourceRef names the DataSource nowhere, which is not among the documents. The SLO c is skipped.',
      'nthlayer.dev/openslo: 5 documents contain no SLO NthLayer can import. The tier defaults stay.',
    ]);
  });

  it('skips an inline raw ratio as not supported yet', () => {
    const { findings } = run([sloDoc('raw', { indicator: { spec: { ratioMetric: { counter: true, raw: prometheus(GOOD), rawType: 'success' } } } })]);
    expect(findings[0].message).toBe(
      'nthlayer.dev/openslo: document 1 (SLO raw) spec.indicator.spec.ratioMetric.raw is a raw ratio, which NthLayer does not support yet. The SLO raw is skipped.',
    );
  });

  it('refuses a gauge thresholdMetric and gt objectives', () => {
    const threshold = (query: string, op = 'lt') => ({
      indicator: { spec: { thresholdMetric: prometheus(query) } },
      objectives: [{ op, value: 0.5, target: 0.99 }],
    });
    const { slos, findings } = run([
      sloDoc('gauge', threshold('avg(request_latency{job="checkout"})')),
      sloDoc('named', threshold('request_latency{job="checkout"}')),
      sloDoc('gt', threshold('http_request_duration_seconds_bucket{job="checkout"}', 'gt')),
      sloDoc('counter', threshold('http_requests_total{job="checkout"}')),
    ]);
    expect(slos).toEqual([]);
    expect(errors(findings).map(f => f.message)).toEqual([
      'nthlayer.dev/openslo: document 1 (SLO gauge) spec.indicator.spec.thresholdMetric.metricSource.spec.query is not a latency histogram (a gauge or an expression): thresholdMetric must be a latency histogram. The SLO gauge is skipped.',
      'nthlayer.dev/openslo: document 2 (SLO named) spec.indicator.spec.thresholdMetric.metricSource.spec.query selects request_latency, which is not a latency histogram (no _seconds or _milliseconds histogram): thresholdMetric must be a latency histogram. The SLO named is skipped.',
      'nthlayer.dev/openslo: document 3 (SLO gt) spec.objectives[0].op is "gt": thresholdMetric must be a latency histogram with objectives op lt or lte (requests faster than value). This objective is skipped.',
      "nthlayer.dev/openslo: document 4 (SLO counter) spec.indicator.spec.thresholdMetric.metricSource.spec.query counts events, not a latency histogram's buckets: thresholdMetric must be a latency histogram. The SLO counter is skipped.",
      'nthlayer.dev/openslo: 4 documents contain no SLO NthLayer can import. The tier defaults stay.',
    ]);
    expect(errors(findings)[0].accepted).toMatch(/^a latency histogram: histogram_quantile/);
  });

  it.each([
    [{ duration: '5m', isRolling: true }, 'spec.timeWindow[0].duration is "5m", a rolling window NthLayer cannot measure'],
    [{ duration: '1M', isRolling: true }, 'spec.timeWindow[0].duration is "1M", a rolling window NthLayer cannot measure'],
    [
      { duration: '1Y', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' } },
      'spec.timeWindow[0].duration is "1Y", a calendar window NthLayer has no calendar for',
    ],
    [
      { duration: '1M', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Mars/Olympus_Mons' } },
      'spec.timeWindow[0].calendar.timeZone is "Mars/Olympus_Mons", not a time zone NthLayer knows',
    ],
  ])('falls back to the fallback window for %j', (timeWindow, problem) => {
    const { slos, findings } = run([sloDoc('a', { indicator: { spec: ratioSpec(GOOD, TOTAL) }, timeWindow: [timeWindow] })]);
    expect(slos[0].window).toEqual(WINDOW_30D);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'warning', message: `nthlayer.dev/openslo: document 1 (SLO a) ${problem}. The fallback window 30d is used.` }),
    ]);
  });

  it('uses the fallback window without a timeWindow, and defaultTimeZone for calendars', () => {
    const none = sloDoc('none', { indicator: { spec: ratioSpec(GOOD, TOTAL) } });
    delete none.spec.timeWindow;
    const { slos, findings } = run([none]);
    expect(slos[0].window).toEqual(WINDOW_30D);
    expect(values(findings)).toEqual(['document 1 (SLO none) spec.timeWindow']);
  });

  it('warns about fields it cannot honour', () => {
    const { slos, findings } = run([
      sloDoc('checkout-availability', {
        indicator: { spec: ratioSpec(GOOD, TOTAL) },
        alertPolicies: ['fast-burn'],
        objectives: [{ target: 0.99, op: 'gte', value: 1, compositeWeight: 2 }],
      }),
    ]);
    expect(slos).toHaveLength(1);
    expect(findings.map(f => [f.severity, f.value])).toEqual([
      ['warning', 'document 1 (SLO checkout-availability) spec.alertPolicies'],
      ['warning', 'document 1 (SLO checkout-availability) spec.objectives[0].compositeWeight'],
      ['warning', 'document 1 (SLO checkout-availability) spec.objectives[0].op'],
      ['warning', 'document 1 (SLO checkout-availability) spec.objectives[0].value'],
    ]);
    expect(findings[0].message).toBe(
      'nthlayer.dev/openslo: document 1 (SLO checkout-availability) spec.alertPolicies is not imported. NthLayer generates its own multi-window burn-rate alerts from the SLO; the listed policies are not imported.',
    );
  });

  it('skips objectives with their own indicator or an unusable target', () => {
    const { slos, findings } = run([
      sloDoc('a', {
        indicator: { spec: ratioSpec(GOOD, TOTAL) },
        objectives: [{ target: 0 }, { targetPercent: 100 }, { target: 0.9, indicatorRef: 'other' }, { target: 0.95 }],
      }),
    ]);
    expect(slos.map(s => [s.name, s.targetPercent])).toEqual([['a-4', 95]]);
    expect(errors(findings).map(f => f.value)).toEqual([
      'document 1 (SLO a) spec.objectives[0].target',
      'document 1 (SLO a) spec.objectives[1].targetPercent',
      'document 1 (SLO a) spec.objectives[2].indicatorRef',
    ]);
  });

  it('skips SLOs whose names repeat', () => {
    const { slos, findings } = run([
      sloDoc('checkout-api-availability', { indicator: { spec: ratioSpec(GOOD, TOTAL) } }),
      sloDoc('availability', { indicator: { spec: ratioSpec(GOOD, TOTAL) }, objectives: [{ target: 0.9 }] }),
    ]);
    expect(slos.map(s => s.targetPercent)).toEqual([99.5]);
    expect(errors(findings)).toEqual([
      expect.objectContaining({
        value: 'document 2 (SLO availability) metadata.name',
        message: 'nthlayer.dev/openslo: document 2 (SLO availability) metadata.name gives the SLO name availability, which an earlier SLO already has. This SLO is skipped.',
      }),
    ]);
  });

  it('reports YAML errors with their line, and goes on with the other documents', () => {
    const text = `${yamlOf(sloDoc('a', { indicator: { spec: ratioSpec(GOOD, TOTAL) } }))}---\nkind: [SLO\n---\nkind: SLO\nkind: SLI\n---\n- a list\n`;
    const { slos, findings } = importOpenSlo(text, options);
    expect(slos.map(s => s.name)).toEqual(['a']);
    expect(findings.map(f => f.value)).toEqual([
      expect.stringMatching(/^document 2 line \d+$/),
      expect.stringMatching(/^document 3 line \d+$/),
      expect.stringMatching(/^document 4 line \d+$/),
    ]);
    expect(findings[0].message).toMatch(/^nthlayer\.dev\/openslo: document 2 line \d+ is not valid YAML \(.+\)\. This document is skipped\.$/);
    expect(findings[1].message).toContain('the key "kind" is repeated');
    expect(findings[2].message).toContain('is not a mapping');
    expect(findings.every(f => f.severity === 'error')).toBe(true);
  });

  it('says the tier defaults stay when nothing is importable', () => {
    expect(importOpenSlo('', options).findings).toEqual([
      expect.objectContaining({ severity: 'error', message: 'nthlayer.dev/openslo: 0 documents contain no SLO NthLayer can import. The tier defaults stay.' }),
    ]);
  });

  it('never echoes long values of the file', () => {
    const long = `${'x'.repeat(300)}_total`;
    const { findings } = run([sloDoc('a', { indicator: { spec: ratioSpec(`sum by (code) (${long})`, TOTAL) } })]);
    expect(JSON.stringify(findings)).not.toContain('x'.repeat(50));
  });
});
