import { RunningPrometheus, captureOutput, counterSeries, rawSeries, startPrometheusWith } from '@internal/nthlayer-test-utils';
import {
  PortfolioResponse,
  PortfolioServiceInput,
  SloStatus,
  buildPortfolio,
  formatPortfolio,
} from '@nthlayer/backstage-plugin-common';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import { IncomingHttpHeaders, createServer } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../index';

async function portfolio(...args: string[]) {
  const { out, err } = captureOutput();
  const code = await main(['node', 'nthlayer', 'portfolio', ...args]);
  jest.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

/** A port nothing listens on (fetch refuses well-known ports such as 9). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

// The environment must not name a backend behind the tests' backs.
const savedEnv = { url: process.env.NTHLAYER_BACKEND_URL, token: process.env.NTHLAYER_TOKEN };
beforeEach(() => {
  delete process.env.NTHLAYER_BACKEND_URL;
  delete process.env.NTHLAYER_TOKEN;
});
afterAll(() => {
  if (savedEnv.url !== undefined) process.env.NTHLAYER_BACKEND_URL = savedEnv.url;
  if (savedEnv.token !== undefined) process.env.NTHLAYER_TOKEN = savedEnv.token;
});
afterEach(() => jest.restoreAllMocks());

/** One service as the backend feeds `buildPortfolio`: one availability SLO of 99.9 %. */
function input(
  name: string,
  owner: string,
  slo: { status: SloStatus; remainingRatio: number; sli: number },
  over: Partial<PortfolioServiceInput> = {},
): PortfolioServiceInput {
  const total = 100_000;
  return {
    entityRef: `component:default/${name}`,
    name,
    tier: 1,
    owner,
    system: 'system:default/payments',
    gateVerdict: 'allow',
    driftCritical: 0,
    ...over,
    scoreInput: {
      tier: over.tier ?? 1,
      slos: [
        {
          name: 'availability',
          kind: 'availability',
          targetPercent: 99.9,
          sli: slo.sli,
          status: slo.status,
          remainingRatio: slo.remainingRatio,
          goodEvents: Math.round((total * slo.sli) / 100),
          totalEvents: total,
        },
      ],
      incidents: { count: 0, open: 0, resolved: 0, mttrMinutes: null },
      deployments: { succeeded: 3, failed: 0, rolledBack: 0 },
      dependencies: [],
    },
  };
}

const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const GENERATED_AT = '2026-03-01T00:00:00.000Z';
const healthy = input('checkout-api', TEAM_A, { status: 'healthy', remainingRatio: 0.8, sli: 99.98 });
// 20 % of the budget left: the SLO is `warning`, so is the service.
const warning = input('search-api', TEAM_B, { status: 'warning', remainingRatio: 0.2, sli: 99.92 }, { tier: 2 });
// Overspent: exhausted, and the gate would block: critical.
const critical = input('payment-api', TEAM_A, { status: 'exhausted', remainingRatio: -0.5, sli: 99.85 }, { gateVerdict: 'block' });
const PORTFOLIOS: Record<'healthy' | 'warning' | 'critical', PortfolioResponse> = {
  healthy: buildPortfolio({ services: [healthy], generatedAt: GENERATED_AT }),
  warning: buildPortfolio({ services: [healthy, warning], generatedAt: GENERATED_AT }),
  critical: buildPortfolio({ services: [healthy, warning, critical], generatedAt: GENERATED_AT }),
};

interface Seen {
  method?: string;
  url: URL;
  headers: IncomingHttpHeaders;
}

describe('nthlayer portfolio --backend-url', () => {
  const seen: Seen[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  let backendUrl: string;
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: new URL(req.url ?? '/', 'http://backend'), headers: req.headers });
    res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
  });
  const serve = (p: PortfolioResponse) => {
    answer = { status: 200, body: JSON.stringify(p) };
  };

  beforeAll(async () => {
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    backendUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => new Promise(r => server.close(r)));
  beforeEach(() => {
    seen.length = 0;
  });

  it('asks GET /api/nthlayer/v1/portfolio with the filters, format=json and the token', async () => {
    serve(PORTFOLIOS.healthy);
    const run = await portfolio(
      '--backend-url', backendUrl, '--token', 'secret-token',
      '--group', TEAM_A, '--system', 'system:default/payments', '--tier', '1', '--format', 'json',
    );
    expect(run.err).toBe('');
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url.pathname).toBe('/api/nthlayer/v1/portfolio');
    expect(Object.fromEntries(seen[0].url.searchParams)).toEqual({
      format: 'json',
      group: TEAM_A,
      system: 'system:default/payments',
      tier: '1',
    });
    expect(seen[0].headers.authorization).toBe('Bearer secret-token');
    expect(JSON.parse(run.out)).toEqual(PORTFOLIOS.healthy);
    expect(run.code).toBe(0);
  });

  it('reads the backend and the token from NTHLAYER_BACKEND_URL and NTHLAYER_TOKEN, and sends no filter not given', async () => {
    serve(PORTFOLIOS.healthy);
    process.env.NTHLAYER_BACKEND_URL = `${backendUrl}/`;
    process.env.NTHLAYER_TOKEN = 'from-env';
    const run = await portfolio('--format', 'json');
    expect(run.code).toBe(0);
    expect(seen[0].url.pathname).toBe('/api/nthlayer/v1/portfolio');
    expect(seen[0].url.search).toBe('?format=json');
    expect(seen[0].headers.authorization).toBe('Bearer from-env');
  });

  it.each([
    ['healthy', 0],
    ['warning', 1],
    ['critical', 2],
  ] as const)('exits with the portfolio status: %s → %i', async (status, exit) => {
    expect(PORTFOLIOS[status].status).toBe(status);
    serve(PORTFOLIOS[status]);
    const run = await portfolio('--backend-url', backendUrl, '--token', 't');
    expect(run.code).toBe(exit);
    // The table's header line names the status, the org score and what the exit code means.
    expect(run.out.split('\n')[0]).toBe(
      `NthLayer portfolio: ${status.toUpperCase()}, org score ${PORTFOLIOS[status].org.score} (exit ${exit}: ${
        ['every service healthy', 'warnings, nothing critical', 'at least one service critical'][exit]
      })`,
    );
  });

  it('prints a table of teams, services and insights', async () => {
    const p = PORTFOLIOS.critical;
    serve(p);
    const run = await portfolio('--backend-url', backendUrl, '--token', 't');
    expect(run.code).toBe(2);
    const lines = run.out.trimEnd().split('\n');
    // Services critical first, then by score: payment-api, search-api, checkout-api.
    expect(p.services.map(s => s.name)).toEqual(['payment-api', 'search-api', 'checkout-api']);
    const services = lines.slice(lines.indexOf('services:') + 1, lines.indexOf('services:') + 5);
    expect(services[0].split(/\s{2,}/).filter(Boolean)).toEqual(['service', 'team', 'tier', 'status', 'budget left', 'score', 'gate']);
    const row = (i: number) => services[i].split(/\s{2,}/).filter(Boolean);
    expect(row(1)).toEqual(['payment-api', 'team-a', '1', 'critical', '-50 %', String(p.services[0].score), 'block']);
    expect(row(2)).toEqual(['search-api', 'team-b', '2', 'warning', '20 %', String(p.services[1].score), 'allow']);
    expect(row(3)).toEqual(['checkout-api', 'team-a', '1', 'healthy', '80 %', String(p.services[2].score), 'allow']);
    const teams = lines.slice(lines.indexOf('teams:') + 1, lines.indexOf('teams:') + 4).map(l => l.split(/\s{2,}/).filter(Boolean));
    expect(teams).toEqual([
      ['team', 'score', 'status', 'services'],
      ...p.teams.map(t => [t.ref.split('/')[1], String(t.score), t.status, `${t.services} (${t.byStatus.critical} critical, ${t.byStatus.warning} warning, ${t.byStatus.healthy} healthy)`]),
    ]);
    expect(p.insights.length).toBeGreaterThan(0);
    expect(lines.slice(lines.indexOf('insights:') + 1)).toEqual(p.insights.map(i => `  ${i.severity.padEnd(8)} ${i.message}`));
  });

  it('prints CSV that parses back to the services', async () => {
    const p = PORTFOLIOS.critical;
    serve(p);
    const run = await portfolio('--backend-url', backendUrl, '--token', 't', '--format', 'csv');
    expect(run.code).toBe(2);
    const rows = parse(run.out, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map(r => [r.entityRef, r.owner, r.tier, r.status, r.budgetStatus, r.minRemainingRatio, r.gateVerdict, r.score])).toEqual(
      p.services.map(s => [s.entityRef, s.owner, String(s.tier), s.status, s.budgetStatus, String(s.minRemainingRatio), s.gateVerdict, String(s.score)]),
    );
  });

  it('prints Markdown as the backend formats it', async () => {
    serve(PORTFOLIOS.warning);
    const run = await portfolio('--backend-url', backendUrl, '--token', 't', '--format', 'markdown');
    expect(run.code).toBe(1);
    expect(run.out).toBe(formatPortfolio(PORTFOLIOS.warning, 'markdown'));
  });

  it('exits 3 with the backend\'s message when it refuses the token (401)', async () => {
    answer = { status: 401, body: JSON.stringify({ error: { name: 'AuthenticationError', message: 'Illegal token' } }) };
    const run = await portfolio('--backend-url', backendUrl, '--token', 'wrong');
    expect(run.code).toBe(3);
    expect(run.out).toBe('');
    expect(run.err).toContain('no portfolio: the backend refused the token (401): Illegal token — check --token / NTHLAYER_TOKEN');
  });

  it('exits 3 on a 403, saying the portfolio needs no permission, only an accepted token', async () => {
    answer = { status: 403, body: JSON.stringify({ error: { name: 'NotAllowedError', message: 'restricted to plugin catalog' } }) };
    const run = await portfolio('--backend-url', backendUrl, '--token', 't');
    expect(run.code).toBe(3);
    expect(run.err).toContain('no portfolio: the token may not do this (403): restricted to plugin catalog — reading the portfolio needs no NthLayer permission');
    expect(run.err).not.toContain('nthlayer.gate.check');
  });

  it('exits 3 when the backend answers something that is not a portfolio, or a 400', async () => {
    answer = { status: 200, body: JSON.stringify({ exitCode: 0 }) };
    expect((await portfolio('--backend-url', backendUrl, '--token', 't')).code).toBe(3);
    answer = { status: 400, body: JSON.stringify({ error: { message: 'tier must be 1, 2 or 3' } }) };
    const run = await portfolio('--backend-url', backendUrl, '--token', 't');
    expect(run.code).toBe(3);
    expect(run.err).toContain('the backend rejected the request (400): tier must be 1, 2 or 3');
  });

  it('exits 3 when the backend cannot be reached', async () => {
    const run = await portfolio('--backend-url', `http://127.0.0.1:${await closedPort()}`, '--token', 't');
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/no portfolio: the NthLayer backend at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/);
  });

  it('exits 3 on bad options, never 2, and asks nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /one of --backend-url URL .* and --services DIR/],
      [['--backend-url', backendUrl], /--token \(or NTHLAYER_TOKEN\) is required/],
      [['--services', os.tmpdir(), '--backend-url', backendUrl, '--token', 't'], /--services and --backend-url are mutually exclusive/],
      [['--services', os.tmpdir()], /--services needs --prometheus URL/],
      [['--backend-url', backendUrl, '--token', 't', '--prometheus', 'http://127.0.0.1:9090'], /--prometheus and --prometheus-header are used with --services only/],
      [['--backend-url', backendUrl, '--token', 't', '--tier', '4'], /--tier must be 1, 2 or 3/],
      [['--backend-url', backendUrl, '--token', 't', '--format', 'yaml'], /--format must be table, json, csv or markdown/],
      [['--backend-url', backendUrl, '--token', 't', '--no-such-option'], /unknown option/],
    ];
    for (const [args, message] of cases) {
      const run = await portfolio(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 3 });
      expect(run.err).toMatch(message);
    }
    expect(seen).toEqual([]);
  });
});

