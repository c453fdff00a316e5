#!/usr/bin/env node
// Serves the demo series in the Prometheus text format, continuing the backfilled history:
// every scrape returns seriesAt(now, T0) from model.mjs, T0 read from .demo/scenario.json.
//
//   NTHLAYER_DEMO_EXPORTER_PORT=9464 node scripts/demo/exporter.mjs
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seriesAt, labelsKey } from './model.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SCENARIO_FILE = join(ROOT, '.demo', 'scenario.json');
/** Only file names, no paths: nothing outside catalog-info/openslo/ is served. */
const OPENSLO_PATH = /^\/catalog-info\/openslo\/[a-z0-9-]+\.yaml$/;
const HOST = process.env.NTHLAYER_DEMO_EXPORTER_HOST ?? '127.0.0.1';
const PORT = Number(process.env.NTHLAYER_DEMO_EXPORTER_PORT ?? 9464);

let t0Ms;
try {
  t0Ms = JSON.parse(readFileSync(SCENARIO_FILE, 'utf8')).t0Ms;
} catch (e) {
  console.error(`exporter: cannot read ${SCENARIO_FILE} (run backfill.mjs first): ${e.message}`);
  process.exit(1);
}

const HELP = {
  http_requests_total: 'HTTP requests by status code (demo data).',
  jobs_processed_total: 'Background jobs processed by outcome (demo data).',
  events_processed_total: 'Stream events processed by outcome (demo data).',
  http_request_duration_seconds: 'HTTP request latency (demo data).',
  http_server_request_duration_seconds: 'HTTP server request duration, OpenTelemetry semantic conventions (demo data).',
  http_server_requests_seconds: 'HTTP server requests, Micrometer (demo data).',
  coupon_redemptions_total: 'Coupon redemptions by result (demo data).',
  recommendation_requests_total: 'Recommendation requests by result (demo data).',
  traces_service_graph_request_total: 'Requests between services seen by tracing, as Tempo counts them (demo data).',
};

export function render(nowMs) {
  const lines = [];
  let family = null;
  for (const s of seriesAt(nowMs, t0Ms)) {
    if (s.family !== family) {
      family = s.family;
      lines.push(`# HELP ${family} ${HELP[family] ?? ''}`, `# TYPE ${family} ${s.type}`);
    }
    lines.push(`${s.name}{${labelsKey(s.labels)}} ${s.value}`);
  }
  return lines.join('\n') + '\n';
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
  } else if (path === '/metrics') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : render(Date.now()));
  } else if (OPENSLO_PATH.test(path)) {
    // The demo's OpenSLO documents, read by the backend's UrlReader (nthlayer.dev/openslo).
    const file = join(ROOT, 'catalog-info', 'openslo', path.slice('/catalog-info/openslo/'.length));
    if (!existsSync(file)) {
      res.writeHead(404).end('not found\n');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/yaml; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file, 'utf8'));
    }
  } else if (path === '/' || path === '/-/healthy') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`NthLayer demo exporter - T0 ${new Date(t0Ms).toISOString()} - see /metrics\n`);
  } else {
    res.writeHead(404).end('not found\n');
  }
});

server.on('error', (e) => {
  console.error(`exporter: ${e.message}`);
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  console.log(`exporter: http://${HOST}:${PORT}/metrics (T0 ${new Date(t0Ms).toISOString()})`);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // Prometheus keeps its scrape connection alive
  });
}
