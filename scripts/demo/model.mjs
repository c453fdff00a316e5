// Deterministic traffic model of the NthLayer demo (no dependencies, plain Node ESM).
//
// Every series is a counter whose value at time t is the closed-form integral of its rate
// from the series' start (T0 - 31 d) to t, so the backfilled history (backfill.mjs) and the
// live exporter (exporter.mjs) produce exactly the same numbers and counters never reset.
//
// Traffic:   rate(t) = base * (1 + A * sin(2*pi*(t - T0)/1d + phase))   [events/s]
// Errors:    errorFraction(t) * rate(t), errorFraction piecewise constant (baseline + incidents)
// Latency:   share of requests under each histogram bucket, piecewise constant as well
//
// The diurnal phase is relative to T0 (not to the wall clock), so the budget numbers at T0 are
// the same whenever the demo is generated.

export const DAY_S = 86400;
export const HOUR_S = 3600;
export const MIN_S = 60;
/** Series start, relative to T0 (seconds). */
export const HISTORY_S = 31 * DAY_S;
/** Diurnal amplitude. */
export const DIURNAL_AMPLITUDE = 0.3;
const OMEGA = (2 * Math.PI) / DAY_S;

/** Histogram buckets of http_request_duration_seconds, in seconds, formatted Go-style. */
export const LE_BUCKETS = [0.05, 0.1, 0.25, 0.3, 0.5, 1, 2, 5, Infinity];
export const formatLe = (le) => (le === Infinity ? '+Inf' : String(le));

/** Status split of api requests: good events are 200/404, errors 500/503. */
const API_GOOD_STATUS = [['200', 0.96], ['404', 0.04]];
const API_BAD_STATUS = [['500', 0.7], ['503', 0.3]];
const GOOD_STATUS = {
  api: API_GOOD_STATUS,
  worker: [['succeeded', 1]],
  stream: [['ok', 1]],
};
const BAD_STATUS = {
  api: API_BAD_STATUS,
  worker: [['failed', 1]],
  stream: [['error', 1]],
};
export const METRIC = {
  api: 'http_requests_total',
  worker: 'jobs_processed_total',
  stream: 'events_processed_total',
};
export const LATENCY_METRIC = 'http_request_duration_seconds';

/**
 * Other instrumentations a demo api service may export instead of this project's convention
 * (`instrumentation` in SCENARIO): the metric family and the labels of each status, as the
 * OpenTelemetry Prometheus exporter and Micrometer write them. NthLayer resolves them.
 */
export const INSTRUMENTATIONS = {
  'otel-http': {
    family: 'http_server_request_duration_seconds',
    // OpenTelemetry puts service.name into job; honor_labels keeps it.
    serviceLabels: (svc) => ({ job: svc.name, instance: TARGET_LABELS.instance }),
    statusLabels: (status) => ({ http_request_method: 'GET', http_response_status_code: status }),
  },
  micrometer: {
    family: 'http_server_requests_seconds',
    serviceLabels: (svc) => ({ application: svc.name, ...TARGET_LABELS }),
    statusLabels: (status) => ({
      method: 'GET',
      outcome: status.startsWith('5') ? 'SERVER_ERROR' : status.startsWith('4') ? 'CLIENT_ERROR' : 'SUCCESS',
      status,
      uri: '/api',
    }),
  },
};

/**
 * Target labels carried by every series, in the backfill and in the exporter's output alike
 * (Prometheus scrapes with honor_labels: true), so the scraped samples continue the very same
 * series as the history instead of starting new ones with the scrape's job/instance.
 */
export const TARGET_LABELS = { job: 'nthlayer-demo', instance: 'nthlayer-demo-exporter' };

/** Tier defaults (DESIGN §2). */
export const TIER_DEFAULTS = {
  1: { availability: 99.9, latency: { percentile: 95, thresholdMs: 500 }, window: '30d' },
  2: { availability: 99.5, latency: { percentile: 95, thresholdMs: 1000 }, window: '30d' },
  3: { availability: 99.0, latency: { percentile: 95, thresholdMs: 2000 }, window: '30d' },
};

