import { DependencyGraphEntity, buildDependencyGraph, graphData, indexDependencyGraph } from './build';
import { blastRadius, blastSeverity, dependencyDepths, dependencyNeighbourhood } from './blast';
import { dependencyCeiling } from './ceiling';

function entity(name: string, dependsOn: string[] = [], extra: Partial<DependencyGraphEntity> = {}): DependencyGraphEntity {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    name,
    managed: true,
    tier: 2,
    owner: 'group:default/team-a',
    system: null,
    dependsOn: dependsOn.map(d => (d.includes(':') ? d : `component:default/${d}`)),
    status: 'healthy',
    minRemainingRatio: 0.8,
    gateVerdict: 'allow',
    ...extra,
  };
}

const ref = (name: string) => `component:default/${name}`;

describe('buildDependencyGraph', () => {
  it('reports a cycle once per member, in order, and still builds the rest', () => {
    const graph = buildDependencyGraph({
      entities: [entity('a', ['b']), entity('b', ['c']), entity('c', ['a']), entity('d', ['a'])],
    });
    const cycles = graph.findings.filter(f => f.type === 'cycle');
    expect(cycles.map(c => c.entityRef).sort()).toEqual([ref('a'), ref('b'), ref('c')]);
    expect(cycles[0].refs).toEqual([ref('a'), ref('b'), ref('c')]);
    expect(cycles[0].message).toContain(`${ref('a')} → ${ref('b')} → ${ref('c')} → ${ref('a')}`);
    expect(graph.edges).toHaveLength(4);
    expect(graph.findingsByEntity.get(ref('d'))).toBeUndefined();
  });

  it('finds a self-loop and a cycle in a 20,000-node chain without overflowing the stack', () => {
    const chain = Array.from({ length: 20000 }, (_, i) => entity(`s${i}`, [`s${(i + 1) % 20000}`]));
    const graph = buildDependencyGraph({ entities: [...chain, entity('self', ['self'])] });
    const cycles = graph.findings.filter(f => f.type === 'cycle');
    expect(cycles).toHaveLength(20001);
    expect(graph.findingsByEntity.get(ref('self'))![0].refs).toEqual([ref('self')]);
    expect(cycles[0].message).toContain('… (20000 entities)');
    expect(cycles[0].refs).toHaveLength(20000);
  });

  it('turns a ref the catalog lacks into a missing node and a dangling-ref finding', () => {
    const graph = buildDependencyGraph({ entities: [entity('a', ['resource:default/gone-db'])] });
    expect(graph.nodes.get('resource:default/gone-db')).toMatchObject({ missing: true, kind: 'resource', name: 'gone-db', managed: false });
    expect(graph.findings).toEqual([
      expect.objectContaining({ type: 'dangling-ref', entityRef: ref('a'), refs: ['resource:default/gone-db'] }),
    ]);
  });

  it('marks metrics edges: both, discovered (undeclared finding), stale, unknown servers', () => {
    const db = { ...entity('orders-db'), entityRef: 'resource:default/orders-db', kind: 'Resource', managed: false, tier: null };
    const graph = buildDependencyGraph({
      entities: [entity('api', ['pay', 'resource:default/orders-db']), entity('pay'), entity('coupon'), db],
      discovered: [
        { client: 'api', server: 'pay', requestRate: 2, requestsLookback: 1000 },
        { client: 'api', server: 'pay', requestRate: 1, requestsLookback: 500 },
        { client: 'api', server: 'coupon', requestRate: 0.5, requestsLookback: 300.4 },
        { client: 'api', server: 'unknown-thing', requestRate: 0.1, requestsLookback: 10 },
        { client: 'nobody', server: 'pay', requestRate: 1, requestsLookback: 10 },
      ],
    });
    const edge = (to: string) => graph.edges.find(e => e.from === ref('api') && e.to === to);
    expect(edge(ref('pay'))).toMatchObject({ source: 'both', requestRate: 3, requestsLookback: 1500 });
    expect(edge(ref('coupon'))).toMatchObject({ source: 'discovered', requestRate: 0.5 });
    expect(edge('resource:default/orders-db')).toMatchObject({ source: 'declared', requestsLookback: 0 });
    const types = graph.findings.map(f => `${f.type}:${f.refs[0]}`).sort();
    expect(types).toEqual([
      `stale-dependency:resource:default/orders-db`,
      `undeclared-dependency:${ref('coupon')}`,
      'undeclared-dependency:unknown-thing',
    ]);
    expect(graph.findings.find(f => f.refs[0] === ref('coupon'))!.message).toContain('300 times in the last 7d');
  });

  it('calls nothing stale or undeclared without a discovery source', () => {
    const graph = buildDependencyGraph({ entities: [entity('api', ['pay']), entity('pay')] });
    expect(graph.findings).toEqual([]);
    expect(graph.edges[0].requestsLookback).toBeNull();
  });

  it('flags a target above the product of its critical dependencies', () => {
    const graph = buildDependencyGraph({
      entities: [
        entity('top', ['a', 'b', 'resource:default/db'], {
          availabilityTargetPercent: 99.99,
          dependencyDetails: { 'resource:default/db': { availabilityPercent: 99.99 } },
        }),
        entity('a', [], { availabilityTargetPercent: 99.95 }),
        entity('b', [], { availabilityTargetPercent: 99.0 }),
        { ...entity('db'), entityRef: 'resource:default/db', managed: false },
        entity('ok', ['a'], { availabilityTargetPercent: 99.9 }),
        entity('soft', ['b'], { availabilityTargetPercent: 99.9, dependencyDetails: { [ref('b')]: { critical: false } } }),
      ],
    });
    const ceilings = graph.findings.filter(f => f.type === 'dependency-ceiling');
    expect(ceilings.map(c => c.entityRef)).toEqual([ref('top')]);
    // 0.9995 × 0.99 = 0.989505; × 0.9999 = 0.989505 − 0.0000989505 = 0.9894060495 → 98.9406 %
    expect(ceilings[0].message).toContain('99.95 % × 99 % × 99.99 % ≈ 98.9406 %');
  });

  it('round-trips through its storable form', () => {
    const graph = buildDependencyGraph({ entities: [entity('a', ['b']), entity('b')] });
    const again = indexDependencyGraph(JSON.parse(JSON.stringify(graphData(graph))));
    expect(again.incoming.get(ref('b'))![0].from).toBe(ref('a'));
    expect([...again.nodes.keys()]).toEqual([...graph.nodes.keys()]);
  });
});

