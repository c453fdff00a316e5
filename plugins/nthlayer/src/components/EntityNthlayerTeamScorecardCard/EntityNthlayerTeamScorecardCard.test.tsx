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
import { formatScoreDelta } from '../shared/scoreFormat';
import { EntityNthlayerTeamScorecardCard } from './EntityNthlayerTeamScorecardCard';

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

async function renderCard(entity: Entity, answers?: ConstructorParameters<typeof InMemoryNthlayerApi>[0]) {
  const api = new InMemoryNthlayerApi(answers ?? { portfolio: filters => portfolio(filters) });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerTeamScorecardCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('EntityNthlayerTeamScorecardCard', () => {
  it('asks for the portfolio of the group and shows its score, status and services', async () => {
    const api = await renderCard(group('team-payments'));
    expect(api.portfolioRequested).toEqual([{ group: 'group:default/team-payments' }]);
    const expected = portfolio({ group: 'group:default/team-payments' }).teams[0];
    expect(screen.getByText('Reliability scorecard')).toBeInTheDocument();
    expect(screen.getByTestId('nthlayer-team-card')).toHaveAttribute(
      'data-ref',
      'group:default/team-payments',
    );
    expect(screen.getByTestId('nthlayer-team-card-score')).toHaveTextContent(
      new RegExp(`^${expected.score}$`),
    );
    expect(screen.getByTestId('nthlayer-team-card-status')).toHaveAttribute(
      'data-status',
      'critical',
    );
    expect(screen.getByTestId('nthlayer-team-card-trend-7d')).toHaveTextContent(
      new RegExp(`^${formatScoreDelta(expected.score, 80).replace('+', '\\+')}$`),
    );
    expect(screen.getByTestId('nthlayer-team-card-by-status')).toHaveTextContent(
      '4 (2 healthy, 1 warning, 1 critical)',
    );

    const rows = within(screen.getByTestId('nthlayer-team-card-services')).getAllByTestId(
      'nthlayer-rollup-service',
    );
    expect(rows.map(r => r.getAttribute('data-entity-ref'))).toEqual([
      'component:default/checkout-api',
      'component:default/refund-worker',
      'component:default/payment-api',
      'component:default/legacy-billing',
    ]);
    expect(within(rows[0]).getByRole('link', { name: 'checkout-api' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api',
    );
    // legacy-billing has no score: no data, never 0.
    expect(within(rows[3]).getByTestId('nthlayer-rollup-service-score')).toHaveTextContent(
      /^no data$/,
    );
  });

  it('says "no data" for a team whose services have no score yet', async () => {
    await renderCard(group('team-data'), {
      portfolio: filters => {
        const response = portfolio(filters);
        return {
          ...response,
          teams: response.teams.map(t => ({ ...t, score: null })),
          services: response.services.map(s => ({ ...s, score: null })),
        };
      },
    });
    expect(screen.getByTestId('nthlayer-team-card-score')).toHaveTextContent(/^no data$/);
    expect(screen.getByTestId('nthlayer-team-card-trend-7d')).toHaveTextContent(/^no data$/);
    expect(
      screen.getAllByTestId('nthlayer-rollup-service-score').map(s => s.textContent),
    ).toEqual(['no data', 'no data']);
  });

  it('says so when the team owns no managed service', async () => {
    await renderCard(group('team-nobody'));
    expect(screen.getByTestId('nthlayer-team-card-none')).toHaveTextContent(
      'This team owns no NthLayer-managed service.',
    );
  });

  it('shows a failed request in the error panel', async () => {
    await renderCard(group('team-payments'), { portfolio: new Error('database is locked') });
    expect(screen.getAllByText(/database is locked/).length).toBeGreaterThan(0);
  });
});
