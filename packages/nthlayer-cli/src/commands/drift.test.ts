import { RunningPrometheus, captureOutput, freePort, rawSeries, startPrometheusWith } from '@internal/nthlayer-test-utils';
import fs from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../index';
import { generateCommand } from './generate';

// A real Prometheus that loads the rule files `nthlayer generate` writes for the two
// example services, evaluating every second so that every rule has run before drift looks.
const EXAMPLES = path.resolve(__dirname, '../../examples');
const CHECKOUT = path.join(EXAMPLES, 'checkout-api.service.yaml');
const SEARCH = path.join(EXAMPLES, 'search-api.reliability.yaml');
const RULE_FILES = [
  'checkout-api-slo.rules.yaml',
  'checkout-api-technology.rules.yaml',
  'search-api-slo.rules.yaml',
  'search-api-technology.rules.yaml',
];
const silent = { out: () => {}, err: () => {} };

let prometheus: RunningPrometheus;
let tmp: string;
/** The generated rule files by name, as `nthlayer generate` wrote them. */
const generated: Record<string, string> = {};

interface RulesAnswer {
  data: { groups: Array<{ name: string; rules: Array<{ name: string; query: string; lastEvaluation: string }> }> };
}

async function loadedRules(): Promise<RulesAnswer['data']['groups']> {
  const answer = (await (await fetch(`${prometheus.baseUrl}/api/v1/rules`)).json()) as RulesAnswer;
  return answer.data.groups;
}

/** Loads exactly these rule files and waits until every rule of every group was evaluated. */
async function loadRuleFiles(files: Record<string, string | undefined>): Promise<void> {
  for (const name of RULE_FILES) await prometheus.writeRuleFile(name, files[name]);
  await prometheus.reload();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const groups = await loadedRules();
    const evaluated = groups.every(g => g.rules.every(r => !r.lastEvaluation.startsWith('0001-')));
    if (evaluated) return;
    if (Date.now() > deadline) throw new Error('the rules were not evaluated within 30 s');
    await new Promise(r => setTimeout(r, 250));
  }
}