describe('nthlayer portfolio --services against a real Prometheus', () => {
  const NOW = Math.floor(Date.now() / 1000);
  const START = NOW - 3600;
  const linear = (perSecond: number) => (t: number) => perSecond * (t - START);
  /** A latency histogram where every request is faster than every bucket bound: all good. */
  const fastHistogram = (service: string, perSecond: number) => [
    ...['0.5', '0.8', '1', '+Inf'].map(le => rawSeries('http_request_duration_seconds_bucket', { service, le }, linear(perSecond))),
    rawSeries('http_request_duration_seconds_count', { service }, linear(perSecond)),
  ];
  let prometheus: RunningPrometheus;
  let dir: string;
  let withBroken: string;

  // burning-api: tier 1 (critical), team-a, 99.9 % over a rolling 1d, depends on calm-api.
  const burning = `service:
  name: burning-api
  team: team-a
  tier: critical
  type: api
resources:
  - kind: SLO
    name: availability
    spec:
      objective: 99.9
      window: 1d
  - kind: SLO
    name: latency-p95
    spec:
      objective: 95
      window: 1d
      indicator: { type: latency, percentile: 95, threshold_ms: 500 }
  - kind: Dependencies
    name: upstream
    spec:
      databases:
        - { name: orders-db, type: postgresql, criticality: high }
      services:
        - { name: calm-api, criticality: high }
`;
  // calm-api: tier 2 (standard), team-b, 99.5 % over the calendar week (OpenSRM format).
  const calm = `apiVersion: srm/v1
kind: ServiceReliabilityManifest
metadata:
  name: calm-api
  team: team-b
  tier: standard
spec:
  type: api
  slos:
    availability:
      target: 99.5
      window: 1W
    latency:
      target: 800
      unit: ms
      percentile: p95
      window: 1W
`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-portfolio-'));
    fs.writeFileSync(path.join(dir, 'burning-api.yaml'), burning);
    fs.writeFileSync(path.join(dir, 'calm-api.reliability.yml'), calm);
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a service file, not read');
    withBroken = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-portfolio-broken-'));
    fs.writeFileSync(path.join(withBroken, 'burning-api.yaml'), burning);
    fs.writeFileSync(path.join(withBroken, 'calm-api.yaml'), calm);
    fs.writeFileSync(path.join(withBroken, 'broken.yaml'), 'service:\n  name: broken\n  tier: gold\n');
    prometheus = await startPrometheusWith(
      [
        // burning-api: 99 of 100 requests per second succeed, 1 fails: 1 % errors.
        counterSeries('http_requests', { service: 'burning-api', status: '200' }, linear(99)),
        counterSeries('http_requests', { service: 'burning-api', status: '500' }, linear(1)),
        ...fastHistogram('burning-api', 100),
        // calm-api: no errors.
        counterSeries('http_requests', { service: 'calm-api', status: '200' }, linear(50)),
        counterSeries('http_requests', { service: 'calm-api', status: '500' }, () => 0),
        ...fastHistogram('calm-api', 50),
      ],
      { from: START, to: NOW - 30, stepSeconds: 30 },
    );
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    for (const d of [dir, withBroken]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('measures every SLO, scores like the backend and exits 2 for an exhausted budget', async () => {
    const run = await portfolio('--services', dir, '--prometheus', prometheus.baseUrl, '--format', 'json');
    const p = JSON.parse(run.out) as PortfolioResponse;
    expect(p.services.map(s => s.name)).toEqual(['burning-api', 'calm-api']);
    const [burningApi, calmApi] = p.services;

    // burning-api, availability: error ratio e = 1 − 99/100 = 0.01 against an allowed 1 − 0.999
    // = 0.001: remaining = 1 − e / 0.001 = 1 − 10 = −9 (nine budgets overspent) → exhausted.
    // Latency: every request is under 500 ms, remaining 1. Worst: availability, −9.
    expect(burningApi.minRemainingRatio).toBeCloseTo(-9, 6);
    expect(burningApi).toMatchObject({
      entityRef: 'component:default/burning-api',
      tier: 1,
      owner: 'group:default/team-a',
      system: null,
      gateVerdict: null,
      driftCritical: null,
      budgetStatus: 'exhausted',
      status: 'critical',
      worstSlo: 'availability',
      sloCount: 2,
      slosBelowTarget: 1,
    });
    // Score (DESIGN §8): SLO compliance 1 of 2 met → 30 × 1/2 = 15; incidents and deployments
    // have no data (left out); error budget 15 × clamp(−9, 0, 1) = 0; dependencies: calm-api
    // (a service of the directory, healthy) = 10 × 1 = 10; orders-db is not one. 100 × 25/55 = 45.5.
    const points = Object.fromEntries(burningApi.components.map(c => [c.id, c.points]));
    expect(points).toEqual({ 'slo-compliance': 15, incidents: null, deployments: null, 'error-budget': 0, dependencies: 10 });
    expect(burningApi.components.find(c => c.id === 'dependencies')?.numbers).toMatchObject({ healthy: 1, counted: 1 });
    expect(burningApi.score).toBe(45.5);

    // calm-api: no errors, remaining 1 − 0/0.005 = 1 on both SLOs; no dependency of the
    // directory. Score 100 × (30 + 15) / (30 + 15) = 100; healthy.
    expect(calmApi.minRemainingRatio).toBeCloseTo(1, 6);
    expect(calmApi).toMatchObject({ owner: 'group:default/team-b', tier: 2, budgetStatus: 'healthy', status: 'healthy', score: 100, slosBelowTarget: 0 });

    // Org: tier-weighted (3 × 45.5 + 2 × 100) / 5 = 336.5 / 5 = 67.3; critical.
    expect(p.org).toMatchObject({ score: 67.3, status: 'critical', services: 2 });
    expect(p.teams.map(t => [t.ref, t.score, t.status])).toEqual([
      ['group:default/team-a', 45.5, 'critical'],
      ['group:default/team-b', 100, 'healthy'],
    ]);
    expect(p.systems).toEqual([]);
    expect(p.exitCode).toBe(2);
    expect(run.code).toBe(2);
    // The calendar week is measured as a rolling 7 d = 10080 min, and said so.
    expect(run.err).toContain('note: calm-api/availability: the calendar window 1W is measured as the rolling 10080m ending now');
    expect(run.err).not.toMatch(/not measured|left out/);
  });

  it('prints the table, and filters by team and tier', async () => {
    const table = await portfolio('--services', dir, '--prometheus', prometheus.baseUrl);
    expect(table.code).toBe(2);
    expect(table.out.split('\n')[0]).toBe('NthLayer portfolio: CRITICAL, org score 67.3 (exit 2: at least one service critical)');
    expect(table.out).toMatch(/\n {2}burning-api {2,}team-a {2,}1 {2}critical {2,}-900 % {2,}45\.5 {2}—\n/);
    expect(table.out).toContain('burning-api overspent its budget by 900 %');

    const calmOnly = await portfolio('--services', dir, '--prometheus', prometheus.baseUrl, '--tier', '2', '--format', 'json');
    expect(JSON.parse(calmOnly.out).services.map((s: { name: string }) => s.name)).toEqual(['calm-api']);
    expect(calmOnly.code).toBe(0);

    const teamA = await portfolio('--services', dir, '--prometheus', prometheus.baseUrl, '--group', 'team-a', '--format', 'csv');
    const rows = parse(teamA.out, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map(r => [r.name, r.owner, r.status])).toEqual([['burning-api', 'group:default/team-a', 'critical']]);
    expect(Number(rows[0].minRemainingRatio)).toBeCloseTo(-9, 6);
    expect(teamA.code).toBe(2);
  });

  it('says why a service file is unusable, keeps going, and exits at least 1', async () => {
    const run = await portfolio('--services', withBroken, '--prometheus', prometheus.baseUrl, '--tier', '2', '--format', 'json');
    expect(run.err).toMatch(/broken\.yaml: error .*service\.tier/);
    expect(run.err).toMatch(/broken\.yaml: nothing generated: left out of the portfolio/);
    const p = JSON.parse(run.out) as PortfolioResponse;
    expect(p.services.map(s => s.name)).toEqual(['calm-api']);
    expect(p.exitCode).toBe(0);
    // Healthy, but a file was left out: 1, not 0.
    expect(run.code).toBe(1);
    // With the critical service in: 2 wins.
    expect((await portfolio('--services', withBroken, '--prometheus', prometheus.baseUrl)).code).toBe(2);
  });

  it('exits 3 when Prometheus cannot be reached for any SLO', async () => {
    const run = await portfolio('--services', dir, '--prometheus', `http://127.0.0.1:${await closedPort()}`, '--timeout', '2000');
    expect(run.code).toBe(3);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/burning-api\.yaml: burning-api\/availability not measured: Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable: ECONNREFUSED/);
    expect(run.err).toMatch(/no portfolio: no SLO could be measured on Prometheus/);
  }, 30_000);

  it('sends the --prometheus-header headers and rejects malformed ones', async () => {
    const seen: IncomingHttpHeaders[] = [];
    // A stand-in that answers every instant query with an empty vector: no data.
    const fake = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
    await new Promise<void>(r => fake.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(fake.address() as net.AddressInfo).port}`;
      const run = await portfolio('--services', dir, '--prometheus', url, '--prometheus-header', 'X-Scope-OrgID: tenant-1', '--format', 'json');
      // Two files × two SLOs × (good, total).
      expect(seen).toHaveLength(8);
      expect(seen.every(h => h['x-scope-orgid'] === 'tenant-1')).toBe(true);
      // No events: no budget, `no-data` → warning.
      const p = JSON.parse(run.out) as PortfolioResponse;
      expect(p.services.map(s => [s.name, s.budgetStatus, s.status])).toEqual([
        ['burning-api', 'no-data', 'warning'],
        ['calm-api', 'no-data', 'warning'],
      ]);
      expect(run.code).toBe(1);
      const bad = await portfolio('--services', dir, '--prometheus', url, '--prometheus-header', 'no colon');
      expect(bad.code).toBe(3);
      expect(bad.err).toMatch(/--prometheus-header "no colon" must look like 'Name: value'/);
    } finally {
      await new Promise(r => fake.close(r));
    }
  });
});