// Latency profiles: cumulative share of requests <= each LE_BUCKETS bound.
//                  0.05   0.1    0.25   0.3    0.5     1       2       5       +Inf
const FAST = [0.62, 0.86, 0.975, 0.9955, 0.9975, 0.9992, 0.9998, 0.99995, 1];
const SNAPPY = [0.7, 0.93, 0.992, 0.9965, 0.9985, 0.9995, 0.9999, 0.99998, 1];
const NORMAL = [0.35, 0.6, 0.85, 0.89, 0.95, 0.985, 0.996, 0.9995, 1];
const SLOW = [0.1, 0.22, 0.45, 0.52, 0.72, 0.96, 0.99, 0.999, 1];
const DEGRADED = [0.15, 0.3, 0.5, 0.55, 0.7, 0.85, 0.95, 0.99, 1];
const EDGE = [0.4, 0.72, 0.93, 0.955, 0.985, 0.996, 0.999, 0.9999, 1];

/** An incident: [from, to) relative to T0 in seconds (to may be Infinity: still going on). */
const h = (hours) => hours * HOUR_S;
const d = (days) => days * DAY_S;

/**
 * Per-service parameters. Keep in sync with catalog-info/components.yaml (name, team, tier,
 * type and the nthlayer.dev/slo-* annotations; expected-budgets.mjs --catalog compares them).
 *
 * base: mean events/s; phase: diurnal phase (rad); errors: baseline error fraction;
 * incidents: [{from, to, errors?, latency?, note}]; latency: baseline profile (api only).
 */