/** How often Prometheus answered `/api/v1/rules`, from its own metrics. */
async function rulesRequests(): Promise<number> {
  const text = await (await fetch(`${prometheus.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter(l => l.startsWith('prometheus_http_requests_total{') && l.includes('handler="/api/v1/rules"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function drift(...args: string[]) {
  const { out, err } = captureOutput();
  const code = await main(['node', 'nthlayer', 'drift', ...args]);
  jest.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

async function driftJson(...args: string[]) {
  const run = await drift(...args, '--format', 'json');
  return { ...run, json: JSON.parse(run.out) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-drift-'));
  for (const file of [CHECKOUT, SEARCH]) {
    if ((await generateCommand(file, { out: tmp, format: 'prometheus,technology' }, silent)) !== 0) {
      throw new Error(`nthlayer generate ${file} failed`);
    }
  }
  for (const name of RULE_FILES) generated[name] = fs.readFileSync(path.join(tmp, 'prometheus', name), 'utf8');
  const now = Math.floor(Date.now() / 1000);
  prometheus = await startPrometheusWith(
    [rawSeries('up', { job: 'fixture' }, () => 1)],
    { from: now - 600, to: now, stepSeconds: 60 },
    { ruleFiles: generated, evaluationInterval: '1s' },
  );
  await loadRuleFiles(generated);
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  jest.restoreAllMocks();
});

describe('nthlayer drift against a real Prometheus', () => {
  it('finds no drift in the generated rules as Prometheus re-prints them (exit 0)', async () => {
    // Prometheus prints the rules otherwise than the generated files write them.
    const printed = (await loadedRules()).flatMap(g => g.rules.map(r => r.query));
    const written = Object.values(generated).join('\n');
    expect(printed.some(query => !written.includes(query))).toBe(true);

    const { code, json } = await driftJson(CHECKOUT, '--prometheus', prometheus.baseUrl);
    expect(json.findings).toEqual([]);
    expect(json.reports).toHaveLength(1);
    expect(json.reports[0]).toMatchObject({ service: 'checkout-api', entityRef: 'component:default/checkout-api' });
    expect(json.reports[0].targets).toEqual([
      { target: 'rules', state: 'checked', instance: prometheus.baseUrl },
      { target: 'dashboard', state: 'not-configured', detail: 'not checked: no --grafana on the command line' },
      {
        target: 'pagerduty',
        state: 'not-configured',
        detail: 'not checked: no --pagerduty-token (or --pagerduty with PAGERDUTY_TOKEN) on the command line',
      },
    ]);
    expect(code).toBe(0);

    const text = await drift(CHECKOUT, '--prometheus', prometheus.baseUrl);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`  rules     checked ${prometheus.baseUrl}`);
    expect(text.out).toContain('  dashboard not configured: not checked: no --grafana on the command line');
    expect(text.out).toMatch(/drift: no drift \(exit 0\): 1 service\(s\) checked, 0 critical, 0 warning, 0 info\n$/);
  });

  it('finds no drift in rules that are only written otherwise (matcher order, keyword case, numbers, for)', async () => {
    const name = 'checkout-api-slo.rules.yaml';
    const rewritten = generated[name]
      .replace(/\{service="checkout-api",status!~"5\.\."\}/g, '{status!~"5..", service="checkout-api"}')
      .replace(/ and on\(\) /g, ' AND ON() ')
      .replace(/>= 0\.1\)/g, '>= 1e-1)')
      .replace(/for: '2m'/g, 'for: 120s');
    for (const edit of ['{status!~"5..", service=', ' AND ON() ', '>= 1e-1)', 'for: 120s']) expect(rewritten).toContain(edit);
    await loadRuleFiles({ ...generated, [name]: rewritten });
    try {
      const { code, json } = await driftJson(CHECKOUT, '--prometheus', prometheus.baseUrl);
      expect(json.findings).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await loadRuleFiles(generated);
    }
  });

  it('reports a hand-edited page factor as SLO threshold drift with both numbers (exit 2)', async () => {
    // The 1h/5m page alert of the 99.95% availability SLO: 14.4 × 0.0005 = 0.0072; edited
    // to 28.8 × 0.0005 = 0.0144, which encodes 99.9%.
    const name = 'checkout-api-slo.rules.yaml';
    expect(generated[name].match(/> 0\.0072\b/g)).toHaveLength(2);
    await loadRuleFiles({ ...generated, [name]: generated[name].replace(/> 0\.0072\b/g, '> 0.0144') });
    try {
      const { code, json } = await driftJson(CHECKOUT, '--prometheus', prometheus.baseUrl);
      expect(json.findings).toHaveLength(1);
      expect(json.findings[0]).toMatchObject({
        service: 'checkout-api',
        target: 'slo-threshold',
        severity: 'critical',
        kind: 'changed',
        field: 'threshold',
        expected: '99.95% (error ratio > 0.0072)',
        actual: '99.9% (error ratio > 0.0144)',
      });
      expect(json.findings[0].object).toContain('nthlayer-checkout-api-availability: NthlayerErrorBudgetBurn');
      expect(json.findings[0].message).toContain('fires later than the SLO needs');
      expect(code).toBe(2);

      const text = await drift(CHECKOUT, '--prometheus', prometheus.baseUrl);
      expect(text.code).toBe(2);
      expect(text.out).toContain('critical slo-threshold changed nthlayer-checkout-api-availability: NthlayerErrorBudgetBurn');
      expect(text.out).toContain('99.95% (error ratio > 0.0072) → 99.9% (error ratio > 0.0144)');
      expect(text.out).toContain('drift: critical drift (exit 2)');
    } finally {
      await loadRuleFiles(generated);
    }
  });

  it('reports the groups of a rule file that is not loaded as missing (exit 2)', async () => {
    const { ['checkout-api-technology.rules.yaml']: _notLoaded, ...rest } = generated;
    await loadRuleFiles(rest);
    try {
      const { code, json } = await driftJson(CHECKOUT, '--prometheus', prometheus.baseUrl);
      const missing = json.findings.filter((f: any) => f.kind === 'missing');
      expect(missing.length).toBe(json.findings.length);
      expect(missing.length).toBeGreaterThan(0);
      for (const finding of missing) {
        expect(finding).toMatchObject({ target: 'rules', severity: 'critical', actual: 'not loaded' });
        expect(finding.object).toMatch(/^nthlayer-checkout-api-/);
        expect(finding.expected).toContain('from prometheus/checkout-api-technology.rules.yaml');
      }
      expect(code).toBe(2);
    } finally {
      await loadRuleFiles(generated);
    }
  });

  it('exits 1 when only warnings are found, and info findings do not fail', async () => {
    const name = 'checkout-api-slo.rules.yaml';
    // One alert waits 5m instead of 2m (warning); one summary is reworded (info).
    const edited = generated[name]
      .replace("for: '2m'", "for: '5m'")
      .replace("summary: 'checkout-api: availability SLO burns", "summary: 'checkout-api: availability SLO (edited) burns");
    expect(edited).not.toBe(generated[name]);
    await loadRuleFiles({ ...generated, [name]: edited });
    try {
      const { code, json } = await driftJson(CHECKOUT, '--prometheus', prometheus.baseUrl);
      expect(json.findings.map((f: any) => [f.severity, f.field, f.expected, f.actual])).toEqual([
        ['warning', 'for', '2m', '5m'],
        ['info', 'annotations.summary', expect.stringContaining('SLO burns'), expect.stringContaining('SLO (edited) burns')],
      ]);
      expect(code).toBe(1);
    } finally {
      await loadRuleFiles(generated);
    }
  });

  it('exits 3 with the reason when Prometheus cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, out } = await drift(CHECKOUT, '--prometheus', url);
    expect(out).toContain(`  rules     UNREACHABLE ${url}: Prometheus at ${url} is unreachable: ECONNREFUSED`);
    expect(out).toContain('drift: could not check (exit 3)');
    expect(code).toBe(3);
  });

  it('checks a directory of service files with one read of /api/v1/rules (its alerting and recording halves)', async () => {
    // A pass-through proxy in front of Prometheus records what drift sends.
    const seen: Array<{ url?: string; tenant?: string | string[] }> = [];
    const proxy = createServer(async (req, res) => {
      seen.push({ url: req.url, tenant: req.headers['x-scope-orgid'] });
      const answer = await fetch(`${prometheus.baseUrl}${req.url}`);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(await answer.text());
    });
    await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const before = await rulesRequests();
    const { code, json } = await driftJson(EXAMPLES, '--prometheus', proxyUrl, '--prometheus-header', 'X-Scope-OrgID: demo').finally(
      () => new Promise(r => proxy.close(r)),
    );
    expect(seen.sort((a, b) => String(a.url).localeCompare(String(b.url)))).toEqual([
      { url: '/api/v1/rules?type=alert', tenant: 'demo' },
      { url: '/api/v1/rules?type=record', tenant: 'demo' },
    ]);
    expect(await rulesRequests()).toBe(before + 2);
    expect(json.reports.map((r: any) => [r.service, r.file])).toEqual([
      ['checkout-api', CHECKOUT],
      ['search-api', SEARCH],
    ]);
    expect(json.reports.map((r: any) => r.targets[0].state)).toEqual(['checked', 'checked']);
    expect(json).toMatchObject({ exitCode: 0, verdict: 'no drift', findings: [], unchecked: [] });
    expect(code).toBe(0);
  });

  it('writes a Markdown table of the findings of every service for a pull request', async () => {
    const name = 'search-api-slo.rules.yaml';
    await loadRuleFiles({ ...generated, [name]: undefined });
    try {
      const { code, out } = await drift(EXAMPLES, '--prometheus', prometheus.baseUrl, '--format', 'markdown');
      expect(code).toBe(2);
      const lines = out.split('\n');
      expect(lines[0]).toBe('### NthLayer drift: **critical drift** (exit 2)');
      expect(lines).toContain(`| checkout-api | rules | checked | ${prometheus.baseUrl} |  |`);
      const header = '| service | severity | target | kind | object | field | expected | actual | message |';
      expect(lines).toContain(header);
      const rows = lines.slice(lines.indexOf(header) + 2).filter(Boolean);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every(r => r.startsWith('| search-api | critical | rules | missing | nthlayer-search-api-'))).toBe(true);
      expect(rows[0]).toContain('`not loaded`');
    } finally {
      await loadRuleFiles(generated);
    }
  });
});
