import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { loadAlertCatalogue } from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { createNthlayerGenerateAction } from './generate';
import { createNthlayerValidateAction } from './validate';

const catalog = catalogServiceMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db', namespace: 'default', annotations: { 'nthlayer.dev/technology': 'postgresql' } },
      spec: { type: 'database', owner: 'group:default/team-platform' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payment-api',
        namespace: 'default',
        annotations: { 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-availability': '99.95' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-payments' },
    },
  ],
});

const generate = createNthlayerGenerateAction({ catalog, model: {}, catalogue: () => loadAlertCatalogue() });
const validate = createNthlayerValidateAction({ promtool: false });

let workspacePath: string;
beforeEach(async () => {
  workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-scaffolder-'));
});
afterEach(() => fs.rm(workspacePath, { recursive: true, force: true }));

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

const FORM = {
  name: 'invoice-api',
  owner: 'group:default/team-payments',
  tier: '2' as const,
  type: 'api' as const,
  dependencies: ['resource:default/orders-db'],
  availability: 99.9,
  latency: 'p95<300ms',
};

describe('nthlayer:generate', () => {
  it('writes every artifact of the form values into the workspace, with the same content the generators produce', async () => {
    const ctx = createMockActionContext({ input: { ...FORM, targetPath: 'reliability' }, workspacePath });
    await generate.handler(ctx as any);
    const written = await filesUnder(workspacePath);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.files.slice().sort()).toEqual(written);
    expect(outputs.entityRef).toBe('component:default/invoice-api');

    // Prometheus SLO rules: recording rules for both SLOs and burn-rate alerts at the 99.9 target.
    const ruleFile = written.find(f => f.endsWith('-slo.rules.yaml'))!;
    const rules = parse(await fs.readFile(path.join(workspacePath, ruleFile), 'utf8'));
    const all = rules.groups.flatMap((g: any) => g.rules);
    expect(all.some((r: any) => r.alert && /invoice-api/.test(JSON.stringify(r.labels ?? {})))).toBe(true);
    const burn = all.find((r: any) => r.alert === 'NthlayerErrorBudgetBurn');
    expect(burn.expr).toContain('> 0.0144'); // the fast window: 14.4 × (1 − 99.9 %)

    // Technology alerts for the PostgreSQL dependency.
    const tech = written.find(f => /technology/.test(f))!;
    expect(await fs.readFile(path.join(workspacePath, tech), 'utf8')).toMatch(/pg_/);

    // OpenSLO: the overridden targets, 99.9 % and the p95 < 300 ms latency.
    const openslo = written.filter(f => f.startsWith('reliability/openslo'));
    const docs = (
      await Promise.all(openslo.map(async f => parseAllDocuments(await fs.readFile(path.join(workspacePath, f), 'utf8'))))
    )
      .flat()
      .map(d => d.toJS());
    const slos = docs.filter(d => d.kind === 'SLO');
    expect(slos.map(s => s.spec.objectives[0].target).sort()).toEqual([0.95, 0.999]);

    // Grafana dashboard parses as JSON and names the service.
    const dashboard = JSON.parse(await fs.readFile(path.join(workspacePath, written.find(f => f.endsWith('.json'))!), 'utf8'));
    expect(dashboard.title ?? dashboard.dashboard?.title).toMatch(/invoice-api/);
    expect(outputs.slos).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'availability', target: 99.9 })]),
    );
    expect(outputs.ceiling).toEqual({
      targetPercent: 99.9,
      dependencies: [{ ref: 'resource:default/orders-db', availabilityPercent: null, critical: true }],
    });
  });

  it('reads the dependencies as the user running the template', async () => {
    const credentials = mockCredentials.user('user:default/someone');
    const spy = jest.spyOn(catalog, 'getEntitiesByRefs');
    const ctx = {
      ...createMockActionContext({ input: { ...FORM, dependencies: ['component:default/payment-api'] }, workspacePath }),
      getInitiatorCredentials: async () => credentials,
    };
    await generate.handler(ctx as any);
    expect(spy).toHaveBeenCalledWith({ entityRefs: ['component:default/payment-api'] }, { credentials });
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    // payment-api's own 99.95 % target comes from its entity.
    expect(outputs.ceiling.dependencies).toEqual([
      { ref: 'component:default/payment-api', availabilityPercent: 99.95, critical: true },
    ]);
    spy.mockRestore();
  });

  it('writes nothing in a dry run, yet says what it would write', async () => {
    const ctx = { ...createMockActionContext({ input: FORM, workspacePath }), isDryRun: true };
    await generate.handler(ctx as any);
    expect(await filesUnder(workspacePath)).toEqual([]);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.files.length).toBeGreaterThanOrEqual(4);
  });

  it('generates from a service file in the workspace', async () => {
    await fs.writeFile(
      path.join(workspacePath, 'service.yaml'),
      [
        'service:',
        '  name: ledger-worker',
        '  team: team-data',
        '  tier: standard',
        '  type: worker',
        'resources:',
        '  - kind: SLO',
        '    name: availability',
        '    spec: { objective: 99.5, window: 30d }',
      ].join('\n'),
    );
    const ctx = createMockActionContext({ input: { serviceFile: 'service.yaml' }, workspacePath });
    await generate.handler(ctx as any);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.entityRef).toBe('component:default/ledger-worker');
    expect(outputs.slos).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'availability', target: 99.5 })]));
    expect((await filesUnder(workspacePath)).filter(f => f.startsWith('reliability/'))).toEqual(
      [...outputs.files].sort(),
    );
  });

  it('refuses incomplete or malformed values with a readable error', async () => {
    await expect(
      generate.handler(createMockActionContext({ input: { name: 'x-api', tier: '2' }, workspacePath }) as any),
    ).rejects.toThrow(/owner and tier are required/);
    await expect(
      generate.handler(createMockActionContext({ input: { ...FORM, latency: 'fast please' }, workspacePath }) as any),
    ).rejects.toThrow(/latency "fast please" must look like p95<300ms/);
    await expect(
      generate.handler(createMockActionContext({ input: { serviceFile: '../../etc/passwd' }, workspacePath }) as any),
    ).rejects.toThrow(/outside/i);
    await expect(generate.handler(createMockActionContext({ input: {}, workspacePath }) as any)).rejects.toThrow(
      /needs name, owner and tier, or serviceFile/,
    );
  });
});