export const SCENARIO = [
  {
    name: 'checkout-api', team: 'team-payments', tier: 1, type: 'api', base: 42, phase: 0,
    errors: 0.0002, latency: FAST,
    // The bad deploy starts exactly where the burn does; the rollback where it eases.
    // v4.17.0 (20 days ago) was followed by a short incident: the history that makes the
    // ledger's confidence in v4.18.0 high.
    deployments: [
      { at: -d(20), version: 'v4.17.0', author: 'dana', status: 'succeeded' },
      { at: -d(10), version: 'v4.17.3', author: 'dana', status: 'succeeded' },
      { at: -h(72), version: 'v4.18.0', author: 'dana', status: 'rolled_back' },
      { at: -h(72) + h(1.5), version: 'v4.17.3', author: 'dana', status: 'succeeded', labels: ['rollback'] },
    ],
    incidents: [
      { from: -d(20) + h(0.25), to: -d(20) + h(1), errors: 0.012, note: 'slow checkout query after v4.17.0' },
      { from: -h(72), to: -h(72) + h(1.5), errors: 0.18, latency: DEGRADED, note: 'bad deploy v4.18.0' },
      { from: -h(72) + h(1.5), to: -h(72) + h(3), errors: 0.075, latency: SLOW, note: 'partial rollback' },
      { from: -h(72) + h(3), to: -h(72) + h(5), errors: 0.02, note: 'cache warm-up after rollback' },
    ],
  },
  {
    name: 'payment-api', team: 'team-payments', tier: 1, type: 'api', base: 26, phase: 0.2,
    errors: 0.0004, latency: FAST,
    deployments: [{ at: -d(6), version: 'v2.3.0', author: 'sam', status: 'succeeded' }],
    incidents: [
      { from: -d(9), to: -d(9) + h(4), errors: 0.06, latency: SLOW, note: 'card processor outage' },
      { from: -h(36), to: Infinity, errors: 0.015, note: 'orders-db replication lag (ongoing)' },
    ],
  },
  {
    name: 'refund-worker', team: 'team-payments', tier: 2, type: 'worker', base: 2.5, phase: 0.4,
    errors: 0.0012,
    incidents: [{ from: -d(9), to: -d(9) + h(4), errors: 0.05, note: 'card processor outage' }],
  },
  {
    name: 'legacy-billing', team: 'team-payments', tier: 2, type: 'api', base: 4, phase: 0.1,
    errors: 0.0009, latency: NORMAL, incidents: [],
    slo: { availability: '100.5' },
  },
  {
    name: 'auth-api', team: 'team-platform', tier: 1, type: 'api', base: 55, phase: -0.1,
    deployments: [{ at: -d(4), version: 'v1.9.2', author: 'lee', status: 'succeeded' }],
    errors: 0.00008, latency: SNAPPY,
    incidents: [{ from: -d(17), to: -d(17) + h(0.5), errors: 0.03, note: 'redis failover' }],
    slo: { availability: '99.95' },
  },
  {
    name: 'api-gateway', team: 'team-platform', tier: 1, type: 'api', base: 60, phase: 0,
    errors: 0.00015, latency: EDGE,
    incidents: [{ from: -h(72), to: -h(72) + h(1.5), errors: 0.01, note: 'checkout-api bad deploy' }],
  },
  {
    name: 'notification-worker', team: 'team-platform', tier: 3, type: 'worker', base: 6, phase: 0.7,
    errors: 0.002, incidents: [{ from: -d(22), to: -d(22) + h(2), errors: 0.08, note: 'SMTP relay down' }],
  },
  {
    name: 'catalog-api', team: 'team-growth', tier: 2, type: 'api', base: 35, phase: 0.3,
    errors: 0.0008, latency: FAST, incidents: [],
    // A Spring Boot service: Micrometer's http_server_requests_seconds (pinned in the catalog).
    instrumentation: 'micrometer',
    slo: { latency: 'p99<300ms' },
  },
  {
    name: 'search-api', team: 'team-growth', tier: 2, type: 'api', base: 20, phase: 0.3,
    errors: 0.0011, latency: NORMAL,
    // Instrumented with OpenTelemetry: http_server_request_duration_seconds (resolved, not pinned).
    instrumentation: 'otel-http',
    incidents: [{ from: -d(6), to: -d(6) + h(1), errors: 0.04, latency: DEGRADED, note: 'index rebuild' }],
    slo: { window: '28d' },
  },
  {
    name: 'recommendations-api', team: 'team-growth', tier: 2, type: 'api', base: 12, phase: 0.5,
    errors: 0.0015, latency: SLOW, incidents: [],
    // Its SLOs come from an OpenSLO document (catalog-info/openslo/, nthlayer.dev/openslo):
    // 99.7 % served over 7 d from its own counter, and 90 % within 1 s from the histogram.
    openslo: 'recommendations-api.yaml',
    customCounter: { name: 'recommendation_requests_total', good: 'served', bad: 'failed' },
    slo: { availability: '99.7', window: '7d', latency: 'p90<1000ms' },
  },
  {
    name: 'campaign-worker', team: 'team-growth', tier: 3, type: 'worker', base: 2, phase: 1.2,
    errors: 0.003, incidents: [],
  },
  {
    name: 'coupon-api', team: 'team-growth', tier: 3, type: 'api', base: 5, phase: 0.6,
    errors: 0.0025, latency: NORMAL, incidents: [],
    // Counts redemptions in its own counter; the catalog declares it with nthlayer.dev/sli-good
    // and sli-total. Latency keeps this project's histogram.
    customCounter: { name: 'coupon_redemptions_total', good: 'redeemed', bad: 'failed' },
  },
  {
    name: 'order-events-stream', team: 'team-data', tier: 2, type: 'stream', base: 30, phase: 0.2,
    errors: 0.0006,
    incidents: [{ from: -d(12), to: -d(12) + h(0.5), errors: 0.05, note: 'broker rebalance' }],
  },
  {
    name: 'search-indexer', team: 'team-data', tier: 2, type: 'stream', base: 8, phase: 0.9,
    errors: 0.001, incidents: [],
  },
  {
    name: 'clickstream-ingest', team: 'team-data', tier: 3, type: 'stream', base: 48, phase: 0.8,
    errors: 0.0035, incidents: [],
  },
  {
    name: 'report-worker', team: 'team-data', tier: 3, type: 'worker', base: 3, phase: 2.0,
    errors: 0.0018, incidents: [],
  },
];

/**
 * PagerDuty in the demo: no PagerDuty is reachable, so scripts/demo/record-incidents.mjs
 * delivers these incidents as signed v3 webhooks (incident.triggered, then incident.resolved)
 * to the backend, as a PagerDuty webhook subscription would. Entities carry the service ids
 * in `pagerduty.com/service-id` (catalog-info/). Times relative to T0 in seconds; `to: null`
 * is still open.
 */
