import { driftExitCode, parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { generateArtifacts } from '../generateArtifacts';
import { GrafanaClient } from '../grafana/drift/grafanaClient';
import { GrafanaFake, startGrafanaFake } from '../grafana/drift/testing/grafanaFake';
import { PagerDutyDesiredState } from '../pagerduty/generatePagerDuty';
import { PagerDutyClient } from '../pagerduty/client';
import { applyPagerDutyPlan, planPagerDutyApply } from '../pagerduty/applyPagerDuty';
import { observePagerDuty } from '../pagerduty/observePagerDuty';
import { PagerDutyFake } from '../pagerduty/testing/pagerDutyFake';
import { loadAlertCatalogue } from '../technology';
import { sampleInput } from '../testing/sampleInput';
import { checkDrift, DriftReaders } from './checkDrift';
import { expectedRuleGroups } from './expectedRules';
import { ObservedRuleGroup, indexRuleGroups } from './observedRules';

const { artifacts } = generateArtifacts(sampleInput(), { catalogue: loadAlertCatalogue() });
const dashboard = JSON.parse(artifacts.find(a => a.kind === 'grafana-dashboard')!.content);
const desired = JSON.parse(artifacts.find(a => a.kind === 'pagerduty')!.content) as PagerDutyDesiredState;

/** The generated groups as Prometheus answers them (seconds for `for`, spacing of its own). */
const loaded: ObservedRuleGroup[] = expectedRuleGroups(artifacts).map(g => ({
  name: g.name,
  file: `/rules/${g.filename}`,
  rules: g.rules.map(r => ({
    type: r.type,
    name: r.name,
    query: r.expr.replace(/\s+/g, ' '),
    forSeconds: r.for ? parsePrometheusDuration(r.for)! / 1000 : 0,
    labels: { ...r.labels },
    annotations: { ...r.annotations },
    health: 'ok' as const,
    lastEvaluation: '2026-12-02T09:00:00Z',
  })),
}));

const run = (readers: DriftReaders) =>
  checkDrift({
    entityRef: 'component:default/checkout-api',
    service: 'checkout-api',
    artifacts,
    readers,
    now: new Date('2026-12-02T10:00:00Z'),
  });

const rules = (groups: ObservedRuleGroup[]) => ({ instance: 'default', groups: async () => indexRuleGroups(groups) });

describe('checkDrift', () => {
  let grafana: GrafanaFake;
  let pagerduty: PagerDutyFake;
  let pd: PagerDutyClient;
  let grafanaReader: DriftReaders['grafana'];

  beforeAll(async () => {
    grafana = await startGrafanaFake();
    const client = new GrafanaClient({ name: 'main', baseUrl: grafana.baseUrl, token: grafana.token, timeoutMs: 2000 });
    grafanaReader = { instance: 'main', getDashboard: uid => client.getDashboard(uid) };
    pagerduty = await PagerDutyFake.start();
    pd = new PagerDutyClient({ token: pagerduty.token, baseUrl: pagerduty.baseUrl, sleep: async () => {} });
    const userIds = {
      'nthlayer:user:team-payments:1': pagerduty.addUser('Ada'),
      'nthlayer:user:team-payments:2': pagerduty.addUser('Grace'),
    };
    const plan = planPagerDutyApply(desired, await observePagerDuty(pd, desired));
    await applyPagerDutyPlan(pd, desired, plan, { userIds });
  });
  afterAll(async () => {
    await grafana?.close();
    await pagerduty?.close();
  });

  it('says every target it was not given is not configured, and that is exit 0', async () => {
    const report = await run({});
    expect(report.targets.map(t => `${t.target}:${t.state}`)).toEqual([
      'rules:not-configured',
      'dashboard:not-configured',
      'pagerduty:not-configured',
    ]);
    expect(report.findings).toEqual([]);
    expect(driftExitCode(report.findings, report.targets)).toBe(0);
  });

  it('finds nothing when rules, the dashboard as Grafana saved it and PagerDuty match', async () => {
    grafana.save(structuredClone(dashboard), { collapseRows: true });
    const report = await run({ rules: rules(loaded), grafana: grafanaReader, pagerduty: pd });
    expect(report.targets).toEqual([
      { target: 'rules', state: 'checked', instance: 'default' },
      { target: 'dashboard', state: 'checked', instance: 'main' },
      { target: 'pagerduty', state: 'checked' },
    ]);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ critical: 0, warning: 0, info: 0 });
  });

  it('finds a deleted panel, a hand-changed escalation delay and a missing rule group', async () => {
    const edited = structuredClone(dashboard);
    const title = edited.panels.find((p: { type: string }) => p.type !== 'row').title;
    edited.panels = edited.panels.filter((p: { title: string }) => p.title !== title);
    grafana.save(edited);
    const policy = [...pagerduty.state.escalation_policies.values()][0] as any;
    const delay = policy.escalation_rules[0].escalation_delay_in_minutes;
    policy.escalation_rules[0].escalation_delay_in_minutes = delay + 25;
    try {
      const report = await run({ rules: rules(loaded.slice(1)), grafana: grafanaReader, pagerduty: pd });
      expect(report.findings.filter(f => f.target === 'dashboard')).toEqual([
        expect.objectContaining({ kind: 'missing', object: expect.stringContaining(title) }),
      ]);
      expect(report.findings.filter(f => f.target === 'pagerduty')).toEqual([
        expect.objectContaining({
          kind: 'changed',
          field: expect.stringContaining('escalation_delay_in_minutes'),
          expected: String(delay),
          actual: String(delay + 25),
        }),
      ]);
      const missing = report.findings.filter(f => f.target === 'rules');
      expect(missing).toEqual([expect.objectContaining({ kind: 'missing', severity: 'critical', object: expect.stringContaining(loaded[0].name) })]);
      expect(driftExitCode(report.findings, report.targets)).toBe(2);
    } finally {
      grafana.save(structuredClone(dashboard));
      policy.escalation_rules[0].escalation_delay_in_minutes = delay;
    }
  });

  it('reports a target it cannot read as unreachable with the reason, and the others as checked', async () => {
    const down = new GrafanaClient({ name: 'down', baseUrl: 'http://127.0.0.1:1', token: 't', timeoutMs: 1000 });
    const report = await run({
      rules: { instance: 'default', groups: async () => Promise.reject(new Error('Prometheus "default" at http://127.0.0.1:1: fetch failed')) },
      grafana: { instance: 'down', getDashboard: uid => down.getDashboard(uid) },
      pagerduty: pd,
    });
    expect(report.targets.map(t => `${t.target}:${t.state}`)).toEqual(['rules:unreachable', 'dashboard:unreachable', 'pagerduty:checked']);
    expect(report.targets[0].detail).toContain('fetch failed');
    expect(report.targets[1].detail).toMatch(/Grafana "down"/);
    expect(report.findings).toEqual([]);
    expect(driftExitCode(report.findings, report.targets)).toBe(3);
  });
});
