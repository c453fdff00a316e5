import { buildGrafanaDashboard } from '../generateGrafanaDashboard';
import { allPanels, dependencies, exprs, input } from '../dashboardTestUtils';
import { normaliseDashboard } from './normaliseDashboard';

describe('normaliseDashboard', () => {
  const generated = () => buildGrafanaDashboard(input({}, dependencies)).dashboard;

  it('keeps uid, title, sorted tags and per panel title, type, row and queries', () => {
    const dashboard = generated();
    const normalised = normaliseDashboard(dashboard);
    expect(normalised).toMatchObject({
      uid: 'nthlayer-checkout-api',
      title: 'checkout-api (NthLayer)',
      tags: ['api', 'nthlayer', 'team-payments', 'tier-1'],
    });
    // Every generated panel, expanded or in a collapsed row, once, with its queries.
    expect(normalised.panels.map(p => p.title)).toEqual(allPanels(dashboard).map(p => p.title));
    expect(normalised.panels.map(p => p.targets.map(t => t.expr))).toEqual(allPanels(dashboard).map(exprs));
    expect(normalised.panels[0]).toEqual({
      title: 'Error budget remaining: availability',
      type: 'stat',
      row: 'SLOs',
      targets: [
        {
          refId: 'A',
          expr: '1 - max(nthlayer:slo_error:ratio_rate30d{service="checkout-api",slo="availability"}) / (1 - 0.999)',
        },
      ],
    });
    const connections = normalised.panels.find(p => p.title === 'Connections')!;
    expect(connections.row).toBe('Dependency: PostgreSQL (payments-db, ledger-db)');
    expect(connections.targets.map(t => t.refId)).toEqual(['A', 'B']);
  });

  it('gives the same result for flat rows, collapsed rows and the pre-5.0 rows[] schema', () => {
    const target = { refId: 'A', expr: 'up', datasource: { uid: 'P1' } };
    const flat = {
      uid: 'u',
      title: 't',
      tags: ['b', 'a'],
      panels: [
        { type: 'timeseries', title: 'top', targets: [target] },
        { type: 'row', title: 'R1', collapsed: false, panels: [] },
        { type: 'stat', title: 'one', id: 3, gridPos: { x: 0, y: 2, w: 6, h: 8 }, targets: [target] },
        { type: 'row', title: 'R2', collapsed: false, panels: [] },
        { type: 'timeseries', title: 'two', pluginVersion: '11.2.0', targets: [target] },
      ],
    };
    const nested = {
      ...flat,
      id: 4,
      version: 9,
      schemaVersion: 39,
      iteration: 123,
      panels: [
        { type: 'timeseries', title: 'top', targets: [target] },
        { type: 'row', title: 'R1', collapsed: true, panels: [{ type: 'stat', title: 'one', targets: [target] }] },
        { type: 'row', title: 'R2', collapsed: true, panels: [{ type: 'timeseries', title: 'two', targets: [target] }] },
      ],
    };
    const legacy = {
      uid: 'u',
      title: 't',
      tags: ['a', 'b'],
      panels: [{ type: 'timeseries', title: 'top', targets: [target] }],
      rows: [
        { title: 'R1', collapse: true, panels: [{ type: 'stat', title: 'one', targets: [target] }] },
        { title: 'R2', panels: [{ type: 'timeseries', title: 'two', targets: [target] }] },
      ],
    };
    const expected = {
      uid: 'u',
      title: 't',
      tags: ['a', 'b'],
      panels: [
        { title: 'top', type: 'timeseries', targets: [{ refId: 'A', expr: 'up' }] },
        { title: 'one', type: 'stat', row: 'R1', targets: [{ refId: 'A', expr: 'up' }] },
        { title: 'two', type: 'timeseries', row: 'R2', targets: [{ refId: 'A', expr: 'up' }] },
      ],
    };
    expect(normaliseDashboard(flat)).toEqual(expected);
    expect(normaliseDashboard(nested)).toEqual(expected);
    expect(normaliseDashboard(legacy)).toEqual(expected);
    expect(normaliseDashboard({ dashboard: nested, meta: { version: 9, slug: 't' } })).toEqual(expected);
  });

  it('keeps only queries with an expr, and tolerates what is not a dashboard', () => {
    const normalised = normaliseDashboard({
      panels: [
        {
          type: 'text',
          title: 'notes',
          targets: [{ refId: 'A', rawSql: 'select 1' }, { expr: 'up' }, null],
        },
        'junk',
      ],
    });
    expect(normalised).toEqual({
      uid: '',
      title: '',
      tags: [],
      panels: [{ title: 'notes', type: 'text', targets: [{ expr: 'up' }] }],
    });
    expect(normaliseDashboard(null)).toEqual({ uid: '', title: '', tags: [], panels: [] });
  });
});
