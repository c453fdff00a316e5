import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const BIN = path.resolve(__dirname, '../bin/nthlayer');
const EXAMPLES = path.resolve(__dirname, '../examples');

function nthlayer(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('nthlayer CLI', () => {
  it.each([
    ['legacy', 'checkout-api.service.yaml', 'checkout-api'],
    ['OpenSRM', 'search-api.reliability.yaml', 'search-api'],
  ])('generates every artifact from a %s service file', (_format, file, service) => {
    const out = path.join(tmp, service);
    const run = nthlayer('generate', path.join(EXAMPLES, file), '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(listFiles(out)).toEqual([
      `grafana/${service}.json`,
      `openslo/${service}.yaml`,
      `pagerduty/${service}.json`,
      `prometheus/${service}-slo.rules.yaml`,
      `prometheus/${service}-technology.rules.yaml`,
    ]);
    const read = (f: string) => fs.readFileSync(path.join(out, f), 'utf8');
    const dashboard = JSON.parse(read(`grafana/${service}.json`));
    expect(dashboard.uid).toBe(`nthlayer-${service}`);
    expect(dashboard.panels.length).toBeGreaterThan(0);
    expect(JSON.stringify(JSON.parse(read(`pagerduty/${service}.json`)))).toContain(service);
    const openslo = parseAllDocuments(read(`openslo/${service}.yaml`)).map(d => (d as any).toJS());
    expect(openslo.filter((d: any) => d.kind === 'SLO').length).toBe(2);
    const rules = read(`prometheus/${service}-slo.rules.yaml`);
    expect(parse(rules).groups.length).toBe(2);
    expect(rules).toContain(`service="${service}"`);
    const tech = parse(read(`prometheus/${service}-technology.rules.yaml`));
    expect(tech.groups.length).toBeGreaterThan(0);

    // Everything NthLayer writes lints clean, promtool included (the technology file
    // switches off only the counter-naming heuristic for exporters without _total).
    const lint = nthlayer('lint', out);
    expect(lint.stdout).toContain('2 rule file(s) checked: clean');
    expect(lint.code).toBe(0);
  });

  it('lints generated SLO rules clean (exit 0)', () => {
    const out = path.join(tmp, 'slo-only');
    const gen = nthlayer('generate', path.join(EXAMPLES, 'checkout-api.service.yaml'), '--out', out, '--format', 'prometheus,openslo');
    expect(gen.code).toBe(0);
    expect(listFiles(out)).toEqual(['openslo/checkout-api.yaml', 'prometheus/checkout-api-slo.rules.yaml']);
    const lint = nthlayer('lint', out);
    expect(lint.stdout).toContain('1 rule file(s) checked: clean');
    expect(lint.code).toBe(0);
  });

  it('exits 2 on a broken rule file', () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'broken.rules.yaml'),
      'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(http_requests_total[5m]) by (\n',
    );
    const lint = nthlayer('lint', dir);
    expect(lint.stdout).toMatch(/error \[promql\/syntax\]/);
    expect(lint.code).toBe(2);
  });

  it('exits 2 with findings when the service file is unusable', () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, 'service:\n  name: bad\n  tier: gold\n');
    const run = nthlayer('generate', file, '--out', path.join(tmp, 'bad-out'));
    expect(run.code).toBe(2);
    // Findings name the field and its position, not the file's value.
    expect(run.stderr).toMatch(/service\.tier \(line 3, column 9\) is not valid/);
    expect(run.stderr).not.toContain('gold');
    expect(fs.existsSync(path.join(tmp, 'bad-out'))).toBe(false);
  });

  it('rejects unknown formats', () => {
    const run = nthlayer('generate', path.join(EXAMPLES, 'checkout-api.service.yaml'), '--out', tmp, '--format', 'nagios');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/accepted: prometheus, technology, openslo, grafana, pagerduty/);
  });
});