export const PAGERDUTY_SERVICES = {
  'component:default/checkout-api': 'PDEMOCHK',
  'component:default/payment-api': 'PDEMOPAY',
  'resource:default/orders-db': 'PDEMODB1',
};
export const PAGERDUTY_INCIDENTS = [
  { id: 'Q0DEMO12251', entityRef: 'component:default/checkout-api', number: 12251, title: 'Checkout p95 above 1 s', urgency: 'low', from: -d(20) + h(0.25) + 8 * MIN_S, to: -d(20) + h(1) },
  { id: 'Q0DEMO12390', entityRef: 'component:default/checkout-api', number: 12390, title: 'Checkout 5xx spiking', urgency: 'high', from: -h(72) + 20 * MIN_S, to: -h(72) + h(3) },
  { id: 'Q0DEMO12133', entityRef: 'component:default/payment-api', number: 12133, title: 'Card processor outage', urgency: 'high', from: -d(9) + 10 * MIN_S, to: -d(9) + h(4) },
  { id: 'Q0DEMO12467', entityRef: 'resource:default/orders-db', number: 12467, title: 'orders-db replication lag', urgency: 'high', from: -h(36) + 5 * MIN_S, to: null },
];

/**
 * Calls seen by tracing, as Tempo's metrics generator counts them
 * (`traces_service_graph_request_total{client, server}`): client → [server, calls per request
 * of the client]. checkout-api calls coupon-api without declaring it (an undeclared
 * dependency); payment-api declares events-bus but never calls it (possibly stale).
 */
export const SERVICE_GRAPH = {
  'checkout-api': [
    ['payment-api', 0.4], ['auth-api', 0.9], ['catalog-api', 0.6], ['orders-db', 0.8],
    ['session-cache', 1.5], ['events-bus', 0.3], ['coupon-api', 0.2],
  ],
  'payment-api': [['auth-api', 0.9], ['orders-db', 1.2]],
};

// ---------------------------------------------------------------------------------------
// Closed-form integrals. All times here are seconds relative to T0 (x = t - T0).

/** Events of a service in [a, b) (seconds relative to T0). */
export function traffic(svc, a, b) {
  if (!(b > a)) return 0;
  const A = DIURNAL_AMPLITUDE;
  const cos = (x) => Math.cos(OMEGA * x + svc.phase);
  return svc.base * ((b - a) - (A / OMEGA) * (cos(b) - cos(a)));
}

/**
 * Pieces of [a, b) with the parameters in force: [{a, b, incident|null}]. Incidents must
 * not overlap (checked once in validateScenario).
 */
function pieces(svc, a, b) {
  const out = [];
  let cursor = a;
  const sorted = [...svc.incidents].sort((x, y) => x.from - y.from);
  for (const inc of sorted) {
    if (inc.to <= cursor || inc.from >= b) continue;
    if (inc.from > cursor) out.push({ a: cursor, b: inc.from, incident: null });
    const end = Math.min(inc.to, b);
    out.push({ a: Math.max(cursor, inc.from), b: end, incident: inc });
    cursor = end;
  }
  if (cursor < b) out.push({ a: cursor, b, incident: null });
  return out;
}

/** Integral of rate over [a, b) clipped to the series' life [-HISTORY_S, ...). */
function clip(a) {
  return Math.max(a, -HISTORY_S);
}

/**
 * Totals over [a, b) (relative seconds): total events, error events and, for api services,
 * events under each bucket and the duration sum.
 */
export function totals(svc, a, b) {
  a = clip(a);
  const res = { total: 0, errors: 0, buckets: null, sum: 0 };
  if (!(b > a)) {
    if (svc.type === 'api') res.buckets = LE_BUCKETS.map(() => 0);
    return res;
  }
  if (svc.type === 'api') res.buckets = LE_BUCKETS.map(() => 0);
  for (const p of pieces(svc, a, b)) {
    const n = traffic(svc, p.a, p.b);
    const errFrac = p.incident?.errors ?? svc.errors;
    res.total += n;
    res.errors += errFrac * n;
    if (svc.type === 'api') {
      const prof = p.incident?.latency ?? svc.latency;
      prof.forEach((f, i) => {
        res.buckets[i] += f * n;
      });
      res.sum += meanLatency(prof) * n;
    }
  }
  return res;
}

/** Mean latency (s) of a profile: midpoint of each bucket (7.5 s above 5 s). */
export function meanLatency(prof) {
  let prevLe = 0;
  let prevF = 0;
  let mean = 0;
  LE_BUCKETS.forEach((le, i) => {
    const mid = le === Infinity ? 7.5 : (prevLe + le) / 2;
    mean += (prof[i] - prevF) * mid;
    prevLe = le;
    prevF = prof[i];
  });
  return mean;
}

