import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerDependenciesContent } from './EntityNthlayerDependenciesContent';
import { CHECKOUT, dependencies, largeDependencies } from './testData';

function Location() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

// jsdom has no layout: DependencyGraph measures each node with getBBox.
const originalGetBBox = (SVGElement.prototype as any).getBBox;
beforeAll(() => {
  (SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 188,
    height: 44,
  });
});
afterAll(() => {
  (SVGElement.prototype as any).getBBox = originalGetBBox;
});

async function renderTab(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0] = {
    dependencies: ({ depth, direction }) => dependencies(depth, direction),
  },
  entity = serviceEntity,
) {
  const api = new InMemoryNthlayerApi(answers);
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerDependenciesContent />
        <Location />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const graphNode = (ref: string) =>
  screen
    .getAllByTestId('nthlayer-dependency-node')
    .find(n => n.getAttribute('data-entity-ref') === ref)!;
const graphEdge = (from: string, to: string) =>
  screen
    .getAllByTestId('nthlayer-dependency-edge')
    .find(
      e =>
        e.getAttribute('data-from') === from && e.getAttribute('data-to') === to,
    );
const row = (ref: string) =>
  screen
    .getAllByTestId('nthlayer-dependency-row')
    .find(r => r.getAttribute('data-entity-ref') === ref)!;

describe('EntityNthlayerDependenciesContent', () => {
  it('asks for depth 2 both ways and draws every node coloured by its budget status', async () => {
    const api = await renderTab();
    expect(api.dependenciesRequested).toEqual([
      { entityRef: 'Component:default/checkout-api', depth: 2, direction: 'both' },
    ]);
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-node')).toHaveLength(
        dependencies().nodes.length,
      ),
    );
    const colour = (ref: string) => graphNode(ref).getAttribute('data-colour');
    expect(colour(CHECKOUT)).toBe('critical');
    expect(colour('component:default/payment-api')).toBe('healthy');
    expect(colour('component:default/auth-api')).toBe('warning');
    expect(colour('component:default/coupon-api')).toBe('critical'); // exhausted
    expect(colour('component:default/catalog-api')).toBe('unknown'); // no data
    expect(colour('component:default/mobile-bff')).toBe('unknown'); // pending
    expect(colour('resource:default/orders-db')).toBe('unknown'); // not managed
    expect(colour('component:default/ledger-api')).toBe('missing');

    // Fill colours: green, amber, red, grey.
    const fill = (ref: string) =>
      graphNode(ref).querySelector('rect')!.getAttribute('fill');
    expect(fill('component:default/payment-api')).toBe('#2e7d32');
    expect(fill('component:default/auth-api')).toBe('#ffb300');
    expect(fill(CHECKOUT)).toBe('#c62828');
    expect(fill('component:default/coupon-api')).toBe('#c62828');
    expect(fill('resource:default/orders-db')).toBe('#9e9e9e');

    // A ref the catalog lacks has a dashed outline; others a solid one.
    const missing = graphNode('component:default/ledger-api');
    expect(missing).toHaveAttribute('data-missing', 'true');
    expect(missing.querySelector('rect')).toHaveAttribute('stroke-dasharray', '5 4');
    expect(
      graphNode('component:default/payment-api').querySelector('rect'),
    ).not.toHaveAttribute('stroke-dasharray');

    // Tier badge and name.
    const checkout = within(graphNode(CHECKOUT));
    expect(checkout.getByTestId('nthlayer-dependency-tier')).toHaveTextContent('T1');
    expect(checkout.getByText('checkout-api')).toBeInTheDocument();
    expect(graphNode(CHECKOUT)).toHaveAttribute('data-root', 'true');
    expect(
      within(graphNode('resource:default/orders-db')).queryByTestId(
        'nthlayer-dependency-tier',
      ),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('nthlayer-dependency-legend')).toHaveTextContent(
      'Discovered: seen in traffic, not declared',
    );
  });

  it('dashes the discovered-only edge and labels it "discovered", and only that one', async () => {
    await renderTab();
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-edge')).toHaveLength(
        dependencies().edges.length,
      ),
    );
    const discovered = graphEdge(CHECKOUT, 'component:default/coupon-api')!;
    expect(discovered).toHaveAttribute('data-source', 'discovered');
    expect(
      within(discovered).getByTestId('nthlayer-dependency-edge-path'),
    ).toHaveAttribute('stroke-dasharray', '6 4');
    expect(
      within(discovered).getByTestId('nthlayer-dependency-edge-label'),
    ).toHaveTextContent(/^discovered$/);

    const both = graphEdge(CHECKOUT, 'component:default/payment-api')!;
    expect(both).toHaveAttribute('data-source', 'both');
    const declared = graphEdge(CHECKOUT, 'resource:default/orders-db')!;
    expect(declared).toHaveAttribute('data-source', 'declared');
    for (const edge of [both, declared]) {
      expect(
        within(edge).getByTestId('nthlayer-dependency-edge-path'),
      ).not.toHaveAttribute('stroke-dasharray');
      expect(
        within(edge).queryByTestId('nthlayer-dependency-edge-label'),
      ).not.toBeInTheDocument();
    }
    expect(screen.getAllByTestId('nthlayer-dependency-edge-label')).toHaveLength(1);
  });

  it('lists every node in the table with kind, tier, status, owner and how it is linked', async () => {
    await renderTab();
    const rows = screen.getAllByTestId('nthlayer-dependency-row');
    expect(rows).toHaveLength(dependencies().nodes.length);
    expect(rows[0]).toHaveAttribute('data-entity-ref', CHECKOUT);
    expect(within(rows[0]).getByTestId('nthlayer-dependency-relation')).toHaveTextContent(
      'this entity',
    );

    const declared = [
      'component:default/payment-api',
      'component:default/auth-api',
      'component:default/catalog-api',
      'resource:default/orders-db',
      'resource:default/session-cache',
      'resource:default/events-bus',
    ];
    for (const ref of declared) {
      expect(['declared', 'both']).toContain(row(ref).getAttribute('data-source'));
      expect(within(row(ref)).getByTestId('nthlayer-dependency-status')).toHaveTextContent(/\S/);
    }
    const coupon = row('component:default/coupon-api');
    expect(coupon).toHaveAttribute('data-source', 'discovered');
    expect(within(coupon).getByTestId('nthlayer-dependency-relation')).toHaveTextContent(
      'discovered' + 'checkout-api → coupon-api',
    );
    expect(within(coupon).getByTestId('nthlayer-dependency-status')).toHaveTextContent(
      'Exhausted',
    );
    expect(within(coupon).getByText('T3')).toBeInTheDocument();
    expect(within(coupon).getByText('team-growth')).toBeInTheDocument();
    expect(
      within(row('component:default/payment-api')).getByTestId('nthlayer-dependency-relation'),
    ).toHaveTextContent('declared + discovered');
    expect(
      within(row('resource:default/orders-db')).getByTestId('nthlayer-dependency-status'),
    ).toHaveTextContent('not managed');
    expect(
      within(row('component:default/ledger-api')).getByTestId('nthlayer-dependency-status'),
    ).toHaveTextContent('not in catalog');
    // Upstream: api-gateway depends on checkout-api.
    expect(
      within(row('component:default/api-gateway')).getByTestId('nthlayer-dependency-relation'),
    ).toHaveTextContent('api-gateway → checkout-api');
  });

  it('lists the findings below the graph', async () => {
    await renderTab();
    const findings = screen.getAllByTestId('nthlayer-dependency-finding');
    expect(findings).toHaveLength(dependencies().findings.length);
    // Warnings first.
    expect(findings.slice(0, 2).map(f => f.getAttribute('data-type')).sort()).toEqual([
      'dangling-ref',
      'undeclared-dependency',
    ]);
    const undeclared = findings.find(
      f => f.getAttribute('data-type') === 'undeclared-dependency',
    )!;
    expect(undeclared).toHaveTextContent('Undeclared dependency');
    expect(undeclared).toHaveTextContent(
      'component:default/checkout-api called component:default/coupon-api 241920 times',
    );
    expect(
      findings.find(f => f.getAttribute('data-type') === 'dangling-ref'),
    ).toHaveTextContent('Not in catalog');
  });

  it('asks again with the new depth and direction and draws what comes back', async () => {
    const api = await renderTab();
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-node')).toHaveLength(11),
    );
    fireEvent.change(screen.getByLabelText('Depth'), { target: { value: '1' } });
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-row')).toHaveLength(
        dependencies(1).nodes.length,
      ),
    );
    expect(api.dependenciesRequested.at(-1)).toEqual({
      entityRef: 'Component:default/checkout-api',
      depth: 1,
      direction: 'both',
    });
    expect(screen.getByTestId('nthlayer-dependencies-truncated')).toHaveTextContent(
      'More entities lie beyond depth 1',
    );
    // The graph drops nodes on its next layout.
    await waitFor(() =>
      expect(screen.queryByText('ledger-api')).not.toBeInTheDocument(),
    );

    fireEvent.change(screen.getByLabelText('Direction'), {
      target: { value: 'downstream' },
    });
    await waitFor(() =>
      expect(api.dependenciesRequested.at(-1)).toEqual({
        entityRef: 'Component:default/checkout-api',
        depth: 1,
        direction: 'downstream',
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-row')).toHaveLength(
        dependencies(1, 'downstream').nodes.length,
      ),
    );
    await waitFor(() =>
      expect(screen.queryByText('api-gateway')).not.toBeInTheDocument(),
    );
  });

  it('opens the entity page of a node clicked, not of a ref the catalog lacks', async () => {
    await renderTab();
    await waitFor(() => expect(graphNode('component:default/payment-api')).toBeDefined());
    fireEvent.click(graphNode('component:default/ledger-api'));
    expect(screen.getByTestId('location')).not.toHaveTextContent('ledger-api');
    fireEvent.click(graphNode('component:default/payment-api'));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/catalog/default/component/payment-api',
      ),
    );
    fireEvent.keyDown(graphNode('resource:default/orders-db'), { key: 'Enter' });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/catalog/default/resource/orders-db',
      ),
    );
  });

  it('draws 250 nodes scaled to fit, and lists them all', async () => {
    const big = largeDependencies(250);
    const started = Date.now();
    await renderTab({ dependencies: big });
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-dependency-node')).toHaveLength(250),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(screen.getByTestId('nthlayer-dependency-graph')).toHaveAttribute(
      'data-nodes',
      '250',
    );
    expect(screen.getAllByTestId('nthlayer-dependency-row')).toHaveLength(250);
  });

  it('says NthLayer does not manage the entity when the backend answers 404', async () => {
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      url: 'http://localhost:7007/api/nthlayer/v1/entities/component/default/checkout-api/dependencies',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'component:default/checkout-api is not managed by NthLayer',
          },
          response: { statusCode: 404 },
        }),
    } as unknown as Response);
    await renderTab({ dependencies: error });
    const empty = screen.getByTestId('nthlayer-dependencies-empty');
    expect(empty).toHaveTextContent('No dependency graph');
    expect(empty).toHaveTextContent('is not managed by NthLayer');
    expect(screen.queryByTestId('nthlayer-dependency-graph')).not.toBeInTheDocument();
  });

  it('asks for the annotation instead of calling the backend on an unmanaged entity', async () => {
    const api = await renderTab(undefined, {
      ...serviceEntity,
      metadata: { name: 'plain', namespace: 'default' },
    });
    expect(api.dependenciesRequested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});
