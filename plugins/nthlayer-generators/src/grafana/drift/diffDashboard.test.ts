import { buildGrafanaDashboard } from '../generateGrafanaDashboard';
import { allPanels, dependencies, input } from '../dashboardTestUtils';
import { diffDashboard } from './diffDashboard';
import { GrafanaClient } from './grafanaClient';
import { FAKE_GRAFANA_VERSION, startGrafanaFake } from './testing/grafanaFake';

function generated() {
  return buildGrafanaDashboard(input({}, dependencies)).dashboard;
}

/** A deep copy of the generated dashboard with `edit` applied to the panel titled `title`. */
function withPanel(title: string, edit: (panel: any) => void) {
  const dashboard = JSON.parse(JSON.stringify(generated()));
  const panel = allPanels(dashboard).find(p => p.title === title);
  if (!panel) throw new Error(`no panel ${title}`);
  edit(panel);
  return dashboard;
}

const BURN = 'Burn rate: availability';

describe('diffDashboard', () => {
  it('finds nothing for an identical dashboard', () => {
    expect(diffDashboard({ expected: generated(), observed: generated() })).toEqual([]);
    expect(
      diffDashboard({ expected: generated(), observed: JSON.parse(JSON.stringify(generated())) }),
    ).toEqual([]);
  });

  it('finds nothing in the copy Grafana saved and answers, rows collapsed or not', async () => {
    const fake = await startGrafanaFake({ token: 't' });
    try {
      const expected = generated();
      fake.save(expected);
      fake.save(expected, { collapseRows: true }); // saved again, with every row collapsed
      const client = new GrafanaClient({ baseUrl: fake.baseUrl, token: 't' });
      const answer = (await client.getDashboard(expected.uid))!;
      const saved = answer.dashboard;

      // Grafana did rewrite it: ids, version, schema, layout, nesting, plugin versions, defaults.
      expect(saved).toMatchObject({ id: 17, version: 2, schemaVersion: 39 });
      expect(expected.schemaVersion).not.toBe(39);
      expect(saved.iteration).toEqual(expect.any(Number));
      expect(saved.panels.every((p: any) => p.type === 'row' && p.collapsed)).toBe(true);
      expect(saved.panels).toHaveLength(6);
      const before = allPanels(expected);
      const after = saved.panels.flatMap((r: any) => r.panels);
      expect(after.map((p: any) => p.title)).toEqual(before.map(p => p.title));
      expect(after.map((p: any) => p.id)).not.toEqual(before.map(p => p.id));
      expect(after.map((p: any) => p.gridPos)).not.toEqual(before.map(p => p.gridPos));
      expect(after.every((p: any) => p.pluginVersion === FAKE_GRAFANA_VERSION)).toBe(true);
      expect(after[0].fieldConfig.defaults).toMatchObject({ color: { mode: 'thresholds' }, mappings: [] });
      expect(before[0].fieldConfig.defaults.color).toBeUndefined();

      expect(diffDashboard({ expected, observed: saved })).toEqual([]);
      expect(diffDashboard({ expected, observed: answer })).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('finds nothing when Grafana resolved data sources or the layout moved', () => {
    const observed = JSON.parse(JSON.stringify(generated()));
    for (const panel of allPanels(observed)) {
      panel.datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' };
      panel.gridPos = { h: 4, w: 24, x: 0, y: 99 };
      for (const target of panel.targets) target.datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' };
    }
    observed.panels.reverse();
    expect(diffDashboard({ expected: generated(), observed })).toEqual([]);
  });

  it('finds nothing for expressions that only print differently', () => {
    const observed = withPanel(BURN, panel => {
      expect(panel.targets[0].expr).toBe(
        'max(nthlayer:slo_error:ratio_rate5m{service="checkout-api",slo="availability"}) / (1 - 0.999)',
      );
      panel.targets[0].expr =
        'max( nthlayer:slo_error:ratio_rate5m{ slo="availability", service="checkout-api" } )\n  / (1 - 9.99e-01)';
    });
    const sli = allPanels(observed).find(p => p.title === 'Request rate by status')!;
    sli.targets[0].expr = 'sum(rate(http_requests_total{service=\'checkout-api\'}[300s])) by (status)';
    const budget = allPanels(observed).find(p => p.title === 'Error budget remaining: latency')!;
    budget.targets[0].expr = budget.targets[0].expr.replace('(1 - 0.99)', '(1-990e-3)');
    expect(diffDashboard({ expected: generated(), observed })).toEqual([]);

    const threshold = (expr: string) => ({
      uid: 'u',
      title: 't',
      panels: [{ type: 'stat', title: 'Big', targets: [{ refId: 'A', expr }] }],
    });
    expect(
      diffDashboard({
        expected: threshold('sum(x{b="1",a="2"}) > 100000000'),
        observed: threshold('sum (x{a="2", b="1"}) > 1e+08'),
      }),
    ).toEqual([]);
    // The same edits with another number are drift: the comparison is not blind.
    expect(
      diffDashboard({
        expected: threshold('sum(x{b="1",a="2"}) > 100000000'),
        observed: threshold('sum (x{a="2", b="1"}) > 1e+07'),
      }),
    ).toHaveLength(1);
  });

  it('reports a missing dashboard as critical', () => {
    expect(diffDashboard({ expected: generated(), observed: undefined, instance: 'ops' })).toEqual([
      {
        target: 'dashboard',
        severity: 'critical',
        kind: 'missing',
        object: 'nthlayer-checkout-api',
        expected: 'checkout-api (NthLayer)',
        message:
          'Dashboard with uid nthlayer-checkout-api not found in Grafana "ops"; import or provision the generated dashboard "checkout-api (NthLayer)".',
      },
    ]);
  });

  it('reports a deleted panel as missing', () => {
    const observed = JSON.parse(JSON.stringify(generated()));
    observed.panels = observed.panels.filter((p: any) => p.title !== BURN);
    expect(diffDashboard({ expected: generated(), observed })).toEqual([
      {
        target: 'dashboard',
        severity: 'warning',
        kind: 'missing',
        object: BURN,
        expected: BURN,
        message: `Panel "${BURN}" (row "SLOs") of dashboard nthlayer-checkout-api is not in Grafana; regenerate and re-import the dashboard.`,
      },
    ]);
  });

  it('reports a changed expression with both texts, paired by refId', () => {
    const observed = withPanel(BURN, panel => {
      expect(panel.targets.map((t: any) => t.refId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
      panel.targets[1].expr = panel.targets[1].expr.replace('0.999', '0.99');
      panel.targets.reverse(); // order does not matter when refIds pair them
    });
    const findings = diffDashboard({ expected: generated(), observed });
    expect(findings).toEqual([
      {
        target: 'dashboard',
        severity: 'warning',
        kind: 'changed',
        object: BURN,
        field: 'targets[B].expr',
        expected: allPanels(generated()).find(p => p.title === BURN)!.targets[1].expr,
        actual: allPanels(generated())
          .find(p => p.title === BURN)!
          .targets[1].expr.replace('0.999', '0.99'),
        message: expect.stringContaining(`Panel "${BURN}" (row "SLOs") queries something other than`),
      },
    ]);
    expect(findings[0].expected).not.toBe(findings[0].actual);
  });

  it('pairs queries by position when they have no refId, and reports lost and added queries', () => {
    const observed = withPanel(BURN, panel => {
      panel.targets = panel.targets.map(({ refId: _refId, ...t }: any) => t);
      panel.targets[0].expr = 'up';
      panel.targets.pop();
    });
    const extra = withPanel('Error ratio', panel => {
      panel.targets.push({ refId: 'Z', expr: 'vector(1)' });
    });
    const findings = diffDashboard({ expected: generated(), observed });
    expect(findings.map(f => [f.severity, f.kind, f.field, f.actual])).toEqual([
      ['warning', 'changed', 'targets[A].expr', 'up'],
      ['warning', 'changed', 'targets[G].expr', undefined],
    ]);
    expect(findings[1].message).toContain('lost its query G');
    expect(diffDashboard({ expected: generated(), observed: extra })).toEqual([
      expect.objectContaining({ severity: 'info', kind: 'extra', object: 'Error ratio', field: 'targets[Z].expr', actual: 'vector(1)' }),
    ]);
  });

  it('warns about a renamed dashboard and a renamed panel (missing plus extra)', () => {
    const observed = withPanel('Error ratio', panel => {
      panel.title = 'Errors';
    });
    observed.title = 'Checkout';
    expect(diffDashboard({ expected: generated(), observed, instance: 'ops' })).toEqual([
      {
        target: 'dashboard',
        severity: 'warning',
        kind: 'changed',
        object: 'nthlayer-checkout-api',
        field: 'title',
        expected: 'checkout-api (NthLayer)',
        actual: 'Checkout',
        message:
          'Dashboard nthlayer-checkout-api in Grafana "ops" is titled "Checkout", not "checkout-api (NthLayer)"; regenerate and re-import it.',
      },
      expect.objectContaining({ severity: 'warning', kind: 'missing', object: 'Error ratio' }),
      expect.objectContaining({
        severity: 'info',
        kind: 'extra',
        object: 'Errors',
        message: expect.stringContaining('is not generated by NthLayer'),
      }),
    ]);
  });

  it('notes another panel type as info', () => {
    const observed = withPanel(BURN, panel => {
      panel.type = 'barchart';
    });
    expect(diffDashboard({ expected: generated(), observed })).toEqual([
      expect.objectContaining({
        severity: 'info',
        kind: 'changed',
        object: BURN,
        field: 'type',
        expected: 'timeseries',
        actual: 'barchart',
      }),
    ]);
  });

  it('pairs panels of repeated titles within their rows first', () => {
    const dashboard = {
      uid: 'u',
      title: 't',
      panels: [
        { type: 'row', title: 'R1', panels: [] },
        { type: 'timeseries', title: 'Memory', targets: [{ refId: 'A', expr: 'a' }] },
        { type: 'row', title: 'R2', panels: [] },
        { type: 'timeseries', title: 'Memory', targets: [{ refId: 'A', expr: 'b' }] },
      ],
    };
    const swapped = { ...dashboard, panels: [dashboard.panels[2], dashboard.panels[3], dashboard.panels[0], dashboard.panels[1]] };
    expect(diffDashboard({ expected: dashboard, observed: swapped })).toEqual([]);
    const changed = JSON.parse(JSON.stringify(dashboard));
    changed.panels[3].targets[0].expr = 'c';
    expect(diffDashboard({ expected: dashboard, observed: changed })).toEqual([
      expect.objectContaining({ object: 'Memory', field: 'targets[A].expr', expected: 'b', actual: 'c' }),
    ]);
  });
});
