import { buildGrafanaDashboard } from '../generateGrafanaDashboard';
import { input } from '../dashboardTestUtils';
import { GrafanaClient, GrafanaError } from './grafanaClient';
import { GrafanaFake, startGrafanaFake } from './testing/grafanaFake';

describe('GrafanaClient', () => {
  let fake: GrafanaFake;

  beforeEach(async () => {
    fake = await startGrafanaFake({
      token: 'glsa_secret',
      forbiddenToken: 'glsa_viewer',
      now: () => new Date('2024-05-01T10:00:00Z'),
    });
  });

  afterEach(() => fake.close());

  function client(token = 'glsa_secret', name: string | null = 'ops') {
    return new GrafanaClient({ name: name ?? undefined, baseUrl: `${fake.baseUrl}/`, token, timeoutMs: 2000 });
  }

  it('reads a dashboard by uid with its meta, sending the token and Accept', async () => {
    const { dashboard } = buildGrafanaDashboard(input());
    fake.save(dashboard, { folderUid: 'nthlayer', folderTitle: 'NthLayer' });
    const found = await client().getDashboard('nthlayer-checkout-api');
    expect(found?.dashboard).toMatchObject({
      uid: 'nthlayer-checkout-api',
      title: 'checkout-api (NthLayer)',
      id: 17,
      version: 1,
    });
    expect(found?.meta).toMatchObject({
      type: 'db',
      canSave: true,
      slug: 'checkout-api-nthlayer',
      url: '/d/nthlayer-checkout-api/checkout-api-nthlayer',
      created: '2024-05-01T10:00:00.000Z',
      version: 1,
      folderUid: 'nthlayer',
      folderTitle: 'NthLayer',
    });
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        url: '/api/dashboards/uid/nthlayer-checkout-api',
        authorization: 'Bearer glsa_secret',
        accept: 'application/json',
      },
    ]);
  });

  it('answers undefined for a dashboard Grafana does not have (404)', async () => {
    await expect(client().getDashboard('nthlayer-nope')).resolves.toBeUndefined();
    expect(fake.requests.map(r => r.url)).toEqual(['/api/dashboards/uid/nthlayer-nope']);
  });

  it('says a refused token lacks access, naming the instance and never the token', async () => {
    const error = await client('glsa_wrong').getDashboard('nthlayer-checkout-api').catch(e => e);
    expect(error).toBeInstanceOf(GrafanaError);
    expect(error).toMatchObject({ status: 401, unreachable: false });
    expect(error.message).toBe(
      `Grafana "ops" at ${fake.baseUrl} refused GET /api/dashboards/uid/nthlayer-checkout-api ` +
        '(HTTP 401: invalid API key): the service account token lacks access to dashboards ' +
        '(it needs dashboards:read on their folders).',
    );
    expect(error.message).not.toContain('glsa_wrong');

    const forbidden = await client('glsa_viewer', null).search({ type: 'dash-db' }).catch(e => e);
    expect(forbidden).toMatchObject({ status: 403, unreachable: false });
    expect(forbidden.message).toMatch(new RegExp(`^Grafana at ${fake.baseUrl} refused GET /api/search \\(HTTP 403: `));
    expect(forbidden.message).toContain('dashboards:read');
    expect(forbidden.message).not.toContain('glsa_viewer');
    expect(forbidden.message.length).toBeLessThanOrEqual(300);
  });

  it('never shows credentials of the base URL, and cuts long messages to 300 characters', async () => {
    const long = 'x'.repeat(500);
    const answer = new Response(JSON.stringify({ message: `boom ${long}` }), { status: 500 });
    const withUser = new GrafanaClient({
      baseUrl: 'https://admin:hunter2@grafana.example.com/',
      token: 'glsa_secret',
      fetch: async () => answer,
    });
    const error = await withUser.getDashboard('a').catch(e => e);
    expect(error).toMatchObject({ status: 500, unreachable: false, path: '/api/dashboards/uid/a' });
    expect(error.message).toMatch(/^Grafana at https:\/\/grafana\.example\.com failed \(GET \/api\/dashboards\/uid\/a, HTTP 500\): boom x+…$/);
    expect([...error.message]).toHaveLength(300);
    expect(error.message).not.toContain('hunter2');
  });

  it('reports an unreachable instance as unreachable', async () => {
    const closed = await startGrafanaFake();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await new GrafanaClient({ name: 'gone', baseUrl, token: 't', timeoutMs: 2000 })
      .getDashboard('x')
      .catch(e => e);
    expect(error).toBeInstanceOf(GrafanaError);
    expect(error).toMatchObject({ unreachable: true, status: undefined });
    expect(error.message).toBe(`Grafana "gone" at ${baseUrl} is unreachable (GET /api/dashboards/uid/x): ECONNREFUSED`);
  });

  it('reports a timeout as unreachable', async () => {
    const slow = await startGrafanaFake({ token: 't', delayMs: 2000 });
    try {
      const error = await new GrafanaClient({ baseUrl: slow.baseUrl, token: 't', timeoutMs: 50 })
        .search({ type: 'dash-db' })
        .catch(e => e);
      expect(error).toMatchObject({ unreachable: true, status: undefined });
      expect(error.message).toBe(`Grafana at ${slow.baseUrl} is unreachable (GET /api/search): timed out after 50 ms`);
    } finally {
      await slow.close();
    }
  });

  it('treats a gateway error as unreachable and a body that is not JSON as an error', async () => {
    const gateway = new GrafanaClient({
      baseUrl: 'http://g',
      token: 't',
      fetch: async () => new Response('<html>bad gateway</html>', { status: 502 }),
    });
    await expect(gateway.getDashboard('a')).rejects.toMatchObject({ status: 502, unreachable: true });
    const html = new GrafanaClient({
      baseUrl: 'http://g',
      token: 't',
      fetch: async () => new Response('<html>login</html>', { status: 200 }),
    });
    await expect(html.search({ type: 'dash-db' })).rejects.toThrow(
      'Grafana at http://g answered GET /api/search (HTTP 200) with a body that is not JSON',
    );
  });

  it('searches dashboards by title substring (any case) and tag', async () => {
    const checkout = buildGrafanaDashboard(input()).dashboard;
    const ledger = buildGrafanaDashboard(input({ name: 'ledger', tier: 2 })).dashboard;
    fake.save(checkout, { folderUid: 'nthlayer', folderTitle: 'NthLayer' });
    fake.save(ledger);
    fake.save({ uid: 'team-home', title: 'Team home', tags: ['team-payments'], panels: [] });

    const all = await client().search({ type: 'dash-db' });
    expect(all.map(h => h.uid)).toEqual(['nthlayer-checkout-api', 'nthlayer-ledger', 'team-home']);
    expect(all[0]).toEqual({
      id: 17,
      uid: 'nthlayer-checkout-api',
      orgId: 1,
      title: 'checkout-api (NthLayer)',
      uri: 'db/checkout-api-nthlayer',
      url: '/d/nthlayer-checkout-api/checkout-api-nthlayer',
      slug: '',
      type: 'dash-db',
      tags: ['nthlayer', 'tier-1', 'api', 'team-payments'],
      isStarred: false,
      sortMeta: 0,
      folderId: 18,
      folderUid: 'nthlayer',
      folderTitle: 'NthLayer',
      folderUrl: '/dashboards/f/nthlayer/nthlayer',
    });
    expect(all[1].folderUid).toBeUndefined();

    const byQuery = await client().search({ type: 'dash-db', query: 'nthLAYER' });
    expect(byQuery.map(h => h.uid)).toEqual(['nthlayer-checkout-api', 'nthlayer-ledger']);
    const byTag = await client().search({ type: 'dash-db', tag: 'tier-2' });
    expect(byTag.map(h => h.uid)).toEqual(['nthlayer-ledger']);
    const byTags = await client().search({ type: 'dash-db', tag: ['team-payments', 'nthlayer'] });
    expect(byTags.map(h => h.uid)).toEqual(['nthlayer-checkout-api', 'nthlayer-ledger']);
    const both = await client().search({ type: 'dash-db', query: 'home', tag: 'nthlayer' });
    expect(both).toEqual([]);

    expect(fake.requests.slice(-2).map(r => r.url)).toEqual([
      '/api/search?type=dash-db&tag=team-payments&tag=nthlayer',
      '/api/search?type=dash-db&query=home&tag=nthlayer',
    ]);
  });
});
