import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One synthetic series: labels and its value (a counter's cumulative value) at time t (s). */
export interface FixtureSeries {
  family: string;
  type: 'counter' | 'unknown';
  /** Sample name; for counters it ends in `_total`. */
  name: string;
  labels: Record<string, string>;
  /** The value at t, or undefined for no sample (the series did not exist then). */
  valueAt: (t: number) => number | undefined;
}

export interface RunningPrometheus {
  baseUrl: string;
  /** Directory of the rule files (`*.yaml`, `*.yml`) the instance loads. */
  ruleDir: string;
  /** Writes (or, with `undefined`, deletes) a rule file; call {@link RunningPrometheus.reload} after. */
  writeRuleFile(name: string, content: string | undefined): Promise<void>;
  /** Reloads the configuration and rule files (`POST /-/reload`) and waits until the rules are loaded. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startPrometheusWith}. */
export interface PrometheusFixtureOptions {
  /** Rule files by file name, loaded at start. */
  ruleFiles?: Record<string, string>;
  /** Rule evaluation interval. Default 15s. */
  evaluationInterval?: string;
  /**
   * Wait at start (and at every reload) until each loaded rule has been evaluated. Default
   * true; a benchmark loading hundreds of thousands of rules waits its own way.
   */
  waitForEvaluation?: boolean;
  /** How long Prometheus may take to become ready (loading many rules takes a while). Default 30 s. */
  readyTimeoutMs?: number;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A counter family `<family>` with the sample `<family>_total`. */
export function counterSeries(
  family: string,
  labels: Record<string, string>,
  valueAt: FixtureSeries['valueAt'],
): FixtureSeries {
  return { family, type: 'counter', name: `${family}_total`, labels, valueAt };
}

/** A series of unknown type (gauges, histogram buckets written as plain series). */
export function rawSeries(
  name: string,
  labels: Record<string, string>,
  valueAt: FixtureSeries['valueAt'],
): FixtureSeries {
  return { family: name, type: 'unknown', name, labels, valueAt };
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

/** Renders series sampled every `stepSeconds` over [from, to] as OpenMetrics text. */
export function toOpenMetrics(
  series: FixtureSeries[],
  from: number,
  to: number,
  stepSeconds: number,
): string {
  const lines: string[] = [];
  const families = [...new Set(series.map(s => s.family))];
  for (const family of families) {
    const members = series.filter(s => s.family === family);
    lines.push(`# TYPE ${family} ${members[0].type}`);
    for (const s of members) {
      const labels = formatLabels(s.labels);
      for (let t = from; t <= to; t += stepSeconds) {
        const value = s.valueAt(t);
        if (value !== undefined) lines.push(`${s.name}{${labels}} ${value} ${t}`);
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

async function waitReady(baseUrl: string, proc: ChildProcess, log: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(`prometheus exited with ${proc.exitCode}: ${log()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/-/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`prometheus did not become ready: ${log()}`);
}

/**
 * Backfills the series with the real `promtool tsdb create-blocks-from openmetrics` and
 * starts a real `prometheus` on a free loopback port. Both come from Debian's
 * `prometheus` package, which the test setup installs.
 */
export async function startPrometheusWith(
  series: FixtureSeries[],
  range: { from: number; to: number; stepSeconds: number },
  options: PrometheusFixtureOptions = {},
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'nthlayer-prom-'));
  const ruleDir = join(dir, 'rules');
  await mkdir(ruleDir);
  for (const [name, content] of Object.entries(options.ruleFiles ?? {})) {
    await writeFile(join(ruleDir, name), content);
  }
  const input = join(dir, 'series.om');
  const data = join(dir, 'data');
  await writeFile(input, toOpenMetrics(series, range.from, range.to, range.stepSeconds));
  await promisify(execFile)(
    process.env.PROMTOOL ?? 'promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', input, data],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const proc = spawn(
    process.env.PROMETHEUS_BIN ?? 'prometheus',
    [
      `--config.file=${await fixtureConfig(dir, ruleDir, options.evaluationInterval ?? '15s')}`,
      '--web.enable-lifecycle',
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=3650d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', d => (output += d));
  proc.stderr?.on('data', d => (output += d));
  await waitReady(baseUrl, proc, () => output.slice(-2000), options.readyTimeoutMs);
  const waitForEvaluation = options.waitForEvaluation ?? true;
  if (waitForEvaluation && Object.keys(options.ruleFiles ?? {}).length > 0) await waitEvaluated(baseUrl);
  return {
    baseUrl,
    ruleDir,
    async writeRuleFile(name, content) {
      if (content === undefined) await rm(join(ruleDir, name), { force: true });
      else await writeFile(join(ruleDir, name), content);
    },
    async reload() {
      const res = await fetch(`${baseUrl}/-/reload`, { method: 'POST' });
      if (!res.ok) throw new Error(`reload failed: HTTP ${res.status} ${await res.text()}`);
      if (waitForEvaluation) await waitEvaluated(baseUrl);
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise(r => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits (up to 30 s) until every loaded rule has been evaluated at least once since now. */
async function waitEvaluated(baseUrl: string): Promise<void> {
  const since = Date.now() - 1000;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = (await (await fetch(`${baseUrl}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ lastEvaluation: string }> }> };
    };
    const rules = body.data.groups.flatMap(g => g.rules);
    if (rules.every(r => Date.parse(r.lastEvaluation) >= since)) return;
    if (Date.now() > deadline) throw new Error('rules not evaluated 30 s after the reload');
    await new Promise(r => setTimeout(r, 200));
  }
}

async function fixtureConfig(dir: string, ruleDir: string, evaluationInterval: string): Promise<string> {
  const file = join(dir, 'prometheus.yml');
  const rules = [join(ruleDir, '*.yaml'), join(ruleDir, '*.yml')].map(p => `  - ${JSON.stringify(p)}`).join('\n');
  await writeFile(
    file,
    `global:\n  scrape_interval: 15s\n  evaluation_interval: ${evaluationInterval}\nrule_files:\n${rules}\nscrape_configs: []\n`,
  );
  return file;
}
