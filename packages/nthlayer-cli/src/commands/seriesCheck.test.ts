import { ruleSelectors } from '@nthlayer/backstage-plugin-generators';
import {
  FixtureSeries,
  RunningPrometheus,
  counterSeries,
  rawSeries,
  startPrometheusWith,
} from '@internal/nthlayer-test-utils';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { SeriesCheckError, checkSeries } from './seriesCheck';

// A real Prometheus with two hours of the example service's metrics, and one metric that
// stopped three days ago.
const NOW = Math.floor(Date.now() / 1000);
const sinceStart = (t: number) => t - (NOW - 7200);
const counter = (family: string, labels: Record<string, string>) => counterSeries(family, labels, sinceStart);
const raw = (name: string, labels: Record<string, string>) => rawSeries(name, labels, sinceStart);
const SERIES: FixtureSeries[] = [
  counter('http_requests', { service: 'checkout-api', status: '200' }),
  raw('http_request_duration_seconds_bucket', { service: 'checkout-api', le: '0.5' }),
  raw('http_request_duration_seconds_count', { service: 'checkout-api' }),
];
const OLD: FixtureSeries[] = [counter('retired_jobs', { service: 'checkout-api' })];

let prometheus: RunningPrometheus;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-series-'));
  // One range covers both: the recent series have samples in the last two hours only, the
  // retired one in the first hour of the range (three days ago) only.
  prometheus = await startPrometheusWith(
    [
      ...SERIES.map(s => ({ ...s, valueAt: (t: number) => (t >= NOW - 7200 ? s.valueAt(t) : undefined) })),
      ...OLD.map(s => ({ ...s, valueAt: (t: number) => (t <= NOW - 3 * 86400 + 3600 ? t : undefined) })),
    ],
    { from: NOW - 3 * 86400, to: NOW, stepSeconds: 300 },
  );
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function rules(...list: Array<{ alert: string; expr: string }>): string {
  const annotations = { summary: 's', runbook_url: 'https://runbooks.example.com/a' };
  return stringify({ groups: [{ name: 'g', rules: list.map(r => ({ ...r, for: '5m', annotations })) }] });
}

describe('checkSeries (promql/series) against a real Prometheus', () => {
  it('passes selectors with series, warns on label mismatches, errors on unknown metrics once per rule', async () => {
    const text = rules(
      { alert: 'Ok', expr: 'sum(rate(http_requests_total{service="checkout-api"}[5m])) > 1' },
      { alert: 'WrongLabel', expr: 'rate(http_requests_total{service="other-api"}[5m]) > 1' },
      { alert: 'NoExporter', expr: 'pg_up == 0 or pg_up{job="db"} == 0' },
    );
    const findings = await checkSeries(ruleSelectors(text), { baseUrl: prometheus.baseUrl, lookbackSeconds: 86400 });
    expect(findings.map(f => [f.rule, f.severity])).toEqual([
      ['WrongLabel', 'warning'],
      ['NoExporter', 'error'],
    ]);
    expect(findings[0].message).toContain('http_requests_total{service="other-api"} matches no series in the last 1d');
    expect(findings[1].message).toContain('no series named pg_up in the last 1d');
  });

  it('counts a series as existing only within the lookback', async () => {
    const selectors = ruleSelectors(rules({ alert: 'Retired', expr: 'rate(retired_jobs_total[5m]) > 0' }));
    const recent = await checkSeries(selectors, { baseUrl: prometheus.baseUrl, lookbackSeconds: 86400 });
    expect(recent.map(f => f.severity)).toEqual(['error']);
    const longer = await checkSeries(selectors, { baseUrl: prometheus.baseUrl, lookbackSeconds: 4 * 86400 });
    expect(longer).toEqual([]);
  });

  it('fails with a clear error when Prometheus cannot be asked', async () => {
    const selectors = ruleSelectors(rules({ alert: 'A', expr: 'up == 0' }));
    await expect(checkSeries(selectors, { baseUrl: 'http://127.0.0.1:9', lookbackSeconds: 60 })).rejects.toThrow(
      new SeriesCheckError('Prometheus at http://127.0.0.1:9 is unreachable: fetch failed'),
    );
  });
});

describe('nthlayer lint --prometheus', () => {
  const BIN = path.resolve(__dirname, '../../bin/nthlayer');
  const EXAMPLE = path.resolve(__dirname, '../../examples/checkout-api.service.yaml');
  const nthlayer = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('is clean when the SLO rules find their series, and exits 2 when an exporter is missing', () => {
    const slo = path.join(tmp, 'slo');
    expect(nthlayer('generate', EXAMPLE, '--out', slo, '--format', 'prometheus').code).toBe(0);
    const clean = nthlayer('lint', slo, '--prometheus', prometheus.baseUrl);
    expect(clean.stdout).toContain('1 rule file(s) checked: clean');
    expect(clean.code).toBe(0);

    const tech = path.join(tmp, 'tech');
    expect(nthlayer('generate', EXAMPLE, '--out', tech, '--format', 'technology').code).toBe(0);
    const missing = nthlayer('lint', tech, '--prometheus', prometheus.baseUrl, '--no-promtool');
    expect(missing.stdout).toMatch(/error \[promql\/series\] .*PostgreSQLDown no series named pg_up/);
    expect(missing.code).toBe(2);
  });

  it('honours a file that switches promql/series off, and rejects a bad lookback', () => {
    const dir = path.join(tmp, 'disabled');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'x.rules.yaml'),
      `# nthlayer-lint file/disable promql/series\n${rules({ alert: 'A', expr: 'pg_up == 0' })}`,
    );
    const run = nthlayer('lint', dir, '--prometheus', prometheus.baseUrl, '--no-promtool');
    expect(run.stdout).toContain('1 rule file(s) checked: clean');
    expect(run.code).toBe(0);
    const bad = nthlayer('lint', dir, '--prometheus', prometheus.baseUrl, '--lookback', 'yesterday');
    expect(bad.stderr).toContain('--lookback yesterday is not a Prometheus duration');
    expect(bad.code).toBe(2);
  });

  it('reports an unreachable Prometheus as an error, after the offline checks', () => {
    const dir = path.join(tmp, 'slo');
    const run = nthlayer('lint', dir, '--prometheus', 'http://127.0.0.1:9', '--no-promtool');
    expect(run.stderr).toContain('promql/series not checked: Prometheus at http://127.0.0.1:9 is unreachable');
    expect(run.code).toBe(2);
  });
});
