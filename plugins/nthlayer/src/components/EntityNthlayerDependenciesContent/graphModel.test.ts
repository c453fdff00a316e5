import {
  edgeMiddle,
  edgePath,
  nodeColourKey,
  nodeLabel,
  nodeRelations,
  sortedNodes,
} from './graphModel';
import { CHECKOUT, dependencies } from './testData';

describe('dependency graph model', () => {
  it('colours critical and exhausted red, and everything without a status grey', () => {
    expect(nodeColourKey('healthy')).toBe('healthy');
    expect(nodeColourKey('warning')).toBe('warning');
    expect(nodeColourKey('critical')).toBe('critical');
    expect(nodeColourKey('exhausted')).toBe('critical');
    expect(nodeColourKey('no-data')).toBe('unknown');
    expect(nodeColourKey('pending')).toBe('unknown');
    expect(nodeColourKey(null)).toBe('unknown');
  });

  it('cuts long names with an ellipsis', () => {
    expect(nodeLabel('checkout-api')).toBe('checkout-api');
    expect(nodeLabel('a-very-long-service-name-indeed', 10)).toBe('a-very-lo…');
  });

  it('links each node to the entity by the first edge met, downstream first', () => {
    const response = dependencies();
    const relations = nodeRelations(CHECKOUT, response.edges);
    expect(relations.get(CHECKOUT)).toEqual({ distance: 0 });
    expect(relations.get('component:default/coupon-api')).toMatchObject({
      distance: 1,
      edge: { from: CHECKOUT, source: 'discovered' },
    });
    // Two steps away, reached through payment-api.
    expect(relations.get('component:default/ledger-api')).toMatchObject({
      distance: 2,
      edge: { from: 'component:default/payment-api', source: 'declared' },
    });
    expect(relations.get('component:default/mobile-bff')).toMatchObject({
      distance: 2,
      edge: { to: 'component:default/api-gateway' },
    });
    const order = sortedNodes(CHECKOUT, response.nodes, relations).map(n => n.name);
    expect(order[0]).toBe('checkout-api');
    expect(order.slice(-2)).toEqual(['ledger-api', 'mobile-bff']);
  });

  it('draws edges through their points and labels them in the middle', () => {
    expect(edgePath([])).toBe('');
    expect(edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }])).toBe('M0,0L10,5');
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 20, y: 10 },
      ]),
    ).toBe('M0,0Q10,0 20,10');
    expect(edgePath([{ x: 0, y: 0 }, { x: Number.NaN, y: 1 }])).toBe('');
    expect(edgeMiddle([{ x: 0, y: 0 }, { x: 10, y: 4 }, { x: 20, y: 0 }])).toEqual({ x: 10, y: 4 });
    expect(edgeMiddle([{ x: 0, y: 0 }, { x: 10, y: 4 }])).toEqual({ x: 5, y: 2 });
    expect(edgeMiddle([])).toBeUndefined();
  });
});
