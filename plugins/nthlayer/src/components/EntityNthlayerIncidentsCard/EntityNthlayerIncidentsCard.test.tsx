import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerIncidentsCard } from './EntityNthlayerIncidentsCard';
import {
  incidents,
  minutesAgo,
  notConfigured,
  openIncident,
  resolvedIncident,
} from './testData';

async function renderCard(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0],
  entity: Entity = serviceEntity,
) {
  const api = new InMemoryNthlayerApi(answers);
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerIncidentsCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: 'Error',
    url: 'http://localhost:7007/api/nthlayer/v1/entities/component/default/checkout-api/incidents',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}

const rows = () => screen.getAllByTestId('nthlayer-incident');

describe('EntityNthlayerIncidentsCard', () => {
  it('says PagerDuty is not configured, and which config key to set', async () => {
    const api = await renderCard({ incidents: notConfigured });
    expect(api.incidentsRequested).toEqual(['Component:default/checkout-api']);
    expect(screen.getByText('Incidents')).toBeInTheDocument();
    const empty = screen.getByTestId('nthlayer-incidents-not-configured');
    expect(empty).toHaveTextContent('PagerDuty is not configured');
    expect(
      within(empty).getByText('nthlayer.pagerduty.token'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-incidents-open'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('No incidents recorded')).not.toBeInTheDocument();
  });

  it('says no incidents were recorded, with zero counts', async () => {
    await renderCard({ incidents: incidents([]) });
    expect(screen.getByTestId('nthlayer-incidents-open')).toHaveTextContent(
      /^0$/,
    );
    expect(screen.getByTestId('nthlayer-incidents-7d')).toHaveTextContent(
      /^0$/,
    );
    expect(screen.getByText('No incidents recorded')).toBeInTheDocument();
    expect(screen.getByTestId('nthlayer-incidents-service')).toHaveTextContent(
      'PagerDuty service PCHKOUT',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when no PagerDuty service is known for the entity', async () => {
    await renderCard({ incidents: incidents([], { serviceId: null }) });
    expect(screen.getByTestId('nthlayer-incidents-service')).toHaveTextContent(
      'pagerduty.com/service-id',
    );
  });

  it('shows the counts and an open and a resolved incident', async () => {
    const open = openIncident();
    const resolved = resolvedIncident();
    await renderCard({ incidents: incidents([open, resolved]) });
    expect(screen.getByTestId('nthlayer-incidents-open')).toHaveTextContent(
      /^1$/,
    );
    expect(screen.getByTestId('nthlayer-incidents-7d')).toHaveTextContent(
      /^2$/,
    );
    expect(screen.getByText('open')).toBeInTheDocument();
    expect(screen.getByText('in the last 7 days')).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'PagerDuty incidents' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Incident',
      'Status',
      'Urgency',
      'Priority',
      'Created',
      'Resolved',
    ]);

    const [first, second] = rows();
    expect(first).toHaveAttribute('data-incident', open.id);
    const o = within(first);
    const link = o.getByRole('link', {
      name: /^#1234 Checkout error budget burning 14\.4x/,
    });
    expect(link).toHaveAttribute('href', open.url);
    expect(o.getByTestId('nthlayer-incident-status')).toHaveTextContent(
      /^triggered$/,
    );
    expect(o.getByTestId('nthlayer-incident-status')).toHaveAttribute(
      'data-status',
      'triggered',
    );
    expect(o.getByText('high')).toBeInTheDocument();
    expect(o.getByText('P1')).toBeInTheDocument();
    expect(o.getByText(formatTime(open.createdAt))).toBeInTheDocument();
    expect(o.getByTestId('nthlayer-incident-resolved')).toHaveTextContent(
      /^open for 2\.0 h$/,
    );

    expect(second).toHaveAttribute('data-status', 'resolved');
    const r = within(second);
    expect(
      r.getByRole('link', { name: /^#1201 Checkout latency above 500 ms/ }),
    ).toHaveAttribute('href', resolved.url);
    expect(r.getByTestId('nthlayer-incident-status')).toHaveTextContent(
      /^resolved$/,
    );
    expect(r.getByText('low')).toBeInTheDocument();
    expect(r.getByText('—')).toBeInTheDocument(); // no priority
    expect(r.getByTestId('nthlayer-incident-resolved')).toHaveTextContent(
      `${formatTime(resolved.resolvedAt)} after 45 min`,
    );
  });

  it('shows an incident without a link, number or title by its id', async () => {
    await renderCard({
      incidents: incidents([
        openIncident({
          url: null,
          number: null,
          title: null,
          status: 'acknowledged',
        }),
      ]),
    });
    const row = within(rows()[0]);
    expect(row.queryByRole('link')).not.toBeInTheDocument();
    expect(row.getByText('Q2KJ8WZ9X4ABCD')).toBeInTheDocument();
    expect(row.getByTestId('nthlayer-incident-status')).toHaveTextContent(
      'acknowledged',
    );
  });

  it('folds a long list after the first 10 incidents', async () => {
    const many = Array.from({ length: 13 }, (_, i) =>
      resolvedIncident({
        id: `Q${i}`,
        number: String(100 + i),
        createdAt: minutesAgo(60 * (i + 2)),
      }),
    );
    await renderCard({ incidents: incidents(many) });
    expect(rows()).toHaveLength(10);
    fireEvent.click(screen.getByRole('button', { name: 'Show 3 more' }));
    expect(rows()).toHaveLength(13);
  });

  it('shows a progress bar while loading', async () => {
    await renderCard({ incidents: 'pending' });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows a failed request in the error panel', async () => {
    await renderCard({
      incidents: await responseError(
        500,
        'Error',
        'incident store unavailable',
      ),
    });
    expect(
      screen.getAllByText(/incident store unavailable/).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('nthlayer-incidents')).not.toBeInTheDocument();
  });

  it('says NthLayer does not manage the entity when the backend answers 404', async () => {
    await renderCard({
      incidents: await responseError(
        404,
        'NotFoundError',
        'component:default/checkout-api is not managed by NthLayer',
      ),
    });
    expect(screen.getByTestId('nthlayer-incidents-empty')).toHaveTextContent(
      'is not managed by NthLayer',
    );
  });

  it('asks for the annotation instead of calling the backend on an unmanaged entity', async () => {
    const api = await renderCard(
      { incidents: notConfigured },
      { ...serviceEntity, metadata: { name: 'plain', namespace: 'default' } },
    );
    expect(api.incidentsRequested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});
