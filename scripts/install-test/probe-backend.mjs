// Asks the freshly installed NthLayer backend what an adopter would: is it up, does it
// refuse anonymous calls, does it serve an annotated entity's SLOs (after a real refresh
// against the Prometheus it was configured with) and its generated configs.
// Env: NTHLAYER_URL (…/api/nthlayer), NTHLAYER_TOKEN (static external access token),
// NTHLAYER_BACKEND_PID and NTHLAYER_BACKEND_LOG (to fail fast with the log if it dies).
import fs from 'node:fs';

const base = process.env.NTHLAYER_URL;
const token = process.env.NTHLAYER_TOKEN;
const pid = Number(process.env.NTHLAYER_BACKEND_PID);
const entity = 'component/default/install-check-api';
const auth = { Authorization: `Bearer ${token}` };

function fail(message) {
  const log = process.env.NTHLAYER_BACKEND_LOG;
  const tail = log && fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-60).join('\n') : '';
  console.error(`install probe failed: ${message}\n--- backend log (tail) ---\n${tail}`);
  process.exit(1);
}

function alive() {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function call(path, init = {}) {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: Object.fromEntries(res.headers) };
}

/** Polls `path` until `done(response)` or the deadline; the backend must stay alive. */
async function until(what, path, init, done, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) fail(`the backend exited while waiting for ${what}`);
    try {
      const response = await call(path, init);
      if (done(response)) return response;
      last = `${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return fail(`timed out after ${seconds} s waiting for ${what}; last: ${last}`);
}

function check(condition, message) {
  if (!condition) fail(message);
  console.log(`  ok: ${message}`);
}

const started = Date.now();
const health = await until('GET /health', '/health', {}, r => r.status === 200, 180);
check(health.body.status === 'ok', `GET /api/nthlayer/health answers status ok (${Math.round((Date.now() - started) / 1000)} s after start)`);

check(
  JSON.stringify(Object.keys(health.body)) === '["status"]',
  `unauthenticated, /health tells only its status (${JSON.stringify(health.body)})`,
);
const details = await call('/v1/health');
check(details.status === 401, `the details at /v1/health need a login (${details.status})`);

const anonymous = await call(`/v1/entities/${entity}/slos`);
check(anonymous.status === 401, `an anonymous GET .../slos is refused (${anonymous.status})`);

const slos = await until('the catalog to ingest the entity', `/v1/entities/${entity}/slos`, { headers: auth }, r => r.status !== 404, 120);
check(slos.status === 200, `GET .../slos answers 200 (${slos.status})`);
check(slos.body.entityRef === 'component:default/install-check-api', `it is the annotated entity's (${slos.body.entityRef})`);
check(slos.body.service?.name === 'install-check-api' && slos.body.service?.tier === 1, 'its service is install-check-api, tier 1');
const availability = slos.body.slos.find(s => s.kind === 'availability');
check(availability?.targetPercent === 99.95, `availability target from the annotation: ${availability?.targetPercent}`);
check(slos.body.slos.some(s => s.kind === 'latency'), 'the tier-1 latency SLO is there too');

// 202: the scheduled task is triggered; 409 while it is running already (the first scheduled
// run may be under way), then ask again.
const refresh = await until('POST /v1/refresh to trigger the budget task', '/v1/refresh', { method: 'POST', headers: auth }, r => r.status !== 409, 60);
check(refresh.status === 202, `POST /v1/refresh triggers the budget task (${refresh.status}: ${JSON.stringify(refresh.body).slice(0, 200)})`);
const after = await until(
  'the budget task to measure the entity against the real Prometheus',
  `/v1/entities/${entity}/slos`,
  { headers: auth },
  r => r.status === 200 && r.body.slos.every(s => s.status !== 'pending'),
  120,
);
check(after.status === 200 && after.body.slos.every(s => !s.stale && !s.error), 'after the refresh no SLO is stale (Prometheus answered)');
const again = await call('/v1/refresh', { method: 'POST', headers: auth });
check(
  again.status === 429 && Number(again.headers?.['retry-after']) > 0,
  `a second manual refresh right away is refused (${again.status}, Retry-After ${again.headers?.['retry-after']})`,
);
check(after.body.slos.every(s => s.status === 'no-data'), `an empty Prometheus means no data: ${after.body.slos.map(s => s.status).join(', ')}`);

const artifacts = await call(`/v1/entities/${entity}/artifacts`, { headers: auth });
check(artifacts.status === 200, `GET .../artifacts answers 200 (${artifacts.status})`);
const kinds = artifacts.body.artifacts.map(a => a.kind).sort();
for (const kind of ['grafana-dashboard', 'openslo', 'pagerduty', 'prometheus-rules', 'technology-alerts']) {
  check(kinds.includes(kind), `a ${kind} artifact is generated`);
}
const tech = artifacts.body.artifacts.find(a => a.kind === 'technology-alerts');
const techContent = await call(`/v1/entities/${entity}/artifacts/${tech.id}`, { headers: auth });
check(
  techContent.status === 200 && String(techContent.body).includes('pg_'),
  'the technology alerts for the PostgreSQL dependency come from the catalogue shipped in the tarball',
);
console.log(`install probe passed in ${Math.round((Date.now() - started) / 1000)} s`);