// ---------------------------------------------------------------------------------------
// Series

const labelsKey = (labels) =>
  Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
export { labelsKey };

/**
 * Every series of every service at absolute time tMs for a scenario anchored at t0Ms.
 * Returns [{name, family, type, labels, value}] grouped by family (Prometheus text order):
 * the three request counters, then the latency histogram (bucket..., sum, count per service).
 * Counter values are whole events (floor of the closed-form integral, so still monotonic);
 * the duration sum is rounded to milliseconds.
 */
export function seriesAt(tMs, t0Ms) {
  const x = (tMs - t0Ms) / 1000;
  const byFamily = { api: [], worker: [], stream: [], hist: [], otel: [], micrometer: [], custom: [], graph: [] };
  for (const svc of SCENARIO) {
    const r = totals(svc, -HISTORY_S, x);
    for (const [server, perRequest] of SERVICE_GRAPH[svc.name] ?? []) {
      byFamily.graph.push(counter('traces_service_graph_request_total', { client: svc.name, server, ...TARGET_LABELS }, r.total * perRequest));
    }
    const good = r.total - r.errors;
    if (svc.instrumentation) {
      instrumentedSeries(svc, r, good, byFamily);
      continue;
    }
    const fam = byFamily[svc.type];
    const metric = METRIC[svc.type];
    if (svc.customCounter) {
      const c = svc.customCounter;
      byFamily.custom.push(counter(c.name, { app: svc.name, result: c.good, ...TARGET_LABELS }, good));
      byFamily.custom.push(counter(c.name, { app: svc.name, result: c.bad, ...TARGET_LABELS }, r.errors));
    } else
    for (const [status, share] of GOOD_STATUS[svc.type]) {
      fam.push(counter(metric, { service: svc.name, status, ...TARGET_LABELS }, good * share));
    }
    if (!svc.customCounter) for (const [status, share] of BAD_STATUS[svc.type]) {
      fam.push(counter(metric, { service: svc.name, status, ...TARGET_LABELS }, r.errors * share));
    }
    if (svc.type === 'api') {
      const family = LATENCY_METRIC;
      LE_BUCKETS.forEach((le, i) => {
        byFamily.hist.push({
          name: `${family}_bucket`, family, type: 'histogram',
          labels: { service: svc.name, le: formatLe(le), ...TARGET_LABELS },
          value: Math.floor(r.buckets[i] + 1e-6),
        });
      });
      byFamily.hist.push({
        name: `${family}_sum`, family, type: 'histogram',
        labels: { service: svc.name, ...TARGET_LABELS }, value: Math.round(r.sum * 1000) / 1000,
      });
      byFamily.hist.push({
        name: `${family}_count`, family, type: 'histogram',
        labels: { service: svc.name, ...TARGET_LABELS }, value: Math.floor(r.buckets[LE_BUCKETS.length - 1] + 1e-6),
      });
    }
  }
  return [...byFamily.api, ...byFamily.worker, ...byFamily.stream, ...byFamily.hist, ...byFamily.otel, ...byFamily.micrometer, ...byFamily.custom, ...byFamily.graph];
}

/**
 * An api service's requests as one histogram per status (OpenTelemetry, Micrometer): each
 * status gets its share of every bucket; the `_count` of the statuses sum to the requests.
 */
function instrumentedSeries(svc, r, good, byFamily) {
  const kind = INSTRUMENTATIONS[svc.instrumentation];
  const out = svc.instrumentation === 'otel-http' ? byFamily.otel : byFamily.micrometer;
  const total = r.buckets[LE_BUCKETS.length - 1];
  const statuses = [
    ...API_GOOD_STATUS.map(([status, share]) => [status, total > 0 ? (good * share) / r.total : 0]),
    ...API_BAD_STATUS.map(([status, share]) => [status, total > 0 ? (r.errors * share) / r.total : 0]),
  ];
  const family = kind.family;
  for (const [status, fraction] of statuses) {
    const labels = { ...kind.serviceLabels(svc), ...kind.statusLabels(status) };
    LE_BUCKETS.forEach((le, i) => {
      out.push({ name: `${family}_bucket`, family, type: 'histogram', labels: { ...labels, le: formatLe(le) }, value: Math.floor(r.buckets[i] * fraction + 1e-6) });
    });
    out.push({ name: `${family}_sum`, family, type: 'histogram', labels, value: Math.round(r.sum * fraction * 1000) / 1000 });
    out.push({ name: `${family}_count`, family, type: 'histogram', labels, value: Math.floor(total * fraction + 1e-6) });
  }
}