describe('dependencyCeiling', () => {
  it('multiplies the critical dependencies, as DESIGN §2 does', () => {
    const c = dependencyCeiling(99.99, [
      { ref: 'x', availabilityPercent: 99.95, critical: true },
      { ref: 'y', availabilityPercent: 99.99, critical: true },
      { ref: 'z', availabilityPercent: 90, critical: false },
      { ref: 'w', availabilityPercent: null, critical: true },
    ]);
    // 0.9995 × 0.9999 = 0.99940005
    expect(c.ceilingPercent).toBeCloseTo(99.940005, 9);
    expect(c.exceeded).toBe(true);
    expect(c.unknown).toEqual(['w']);
    expect(dependencyCeiling(99.9, [{ ref: 'x', availabilityPercent: 99.9, critical: true }]).exceeded).toBe(false);
    expect(dependencyCeiling(99.9, [{ ref: 'x', availabilityPercent: null, critical: true }])).toMatchObject({ ceilingPercent: null, exceeded: false });
  });
});

describe('blast radius', () => {
  it.each([
    [0, 0, 'low'], [2, 0, 'low'], [3, 0, 'medium'], [1, 1, 'medium'], [5, 1, 'medium'],
    [6, 0, 'high'], [9, 1, 'high'], [10, 0, 'critical'], [2, 2, 'critical'],
  ] as const)('%i affected, %i tier 1 → %s', (affected, tier1, severity) => {
    expect(blastSeverity(affected, tier1).severity).toBe(severity);
  });

  it('walks dependents by shortest depth, each once, through discovered edges too', () => {
    const graph = buildDependencyGraph({
      entities: [
        entity('db'),
        entity('svc1', ['db'], { tier: 1 }),
        entity('svc2', ['db', 'svc1'], { owner: 'group:default/team-b' }),
        entity('edge', ['svc2'], { tier: 1 }),
        entity('caller'),
      ],
      discovered: [{ client: 'caller', server: 'svc1', requestRate: 1, requestsLookback: 5 }],
    });
    const blast = blastRadius(graph, ref('db'));
    expect(blast.byDepth.map(d => [d.depth, d.entities.map(e => e.name)])).toEqual([
      [1, ['svc1', 'svc2']],
      // tier 1 first, then by ref
      [2, ['edge', 'caller']],
    ]);
    expect(blast).toMatchObject({ affected: 4, tier1Affected: 2, severity: 'critical' });
    expect(blast.owners).toEqual([
      { owner: 'group:default/team-a', count: 3 },
      { owner: 'group:default/team-b', count: 1 },
    ]);
    expect(blast.byDepth[1].entities.find(e => e.name === 'caller')!.via).toBe(ref('svc1'));
  });

  it('cuts the neighbourhood at the depth asked and says so', () => {
    const graph = buildDependencyGraph({ entities: [entity('a', ['b']), entity('b', ['c']), entity('c', ['d']), entity('d'), entity('up', ['a'])] });
    const one = dependencyNeighbourhood(graph, ref('a'), 1, 'downstream');
    expect(one.nodes.map(n => n.name)).toEqual(['a', 'b']);
    expect(one.truncated).toBe(true);
    const both = dependencyNeighbourhood(graph, ref('a'), 5, 'both');
    expect(both.nodes.map(n => n.name).sort()).toEqual(['a', 'b', 'c', 'd', 'up']);
    expect(both.edges).toHaveLength(4);
    expect(both.truncated).toBe(false);
  });

  it('gives the distance to everything below or above, up to a depth, shortest path first', () => {
    // a → b → c → d, and a → c directly; up → a.
    const graph = buildDependencyGraph({ entities: [entity('a', ['b', 'c']), entity('b', ['c']), entity('c', ['d']), entity('d'), entity('up', ['a'])] });
    expect(dependencyDepths(graph, ref('a'), 'downstream')).toEqual({ [ref('b')]: 1, [ref('c')]: 1, [ref('d')]: 2 });
    expect(dependencyDepths(graph, ref('a'), 'downstream', 1)).toEqual({ [ref('b')]: 1, [ref('c')]: 1 });
    expect(dependencyDepths(graph, ref('d'), 'upstream')).toEqual({ [ref('c')]: 1, [ref('a')]: 2, [ref('b')]: 2, [ref('up')]: 3 });
  });
});