describe('nthlayer:validate', () => {
  async function generated(input: any = FORM) {
    const ctx = createMockActionContext({ input, workspacePath });
    await generate.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('passes on the generated rule files', async () => {
    const out = await generated();
    const ctx = createMockActionContext({ input: { directory: out.directory, ceiling: out.ceiling }, workspacePath });
    await validate.handler(ctx as any);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.checked.length).toBeGreaterThanOrEqual(2);
    expect(outputs.findings.filter((f: any) => f.severity === 'error')).toEqual([]);
  });

  it('fails on a broken rule, naming the file, the rule and the problem', async () => {
    const out = await generated();
    const file = path.join(workspacePath, out.files.find((f: string) => f.endsWith('-slo.rules.yaml')));
    const text = await fs.readFile(file, 'utf8');
    const rules = parse(text);
    rules.groups[0].rules[0].expr = 'sum(rate(http_requests_total[5m])';
    await fs.writeFile(file, stringify(rules));
    const ctx = createMockActionContext({ input: { directory: 'reliability' }, workspacePath });
    const recordName = rules.groups[0].rules[0].record ?? rules.groups[0].rules[0].alert;
    await expect(validate.handler(ctx as any)).rejects.toThrow(
      new RegExp(`reliability/prometheus/.*-slo\\.rules\\.yaml:\\d+: error \\[promql/syntax\\] ${rules.groups[0].name}/${recordName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('fails when the target is above the dependency ceiling, and says how to fix it', async () => {
    const out = await generated({ ...FORM, tier: '1', availability: 99.99, dependencies: ['component:default/payment-api'] });
    const ctx = createMockActionContext({ input: { directory: out.directory, ceiling: out.ceiling }, workspacePath });
    // 99.99 % on top of payment-api's 99.95 %: the ceiling is 99.95 %.
    await expect(validate.handler(ctx as any)).rejects.toThrow(
      /availability target 99.99 % is above .* component:default\/payment-api 99.95 % ≈ 99.95 % — fix: lower the target to at most 99.95 %/,
    );
    const warn = createMockActionContext({
      input: { directory: out.directory, ceiling: out.ceiling, ceilingSeverity: 'warning' },
      workspacePath,
    });
    await validate.handler(warn as any);
    const outputs = Object.fromEntries((warn.output as jest.Mock).mock.calls);
    expect(outputs.ceilingPercent).toBeCloseTo(99.95, 9);
    expect(outputs.findings.filter((f: any) => f.check === 'dependency-ceiling')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'catalog-info.yaml' }),
    ]);
  });

  it('fails when there is nothing to validate', async () => {
    await expect(
      validate.handler(createMockActionContext({ input: { directory: 'reliability' }, workspacePath }) as any),
    ).rejects.toThrow(/does not exist in the workspace/);
  });
});