function counter(name, labels, value) {
  return { name, family: name, type: 'counter', labels, value: Math.floor(value + 1e-6) };
}

// ---------------------------------------------------------------------------------------
// SLOs and budgets (DESIGN §3), computed independently of Prometheus.

const WINDOW_MIN = { m: 1, h: 60, d: 1440, w: 10080 };
export function parseWindow(text) {
  const m = /^([1-9][0-9]*)([mhdw])$/.exec(String(text).trim());
  if (!m) return undefined;
  const minutes = Number(m[1]) * WINDOW_MIN[m[2]];
  return minutes >= 60 && minutes <= 90 * 1440 ? { text: `${m[1]}${m[2]}`, minutes } : undefined;
}
export function parseLatency(text) {
  const m = /^p(\d{2}(?:\.\d+)?)\s*<\s*(\d+(?:\.\d+)?)\s*(ms|s)$/i.exec(String(text).trim());
  if (!m) return undefined;
  const percentile = Number(m[1]);
  const thresholdMs = Number(m[2]) * (m[3].toLowerCase() === 's' ? 1000 : 1);
  return percentile >= 50 && percentile < 100 && thresholdMs > 0 ? { percentile, thresholdMs } : undefined;
}

/** The SLOs of a service as NthLayer derives them (invalid overrides fall back to defaults). */
export function slosOf(svc) {
  const def = TIER_DEFAULTS[svc.tier];
  const notes = [];
  const window = parseWindow(svc.slo?.window ?? def.window) ?? parseWindow(def.window);
  let availability = def.availability;
  if (svc.slo?.availability !== undefined) {
    const v = Number(svc.slo.availability);
    if (Number.isFinite(v) && v > 0 && v < 100) availability = v;
    else notes.push(`invalid slo-availability "${svc.slo.availability}", tier default used`);
  }
  const slos = [{ slo: 'availability', target: availability / 100, window }];
  if (svc.type === 'api') {
    let latency = def.latency;
    if (svc.slo?.latency !== undefined) {
      const parsed = parseLatency(svc.slo.latency);
      if (parsed) latency = parsed;
      else notes.push(`invalid slo-latency "${svc.slo.latency}", tier default used`);
    }
    const le = latency.thresholdMs / 1000;
    const bucket = LE_BUCKETS.indexOf(le);
    if (bucket < 0) throw new Error(`${svc.name}: no histogram bucket at le=${le}`);
    slos.push({
      slo: 'latency', target: latency.percentile / 100, window,
      objective: `p${latency.percentile}<${latency.thresholdMs}ms`, le: formatLe(le), bucket,
    });
  }
  return { slos, notes };
}

export function statusOf(remainingRatio) {
  if (remainingRatio <= 0) return 'exhausted';
  if (remainingRatio < 0.1) return 'critical';
  if (remainingRatio < 0.25) return 'warning';
  return 'healthy';
}

/**
 * Expected good/total events and error budget of every SLO at absolute time tMs, computed
 * in closed form over each SLO's window (t - W, t]. Returns one row per service and SLO.
 */
export function expectedBudgets(tMs, t0Ms) {
  const x = (tMs - t0Ms) / 1000;
  const rows = [];
  for (const svc of SCENARIO) {
    const { slos, notes } = slosOf(svc);
    for (const s of slos) {
      const W = s.window.minutes;
      const r = totals(svc, x - W * MIN_S, x);
      const total = r.total;
      const good = s.slo === 'latency' ? r.buckets[s.bucket] : r.total - r.errors;
      const e = total > 0 ? 1 - good / total : NaN;
      const budgetMin = (1 - s.target) * W;
      const consumedMin = e * W;
      const remainingMin = budgetMin - consumedMin;
      const remainingRatio = 1 - e / (1 - s.target);
      rows.push({
        service: svc.name, type: svc.type, tier: svc.tier, team: svc.team, slo: s.slo,
        target: s.target, objective: s.objective, le: s.le, window: s.window.text,
        windowMin: W, good, total, budgetMin, consumedMin, remainingMin, remainingRatio,
        status: total > 0 ? statusOf(remainingRatio) : 'no data', notes,
      });
    }
  }
  return rows;
}

