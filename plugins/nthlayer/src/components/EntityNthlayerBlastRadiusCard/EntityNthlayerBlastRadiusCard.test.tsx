import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { blast } from '../EntityNthlayerDependenciesContent/testData';
import {
  blastRadius,
  buildDependencyGraph,
} from '@nthlayer/backstage-plugin-common';
import { EntityNthlayerBlastRadiusCard } from './EntityNthlayerBlastRadiusCard';

async function renderCard(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0],
  entity = serviceEntity,
) {
  const api = new InMemoryNthlayerApi(answers);
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerBlastRadiusCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

/** `count` services depending on `component:default/core`, a tenth of them tier 1. */
function fanIn(count: number) {
  const graph = buildDependencyGraph({
    entities: [
      {
        entityRef: 'component:default/core',
        kind: 'component',
        name: 'core',
        managed: true,
        tier: 1,
        owner: 'group:default/team-platform',
        system: null,
        dependsOn: [],
        status: 'healthy',
        minRemainingRatio: 0.9,
        gateVerdict: 'allow',
      },
      ...Array.from({ length: count }, (_, i) => ({
        entityRef: `component:default/client-${String(i).padStart(2, '0')}`,
        kind: 'component',
        name: `client-${String(i).padStart(2, '0')}`,
        managed: true,
        tier: (i % 10 === 0 ? 1 : 3) as 1 | 3,
        owner: i % 2 ? 'group:default/team-growth' : 'group:default/team-data',
        system: null,
        dependsOn: ['component:default/core'],
        status: 'healthy' as const,
        minRemainingRatio: 0.9,
        gateVerdict: 'allow' as const,
      })),
    ],
  });
  return blastRadius(graph, 'component:default/core', null);
}

describe('EntityNthlayerBlastRadiusCard', () => {
  it('shows the severity with its reason, the counts, the owners and the entities by depth', async () => {
    const api = await renderCard({ blastRadius: blast() });
    expect(api.blastRadiusRequested).toEqual(['Component:default/checkout-api']);
    expect(screen.getByText('Blast radius')).toBeInTheDocument();
    const severity = screen.getByTestId('nthlayer-blast-severity');
    expect(severity).toHaveAttribute('data-severity', 'medium');
    expect(severity).toHaveTextContent('medium');
    expect(screen.getByTestId('nthlayer-blast-reason')).toHaveTextContent(
      '2 dependents, 1 of them tier 1: medium at 3 or more services or any tier-1 service',
    );
    expect(screen.getByTestId('nthlayer-blast-affected')).toHaveTextContent(/^2$/);
    expect(screen.getByTestId('nthlayer-blast-tier1')).toHaveTextContent(/^1$/);
    const owners = screen.getByTestId('nthlayer-blast-owners');
    expect(owners).toHaveTextContent('team-growth (1)');
    expect(owners).toHaveTextContent('team-platform (1)');

    const direct = within(screen.getByTestId('nthlayer-blast-depth-1'));
    expect(direct.getByText('Direct dependents (1)')).toBeInTheDocument();
    const gateway = direct.getByTestId('nthlayer-blast-entity');
    expect(gateway).toHaveAttribute('data-entity-ref', 'component:default/api-gateway');
    expect(within(gateway).getByRole('link', { name: 'api-gateway' })).toHaveAttribute(
      'href',
      '/catalog/default/component/api-gateway',
    );
    expect(gateway).toHaveTextContent('T1');
    expect(within(gateway).getByTestId('nthlayer-blast-entity-status')).toHaveTextContent(
      'Healthy',
    );
    const second = within(screen.getByTestId('nthlayer-blast-depth-2'));
    expect(second.getByText('2 steps away (1)')).toBeInTheDocument();
    const bff = second.getByTestId('nthlayer-blast-entity');
    expect(bff).toHaveTextContent('mobile-bff');
    expect(bff).toHaveTextContent('Pending');
    expect(bff).toHaveTextContent('api-gateway'); // through
  });

  it('shows a critical blast radius and folds a long depth after 10', async () => {
    await renderCard({ blastRadius: fanIn(14) });
    expect(screen.getByTestId('nthlayer-blast-severity')).toHaveAttribute(
      'data-severity',
      'critical',
    );
    expect(screen.getByTestId('nthlayer-blast-affected')).toHaveTextContent(/^14$/);
    expect(screen.getByTestId('nthlayer-blast-tier1')).toHaveTextContent(/^2$/);
    expect(screen.getByTestId('nthlayer-blast-not-built')).toBeInTheDocument();
    expect(screen.getAllByTestId('nthlayer-blast-entity')).toHaveLength(10);
    fireEvent.click(screen.getByRole('button', { name: 'Show 4 more' }));
    expect(screen.getAllByTestId('nthlayer-blast-entity')).toHaveLength(14);
  });

  it('says when nothing depends on the entity', async () => {
    await renderCard({ blastRadius: blast('component:default/mobile-bff') });
    expect(screen.getByTestId('nthlayer-blast-severity')).toHaveAttribute(
      'data-severity',
      'low',
    );
    expect(screen.getByTestId('nthlayer-blast-none')).toHaveTextContent(
      'Nothing depends on this entity.',
    );
    expect(screen.getByTestId('nthlayer-blast-affected')).toHaveTextContent(/^0$/);
  });

  it('says NthLayer does not manage the entity when the backend answers 404', async () => {
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      url: 'http://localhost:7007/api/nthlayer/v1/entities/component/default/checkout-api/blast-radius',
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
    await renderCard({ blastRadius: error });
    const empty = screen.getByTestId('nthlayer-blast-empty');
    expect(empty).toHaveTextContent('No blast radius');
    expect(empty).toHaveTextContent('is not managed by NthLayer');
  });

  it('shows a progress bar while loading', async () => {
    await renderCard({ blastRadius: 'pending' });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('does not call the backend for an entity without the annotation', async () => {
    const api = await renderCard(
      { blastRadius: blast() },
      { ...serviceEntity, metadata: { name: 'plain', namespace: 'default' } },
    );
    expect(api.blastRadiusRequested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});
