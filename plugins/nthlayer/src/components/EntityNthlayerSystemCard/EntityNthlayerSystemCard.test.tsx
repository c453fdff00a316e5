import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { portfolio } from '../NthlayerScorecardPage/testData';
import { EntityNthlayerSystemCard } from './EntityNthlayerSystemCard';

const system = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'group:default/team-platform' },
});

async function renderCard(entity: Entity, answers?: ConstructorParameters<typeof InMemoryNthlayerApi>[0]) {
  const api = new InMemoryNthlayerApi(answers ?? { portfolio: filters => portfolio(filters) });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerSystemCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('EntityNthlayerSystemCard', () => {
  it('asks for the portfolio of the system and shows its score, composite budget and services', async () => {
    const api = await renderCard(system('commerce'));
    expect(api.portfolioRequested).toEqual([{ system: 'system:default/commerce' }]);
    const expected = portfolio({ system: 'system:default/commerce' }).systems[0];
    expect(screen.getByTestId('nthlayer-system-card')).toHaveAttribute(
      'data-ref',
      'system:default/commerce',
    );
    expect(screen.getByTestId('nthlayer-system-card-score')).toHaveTextContent(
      new RegExp(`^${expected.score}$`),
    );
    expect(screen.getByTestId('nthlayer-system-card-budget')).toHaveTextContent(
      `${(expected.compositeRemainingRatio! * 100).toFixed(1)} %`,
    );
    // Systems have no stored past scores in the fixture.
    expect(screen.getByTestId('nthlayer-system-card-trend-30d')).toHaveTextContent(/^no data$/);
    const rows = within(screen.getByTestId('nthlayer-system-card-services')).getAllByTestId(
      'nthlayer-rollup-service',
    );
    expect(rows).toHaveLength(10);
    expect(rows.map(r => r.getAttribute('data-entity-ref'))).not.toContain(
      'component:default/coupon-api',
    );
  });

  it('shows a missing composite budget as no data', async () => {
    await renderCard(system('marketing'), {
      portfolio: filters => {
        const response = portfolio(filters);
        return {
          ...response,
          systems: response.systems.map(s => ({ ...s, compositeRemainingRatio: null })),
        };
      },
    });
    expect(screen.getByTestId('nthlayer-system-card-budget')).toHaveTextContent(/^no data$/);
    expect(screen.getAllByTestId('nthlayer-rollup-service')).toHaveLength(1);
  });

  it('says so when no managed service belongs to the system', async () => {
    await renderCard(system('empty'));
    expect(screen.getByTestId('nthlayer-system-card-none')).toHaveTextContent(
      'No NthLayer-managed service belongs to this system.',
    );
  });
});