/** Sanity checks of the scenario itself (incidents ordered and disjoint, profiles monotone). */
export function validateScenario() {
  const problems = [];
  for (const svc of SCENARIO) {
    const incs = [...svc.incidents].sort((a, b) => a.from - b.from);
    for (let i = 1; i < incs.length; i++) {
      if (incs[i].from < incs[i - 1].to) problems.push(`${svc.name}: overlapping incidents`);
    }
    for (const inc of incs) if (!(inc.to > inc.from)) problems.push(`${svc.name}: empty incident`);
    const profs = [svc.latency, ...incs.map((i) => i.latency)].filter(Boolean);
    for (const p of profs) {
      if (p.length !== LE_BUCKETS.length || p.at(-1) !== 1) problems.push(`${svc.name}: bad profile`);
      for (let i = 1; i < p.length; i++) if (p[i] < p[i - 1]) problems.push(`${svc.name}: profile not cumulative`);
    }
    if (svc.type === 'api' && !svc.latency) problems.push(`${svc.name}: api without latency profile`);
  }
  return problems;
}

/**
 * The demo's deployments as `POST /api/nthlayer/v1/deployments` bodies, at their times for
 * a scenario whose T0 is `t0Ms` (each deploy takes five minutes).
 */
export function deploymentsOf(t0Ms) {
  return SCENARIO.flatMap(svc =>
    (svc.deployments ?? []).map(dep => ({
      entityRef: `component:default/${svc.name}`,
      version: dep.version,
      author: dep.author,
      status: dep.status,
      startedAt: new Date(t0Ms + dep.at * 1000).toISOString(),
      finishedAt: new Date(t0Ms + (dep.at + 5 * MIN_S) * 1000).toISOString(),
      source: 'nthlayer-demo',
      labels: dep.labels ?? [],
    })),
  );
}

/**
 * The burn episodes the ledger should find, in closed form: the intervals inside the SLO
 * window at tMs where the error fraction is above the budget's pace (burn rate > 1), merged
 * when adjacent, each with the budget minutes it burned (its errors × W / the window's events,
 * events-weighted as the budget). Availability SLOs only; times are absolute ms.
 */
export function expectedEpisodes(tMs, t0Ms) {
  const x = (tMs - t0Ms) / 1000;
  const out = [];
  for (const svc of SCENARIO) {
    const { slos } = slosOf(svc);
    const s = slos.find((slo) => slo.slo === 'availability');
    if (!s) continue;
    const W = s.window.minutes;
    const from = Math.max(x - W * MIN_S, -HISTORY_S);
    const windowTotal = totals(svc, from, x).total;
    const allowed = 1 - s.target;
    const episodes = [];
    for (const p of pieces(svc, from, x)) {
      const errFrac = p.incident?.errors ?? svc.errors;
      if (!(errFrac > allowed)) continue;
      const errors = errFrac * traffic(svc, p.a, p.b);
      const last = episodes.at(-1);
      if (last && last.b === p.a) {
        last.b = p.b;
        last.errors += errors;
      } else episodes.push({ a: p.a, b: p.b, errors });
    }
    for (const e of episodes) {
      out.push({
        service: svc.name,
        start: new Date(t0Ms + e.a * 1000).toISOString(),
        end: new Date(t0Ms + e.b * 1000).toISOString(),
        burnedMinutes: (e.errors * W) / windowTotal,
      });
    }
  }
  return out;
}

/** The PagerDuty incidents at absolute times (ISO), for record-incidents.mjs. */
export function pagerdutyIncidentsOf(t0Ms) {
  const at = (x) => new Date(t0Ms + x * 1000).toISOString();
  return PAGERDUTY_INCIDENTS.map((i) => ({
    ...i,
    serviceId: PAGERDUTY_SERVICES[i.entityRef],
    createdAt: at(i.from),
    resolvedAt: i.to === null ? null : at(i.to),
  }));
}

