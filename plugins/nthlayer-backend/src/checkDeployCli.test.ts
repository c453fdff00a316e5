import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { captureOutput } from '@internal/nthlayer-test-utils';
import { main } from '@nthlayer/cli';
import { AddressInfo } from 'node:net';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { serviceEntity } from './testing/fixtureEntities';
import { tier1Measurement } from './testing/measurements';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

/*
 * `nthlayer check-deploy` against a running plugin: the exit code is the verdict (0/1/2)
 * or 3 without one. Budgets by hand, tier 1 (availability 99.9 %: allowed error 0.001),
 * tier-1 default gate block < 10 %, warn < 20 %; 1,000,000 events:
 *   good 999,700 → remaining 0.70 → allow;  good 999,150 → 0.15 → warn;  good 999,050 → 0.05 → block
 * Latency (95 %): good 990,000 → remaining 0.8, never the worst here.
 */
const BUDGETS: Record<string, number> = { 'allow-api': 999_700, 'warn-api': 999_150, 'block-api': 999_050 };

const row = (name: string, slo: 'availability' | 'latency', good: number, measuredAt: string) =>
  tier1Measurement(`component:default/${name}`, slo, good, measuredAt);


describe('nthlayer check-deploy against the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const authorize = jest.fn(async (requests: any[], options: { credentials: any }) =>
    requests.map(() => ({
      result: options.credentials.principal.subject === 'external:denied-ci' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    })),
  );
  let baseUrl: string;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const server = await startNthlayerTestBackend({
      entities: Object.keys(BUDGETS).map(name => serviceEntity(name, { 'nthlayer.dev/tier': '1' })),
      knex,
      permissions: mockServices.permissions.mock({ authorize: authorize as any }) as unknown as PermissionsService,
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measuredAt = new Date(Date.now() - 60_000).toISOString();
    await db.measurements.upsert(
      Object.entries(BUDGETS).flatMap(([name, good]) => [row(name, 'availability', good, measuredAt), row(name, 'latency', 990_000, measuredAt)]),
      new Date(measuredAt),
    );
  }, 60_000);

  afterEach(() => jest.restoreAllMocks());

  const run = (entity: string, token: string, ...extra: string[]) =>
    main(['node', 'nthlayer', 'check-deploy', '--entity', entity, '--version', 'v2.3.1', '--backend-url', baseUrl, '--token', token, ...extra]);
  const ciToken = mockCredentials.service.token({ onBehalfOf: mockCredentials.service('external:ci'), targetPluginId: 'nthlayer' });

  it.each([
    ['allow-api', 0, 'ALLOW'],
    ['warn-api', 1, 'WARN'],
    ['block-api', 2, 'BLOCK'],
  ])('%s → exit %d with the explanation', async (name, code, verdict) => {
    const { out } = captureOutput();
    expect(await run(`component:default/${name}`, ciToken)).toBe(code);
    const text = out.join('');
    expect(text).toContain(`NthLayer deploy gate: ${verdict} (exit ${code}) for component:default/${name} v2.3.1`);
    expect(text).toContain('tier-1-default');
  });

  it('prints JSON and Markdown with the numbers the rules read', async () => {
    const { out } = captureOutput();
    expect(await run('component:default/block-api', ciToken, '--format', 'json')).toBe(2);
    const answer = JSON.parse(out.join(''));
    expect(answer.verdict).toBe('block');
    // 1 − 0.00095 / 0.001 = 0.05
    expect(answer.rules.find((r: any) => r.rule === 'block-below').values.budget.remaining).toBeCloseTo(0.05, 10);
    out.length = 0;
    expect(await run('component:default/block-api', ciToken, '--format', 'markdown', '--label', 'canary')).toBe(2);
    expect(out.join('')).toMatch(/^### NthLayer deploy gate: \*\*block\*\* \(exit 2\)/);
    expect(out.join('')).toContain('| tier-1-default | block-below | block | `budget.remaining < 0.1` | true |');
  });

  it('exits 3 and says why when the token is refused (401) or lacks the permission (403), or the entity is unknown', async () => {
    const { err } = captureOutput();
    expect(await run('component:default/block-api', 'not-a-token')).toBe(3);
    expect(err.join('')).toMatch(/refused the token \(401\)/);
    err.length = 0;
    const denied = mockCredentials.service.token({ onBehalfOf: mockCredentials.service('external:denied-ci'), targetPluginId: 'nthlayer' });
    expect(await run('component:default/block-api', denied)).toBe(3);
    expect(err.join('')).toMatch(/may not do this \(403\).*nthlayer\.gate\.check/s);
    err.length = 0;
    expect(await run('component:default/nope', ciToken)).toBe(3);
    expect(err.join('')).toMatch(/not found \(404\)/);
  });

  it('records a deploy with nthlayer record-deploy (exit 0), and exits 3 when refused', async () => {
    const { out, err } = captureOutput();
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    const record = (token: string) =>
      main(['node', 'nthlayer', 'record-deploy', '--entity', 'component:default/allow-api', '--version', 'v7', '--started-at', startedAt,
        '--author', 'alice', '--label', 'canary', '--backend-url', baseUrl, '--token', token]);
    expect(await record(ciToken)).toBe(0);
    expect(out.join('')).toContain(`recorded deploy v7 of component:default/allow-api (succeeded, started ${startedAt}`);
    const denied = mockCredentials.service.token({ onBehalfOf: mockCredentials.service('external:denied-ci'), targetPluginId: 'nthlayer' });
    expect(await record(denied)).toBe(3);
    expect(err.join('')).toMatch(/not recorded: the token may not do this \(403\).*nthlayer\.deployment\.create/s);
  });
});
