import { captureOutput } from '@internal/nthlayer-test-utils';
import {
  BurnBucket,
  EntityLedgerResponse,
  LedgerDeployment,
  attributeEpisodes,
  deploymentImpacts,
  detectBurnEpisodes,
  ledgerSlo,
  ledgerTopCauses,
  ledgerUnattributedRatio,
  weighEpisodes,
} from '@nthlayer/backstage-plugin-common';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { main } from '../index';
import { budgetBar, formatMinutes } from './ledgerOutput';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const MIN = 60_000;
const REF = 'component:default/checkout-api';

/**
 * A ledger as the backend builds it (the same -common functions): 30 d, 99.9 %, 100 events per
 * 5-minute bucket; 60 buckets with 10 bad each (burn 100) three days ago, right after deploy 7,
 * with an earlier deploy followed by an incident (history): 600 bad events × 43,200 / 864,000 =
 * 30 min burned by the deploy. Consumption 40 min → 10 min baseline.
 */
function ledger(): EntityLedgerResponse {
  const start = NOW - 72 * 60 * MIN;
  const buckets: BurnBucket[] = [];
  for (let k = 1; k <= 61; k++) buckets.push({ end: start + 5 * k * MIN, good: k <= 60 ? 90 : 100, total: 100 });
  const weighed = weighEpisodes(detectBurnEpisodes(buckets, { sloName: 'availability', targetPercent: 99.9 }), {
    end: NOW,
    minutes: 43_200,
    totalEvents: 864_000,
  });
  const deploy = (id: number, minutesAgo: number): LedgerDeployment => ({
    id, entityRef: REF, version: `v${id}`, commit: null, author: 'dana', startedAt: new Date(NOW - minutesAgo * MIN).toISOString(), status: 'succeeded', labels: [], url: null,
  });
  const deployments = [deploy(7, 72 * 60), deploy(3, 20 * 1440)];
  const incidents = [{ id: 'P1', entityRef: REF, number: '1', title: 'slow', urgency: 'high', priority: null, url: null, createdAt: new Date(NOW - 20 * 1440 * MIN + 20 * MIN).toISOString(), resolvedAt: new Date(NOW - 20 * 1440 * MIN + 60 * MIN).toISOString() }];
  const episodes = attributeEpisodes(weighed, { entityRef: REF, dependencies: {}, deployments, incidents, episodesByEntity: {}, now: NOW });
  const slos = [ledgerSlo({ sloName: 'availability', targetPercent: 99.9, windowMinutes: 43_200, consumedMinutes: 40, episodes })];
  return {
    entityRef: REF,
    window: '30d',
    windowMinutes: 43_200,
    from: new Date(NOW - 43_200 * MIN).toISOString(),
    computedAt: new Date(NOW).toISOString(),
    slos,
    topCauses: ledgerTopCauses(slos),
    unattributedRatio: ledgerUnattributedRatio(slos),
    deployments: deploymentImpacts(deployments, episodes.map(episode => ({ entityRef: REF, episode }))),
  };
}

const slosResponse = {
  entityRef: REF,
  service: null,
  findings: [],
  slos: [{ name: 'availability', window: '30d', errorBudget: { totalMinutes: 43.2, consumedMinutes: 40, remainingMinutes: 3.2, remainingRatio: 0.074 }, timeToExhaustionMinutes: 90 }],
};

let server: Server;
let baseUrl = '';
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/api/nthlayer/v1/entities/component/default/checkout-api/ledger') return res.end(JSON.stringify(ledger()));
    if (url.pathname === '/api/nthlayer/v1/entities/component/default/checkout-api/slos') return res.end(JSON.stringify(slosResponse));
    res.statusCode = 404;
    return res.end(JSON.stringify({ error: { name: 'NotFoundError', message: 'No entity component:default/nope in the catalog' } }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise(r => server.close(r)));
afterEach(() => jest.restoreAllMocks());

async function run(...args: string[]) {
  const { out, err } = captureOutput();
  const code = await main(['node', 'nthlayer', ...args, '--backend-url', baseUrl, '--token', 't0ken']);
  jest.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

describe('nthlayer ledger', () => {
  it('prints total, burned, remaining, a bar, the forecast and the attribution', async () => {
    const { code, out } = await run('ledger', 'checkout-api');
    expect(code).toBe(0);
    expect(seen.at(-2)!.headers.authorization).toBe('Bearer t0ken');
    expect(out).toContain('availability (99.9 % over 30d)');
    expect(out).toContain('Total      43.2 min');
    expect(out).toContain('Burned     40.0 min (93 %)');
    expect(out).toContain('Remaining  3.2 min');
    expect(out).toContain(budgetBar(40 / 43.2));
    expect(out).toContain('Forecast   exhausted in 1 h 30 m at the current 1 h burn rate');
    // 600 bad × 43,200 / 864,000 = 30 min; deploy 7 at the burn's start, with one of one
    // earlier deploys followed by an incident: 0.5 + 0.3 + 0.2 = 1.00 high.
    expect(out).toMatch(/deployments {3}30\.0 min {4}75 % {3}deploy v7 \(1\.00 high\)/);
    expect(out).toMatch(/baseline {6}10\.0 min {4}25 %/);
    expect(out).toContain('Unattributed: 0 %');
  });

  it('prints JSON in the API shape and Markdown tables', async () => {
    const json = await run('ledger', 'component:default/checkout-api', '--format', 'json');
    expect(JSON.parse(json.out)).toEqual(ledger());
    const md = await run('ledger', 'checkout-api', '--format', 'markdown', '--window', '7d');
    expect(new URL(seen.at(-2)!.url, 'http://x').searchParams.get('window')).toBe('7d');
    expect(md.out).toContain('| deployments | 30.0 min | 75 % | deploy v7 (1.00 high) |');
  });

  it('exits 3 with a reason on bad input or a 404', async () => {
    expect((await run('ledger', 'checkout-api', '--window', 'soon')).err).toContain('--window must be a duration');
    const missing = await run('ledger', 'nope');
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('not found (404): No entity component:default/nope in the catalog');
    expect((await run('ledger', 'a b')).code).toBe(3);
  });
});

describe('nthlayer correlate', () => {
  it('lists the deploys with their impact and exits 2 for a high-confidence burning one', async () => {
    const { code, out } = await run('correlate', 'checkout-api', '--last', '30d');
    expect(code).toBe(2);
    expect(out).toMatch(/v7 {12}2026-11-30 12:00 {6}high {4}1\.00 {3}30\.0 min {4}1/);
    expect(out).toMatch(/v3 {12}2026-11-13 12:00 {6}clean {3}— {6}0\.0 min {5}0/);
    const json = JSON.parse((await run('correlate', 'checkout-api', '--format', 'json')).out);
    expect(json.deployments.map((d: any) => [d.deployment.version, d.impact])).toEqual([
      ['v7', 'high'],
      ['v3', 'clean'],
    ]);
  });
});

describe('formatMinutes', () => {
  it.each([
    [28.04, '28.0 min'],
    [312, '5 h 12 m'],
    [3000, '2 d 2 h'],
    [-20.9, '−20.9 min'],
  ])('%s → %s', (minutes, text) => expect(formatMinutes(minutes)).toBe(text));
});
