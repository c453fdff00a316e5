#!/usr/bin/env node
// Writes the demo history as OpenMetrics text for [T0 - 31 d, T0 - 2 min] at a 5-minute step
// (15 s, the scrape interval, over the last 6 hours) and turns it into Prometheus TSDB blocks
// with promtool.
//
//   node scripts/demo/backfill.mjs [--t0 <epoch ms>] [--data <dir>] [--keep-file] [--no-promtool]
//
// Defaults: T0 = now (whole seconds); data dir .demo/prometheus-data; the OpenMetrics file
// .demo/backfill.om is deleted after a successful import unless --keep-file.
// Writes .demo/scenario.json ({t0Ms, ...}) that the exporter and expected-budgets.mjs read.
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HISTORY_S, SCENARIO, seriesAt, labelsKey, validateScenario } from './model.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const DEMO = join(ROOT, '.demo');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const flag = (name) => args.includes(name);

const STEP_S = 300; // 5 minutes
const END_BEFORE_T0_S = 120; // the history stops 2 min before T0; the live scrapes follow
const FINE_TAIL_S = 6 * 3600; // ... and its last 6 hours have one sample per scrape interval
const FINE_STEP_S = 15;
// promtool's hidden --max-block-duration: the file is parsed once per block, so few large
// blocks (162h = 6.75 d, one of the TSDB's compaction ranges) keep the import fast.
const MAX_BLOCK_DURATION = '162h';

const t0Ms = opt('--t0') ? Number(opt('--t0')) : Math.floor(Date.now() / 1000) * 1000;
const dataDir = resolve(opt('--data') ?? join(DEMO, 'prometheus-data'));
const omFile = join(DEMO, 'backfill.om');

const problems = validateScenario();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

mkdirSync(DEMO, { recursive: true });

// ---- 1. values: one row per series, one column per step -------------------------------
const startedAt = Date.now();
const t0S = t0Ms / 1000;
// On the 5-minute grid of the clock (not of T0): a 5-minute range ending on the grid then
// holds two samples, as with real scrapes, so the ledger's 5-minute buckets are exact.
const firstS = Math.ceil((t0S - HISTORY_S) / STEP_S) * STEP_S;
const lastS = t0S - END_BEFORE_T0_S;
// 5-minute steps, then the last hours at the scrape interval: rate() windows that span the
// join of history and live scrapes then see evenly spaced samples (no extrapolation dip).
const fineFromS = t0S - FINE_TAIL_S;
const steps = [];
for (let t = firstS; t <= fineFromS; t += STEP_S) steps.push(t);
for (let t = steps.at(-1) + FINE_STEP_S; t <= lastS; t += FINE_STEP_S) steps.push(t);

const layout = seriesAt(t0Ms, t0Ms); // order and identity of the series
const values = layout.map(() => new Float64Array(steps.length));
steps.forEach((tS, k) => {
  const row = seriesAt(tS * 1000, t0Ms);
  for (let i = 0; i < row.length; i++) values[i][k] = row[i].value;
});

// ---- 2. OpenMetrics text, family by family, each series in time order -----------------
const HELP = {
  http_requests: 'HTTP requests by status code (demo data).',
  jobs_processed: 'Background jobs processed by outcome (demo data).',
  events_processed: 'Stream events processed by outcome (demo data).',
  http_request_duration_seconds: 'HTTP request latency (demo data).',
  http_server_request_duration_seconds: 'HTTP server request duration, OpenTelemetry semantic conventions (demo data).',
  http_server_requests_seconds: 'HTTP server requests, Micrometer (demo data).',
  coupon_redemptions: 'Coupon redemptions by result (demo data).',
  traces_service_graph_request: 'Requests between services seen by tracing, as Tempo counts them (demo data).',
};

const fd = openSync(omFile, 'w');
let buffer = '';
let bytes = 0;
const write = (s) => {
  buffer += s;
  if (buffer.length > 1 << 20) flush();
};
const flush = () => {
  bytes += writeSync(fd, buffer);
  buffer = '';
};

let lastFamily = null;
let samples = 0;
layout.forEach((series, i) => {
  // OpenMetrics counters: family "x" of type counter, samples named "x_total".
  const family = series.type === 'counter' ? series.family.replace(/_total$/, '') : series.family;
  if (family !== lastFamily) {
    write(`# TYPE ${family} ${series.type}\n# HELP ${family} ${HELP[family] ?? ''}\n`);
    lastFamily = family;
  }
  const prefix = `${series.name}{${labelsKey(series.labels)}} `;
  const v = values[i];
  for (let k = 0; k < steps.length; k++) {
    write(`${prefix}${v[k]} ${steps[k]}\n`);
  }
  samples += steps.length;
});
write('# EOF\n');
flush();
closeSync(fd);
const generatedMs = Date.now() - startedAt;

const scenarioInfo = {
  t0Ms,
  t0: new Date(t0Ms).toISOString(),
  historyStart: new Date(firstS * 1000).toISOString(),
  historyEnd: new Date(lastS * 1000).toISOString(),
  stepSeconds: STEP_S,
  fineTail: { fromS: FINE_TAIL_S, stepSeconds: FINE_STEP_S },
  services: SCENARIO.map((s) => s.name),
  series: layout.length,
  samples,
};
writeFileSync(join(DEMO, 'scenario.json'), JSON.stringify(scenarioInfo, null, 2) + '\n');

console.log(
  `backfill: T0 ${scenarioInfo.t0}; ${layout.length} series x ${steps.length} timestamps = ` +
    `${samples.toLocaleString('en-US')} samples; ${(bytes / 1e6).toFixed(1)} MB OpenMetrics ` +
    `written in ${(generatedMs / 1000).toFixed(1)} s (${omFile})`,
);

// ---- 3. promtool -------------------------------------------------------------------------
if (!flag('--no-promtool')) {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const promtool = process.env.PROMTOOL ?? 'promtool';
  const t = Date.now();
  const res = spawnSync(
    promtool,
    ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${MAX_BLOCK_DURATION}`, omFile, dataDir],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (res.error || res.status !== 0) {
    console.error(`backfill: promtool failed (${res.error?.message ?? `exit ${res.status}`}); kept ${omFile}`);
    process.exit(1);
  }
  const blocks = spawnSync('sh', ['-c', `ls -d "${dataDir}"/01* | wc -l; du -sh "${dataDir}" | cut -f1`], {
    encoding: 'utf8',
  }).stdout.trim().split('\n');
  console.log(
    `backfill: promtool created ${blocks[0]} block(s), ${blocks[1]}, in ${((Date.now() - t) / 1000).toFixed(1)} s (${dataDir})`,
  );
  if (!flag('--keep-file')) rmSync(omFile);
}
