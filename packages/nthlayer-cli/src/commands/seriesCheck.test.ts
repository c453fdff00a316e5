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
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../index';
import { SeriesCheckError, checkSeries, parseHeaderOption } from './seriesCheck';

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
    // After the shared client's retries; the reason is the error code where fetch gives one.
    const failing = checkSeries(selectors, { baseUrl: 'http://127.0.0.1:9', lookbackSeconds: 60, backoffMs: 10 });
    await expect(failing).rejects.toThrow(SeriesCheckError);
    await expect(failing).rejects.toThrow(/^Prometheus at http:\/\/127\.0\.0\.1:9 is unreachable: (ECONNREFUSED|fetch failed)$/);
  });
});

/**
 * A Prometheus stand-in that records what it is asked (a real Prometheus ignores headers, so
 * it cannot show they were sent): 503 for the first `failures` requests, then series for
 * `known` selectors only; 401 without the expected tenant when `tenant` is set.
 */
async function recordingPrometheus(options: { failures?: number; tenant?: string; known: string[] }) {
  const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; match: string | null }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      const match = new URLSearchParams(body).get('match[]');
      seen.push({ method: req.method, url: req.url, headers: req.headers, match });
      if (seen.length <= (options.failures ?? 0)) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('overloaded');
        return;
      }
      if (options.tenant && req.headers['x-scope-orgid'] !== options.tenant) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'error', error: 'no org id' }));
        return;
      }
      const data = match && options.known.includes(match) ? [{ __name__: 'up' }] : [];
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>(r => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('checkSeries through the shared Prometheus client', () => {
  it('sends the extra headers on every lookup and retries 5xx answers with backoff', async () => {
    const source = await recordingPrometheus({ failures: 2, tenant: 'team-a', known: ['up{job="api"}'] });
    try {
      const selectors = ruleSelectors(rules({ alert: 'A', expr: 'up{job="api"} == 0' }));
      const findings = await checkSeries(selectors, {
        baseUrl: `${source.baseUrl}/`,
        lookbackSeconds: 3600,
        headers: { 'X-Scope-OrgID': 'team-a', Authorization: 'Bearer t0ken' },
        backoffMs: 10,
      });
      expect(findings).toEqual([]);
      expect(source.seen).toHaveLength(3); // two 503s, then the answer
      for (const s of source.seen) {
        expect(s).toMatchObject({ method: 'POST', url: '/api/v1/series', match: 'up{job="api"}' });
        expect(s.headers).toMatchObject({ 'x-scope-orgid': 'team-a', authorization: 'Bearer t0ken' });
      }
    } finally {
      await source.close();
    }
  });

  it('keeps a base URL path (Mimir, Cortex) and does not retry a rejected request', async () => {
    const source = await recordingPrometheus({ tenant: 'team-a', known: [] });
    try {
      const selectors = ruleSelectors(rules({ alert: 'A', expr: 'up == 0' }));
      const rejected = checkSeries(selectors, { baseUrl: `${source.baseUrl}/prometheus`, lookbackSeconds: 60, backoffMs: 10 });
      await expect(rejected).rejects.toThrow(
        new SeriesCheckError(`Prometheus at ${source.baseUrl}/prometheus rejected the query (HTTP 401): no org id`),
      );
      expect(source.seen.map(s => s.url)).toEqual(['/prometheus/api/v1/series']);
    } finally {
      await source.close();
    }
  });

  it('gives up after the retries', async () => {
    const source = await recordingPrometheus({ failures: 99, known: [] });
    try {
      const selectors = ruleSelectors(rules({ alert: 'A', expr: 'up == 0' }));
      await expect(
        checkSeries(selectors, { baseUrl: source.baseUrl, lookbackSeconds: 60, retries: 1, backoffMs: 10 }),
      ).rejects.toThrow(/answered HTTP 503 with a non-JSON body/);
      expect(source.seen).toHaveLength(2);
    } finally {
      await source.close();
    }
  });
});

describe('parseHeaderOption', () => {
  it.each([
    ['X-Scope-OrgID: team-a', ['X-Scope-OrgID', 'team-a']],
    ['Authorization:Bearer a:b', ['Authorization', 'Bearer a:b']],
    ['  X-Empty:  ', ['X-Empty', '']],
  ])('reads %j', (text, header) => {
    expect(parseHeaderOption(text)).toEqual(header);
  });

  it.each(['no colon', ': value', 'Bad Name: x', 'X-A: one\r\nX-B: two', ''])('rejects %j', text => {
    expect(parseHeaderOption(text)).toBeUndefined();
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

  it('sends repeated --header options to Prometheus', async () => {
    const dir = path.join(tmp, 'headers');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'x.rules.yaml'), rules({ alert: 'A', expr: 'up{job="api"} == 0' }));
    const source = await recordingPrometheus({ tenant: 'team-a', known: ['up{job="api"}'] });
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // In-process: the stand-in answers on this event loop, which spawnSync would block.
      const code = await main([
        'node', 'nthlayer', 'lint', dir, '--no-promtool', '--prometheus', source.baseUrl,
        '--header', 'X-Scope-OrgID: team-a', '--header', 'X-Extra:  1 ',
      ]);
      expect(out.mock.calls.map(c => String(c[0]))).toContain('1 rule file(s) checked: clean\n');
      expect(code).toBe(0);
      expect(source.seen).toHaveLength(1);
      expect(source.seen[0].headers).toMatchObject({ 'x-scope-orgid': 'team-a', 'x-extra': '1' });
    } finally {
      out.mockRestore();
      await source.close();
    }
  });

  it('rejects a --header that is not Name: value', () => {
    const run = nthlayer('lint', path.join(tmp, 'slo'), '--prometheus', prometheus.baseUrl, '--header', 'X-Scope-OrgID team-a');
    expect(run.stderr).toContain(`--header "X-Scope-OrgID team-a" must look like 'Name: value'`);
    expect(run.code).toBe(2);
  });

  it('reports an unreachable Prometheus as an error, after the offline checks', () => {
    const dir = path.join(tmp, 'slo');
    const run = nthlayer('lint', dir, '--prometheus', 'http://127.0.0.1:9', '--no-promtool');
    expect(run.stderr).toContain('promql/series not checked: Prometheus at http://127.0.0.1:9 is unreachable');
    expect(run.code).toBe(2);
  });
});
