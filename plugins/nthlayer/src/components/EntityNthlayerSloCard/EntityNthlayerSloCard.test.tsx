import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { EntitySlosResponse } from '@nthlayer/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { EntityNthlayerSloCard } from './EntityNthlayerSloCard';
import {
  availability,
  latency,
  minutesAgo,
  response,
  serviceEntity,
} from './testData';

async function renderCard(
  answer: EntitySlosResponse | Error,
  entity: Entity = serviceEntity,
) {
  const api = new InMemoryNthlayerApi({ slos: answer });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerSloCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

const row = (name: string) =>
  within(screen.getByTestId(`nthlayer-slo-${name}`));

describe('EntityNthlayerSloCard', () => {
  it('shows a healthy SLO with its numbers', async () => {
    const api = await renderCard(response());
    expect(api.requested).toEqual(['Component:default/checkout-api']);
    expect(screen.getByText('NthLayer SLOs')).toBeInTheDocument();
    const slo = row('availability');
    expect(slo.getByText('99.9 %')).toBeInTheDocument();
    expect(slo.getByText('30d')).toBeInTheDocument();
    expect(slo.getByTestId('nthlayer-slo-availability-sli')).toHaveTextContent(
      '99.985 %',
    );
    expect(
      slo.getByTestId('nthlayer-slo-availability-remaining-minutes'),
    ).toHaveTextContent(/^36\.72$/);
    expect(
      slo.getByTestId('nthlayer-slo-availability-remaining-percent'),
    ).toHaveTextContent(/^85\.0$/);
    expect(screen.getByTestId('nthlayer-slo-availability')).toHaveTextContent(
      '36.72 min left of 43.2 min (85.0 %)',
    );
    expect(
      slo.getByTestId('nthlayer-slo-availability-status'),
    ).toHaveTextContent('Healthy');
    expect(slo.getByText('updated 5 minutes ago')).toBeInTheDocument();
    expect(slo.queryByText(/Stale/)).not.toBeInTheDocument();
    expect(slo.queryByText(/Overspent/)).not.toBeInTheDocument();
  });

  it('names the metric family each SLO is measured from, or that none was found', async () => {
    await renderCard(
      response({
        slos: [
          availability({
            measuredFrom: {
              preset: 'otel-http',
              title: 'OpenTelemetry HTTP',
              metric: 'http_server_request_duration_seconds_count',
              found: true,
              pinned: false,
              tried: [
                { preset: 'nthlayer', metric: 'http_requests_total', selector: 'http_requests_total{service="checkout-api"}', found: false },
                { preset: 'otel-http', metric: 'http_server_request_duration_seconds_count', selector: 'http_server_request_duration_seconds_count{job="checkout-api"}', found: true },
              ],
            },
          }),
          latency({
            measuredFrom: {
              preset: 'nthlayer',
              title: 'NthLayer convention',
              metric: 'http_request_duration_seconds',
              found: false,
              pinned: false,
              tried: [
                { preset: 'nthlayer', metric: 'http_request_duration_seconds', selector: 'http_request_duration_seconds_bucket{service="checkout-api"}', found: false },
              ],
            },
          }),
        ],
      }),
    );
    const source = screen.getByTestId('nthlayer-slo-availability-source');
    expect(source).toHaveTextContent('http_server_request_duration_seconds_count (OpenTelemetry HTTP)');
    // What was tried is in the tooltip, one line per candidate.
    expect(source).toHaveAttribute(
      'title',
      '✗ http_requests_total{service="checkout-api"}\n✓ http_server_request_duration_seconds_count{job="checkout-api"}',
    );
    expect(screen.getByTestId('nthlayer-slo-latency-source')).toHaveTextContent('no known metrics found (looked for 1 families)');
  });

  it('shows a latency SLO in warning', async () => {
    await renderCard(response({ slos: [availability(), latency()] }));
    const slo = row('latency');
    expect(slo.getByText('p95 < 500 ms')).toBeInTheDocument();
    expect(slo.getByTestId('nthlayer-slo-latency-sli')).toHaveTextContent(
      '95.750 %',
    );
    expect(screen.getByTestId('nthlayer-slo-latency')).toHaveTextContent(
      '324.00 min left of 2160 min (15.0 %)',
    );
    expect(slo.getByTestId('nthlayer-slo-latency-status')).toHaveTextContent(
      'Warning',
    );
    expect(slo.getByTestId('nthlayer-slo-latency-status')).toHaveAttribute(
      'data-status',
      'warning',
    );
  });

  it('shows an exhausted budget as overspent', async () => {
    const exhausted = availability({
      sli: 99.87,
      errorBudget: {
        totalMinutes: 43.2,
        consumedMinutes: 56.16,
        remainingMinutes: -12.96,
        remainingRatio: -0.3,
      },
      status: 'exhausted',
    });
    await renderCard(response({ slos: [exhausted] }));
    const slo = row('availability');
    expect(screen.getByTestId('nthlayer-slo-availability')).toHaveTextContent(
      'Overspent: -12.96 min of 43.2 min (-30.0 %)',
    );
    expect(
      slo.getByTestId('nthlayer-slo-availability-remaining-percent'),
    ).toHaveTextContent(/^-30\.0$/);
    expect(
      slo.getByTestId('nthlayer-slo-availability-status'),
    ).toHaveTextContent('Exhausted');
  });

  it('flags stale numbers with the last refresh and the error', async () => {
    const stale = availability({
      stale: true,
      updatedAt: minutesAgo(120),
      error: 'Prometheus unreachable: ECONNREFUSED',
    });
    await renderCard(response({ slos: [stale] }));
    expect(
      row('availability').getByText(
        'Stale: last refreshed 2 hours ago — Prometheus unreachable: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
    // the older numbers are still shown
    expect(
      row('availability').getByTestId(
        'nthlayer-slo-availability-remaining-minutes',
      ),
    ).toHaveTextContent('36.72');
  });

  it('says no data instead of inventing numbers', async () => {
    const noData = availability({
      sli: null,
      goodEvents: 0,
      totalEvents: 0,
      errorBudget: null,
      status: 'no-data',
    });
    await renderCard(response({ slos: [noData] }));
    const slo = row('availability');
    expect(slo.getByTestId('nthlayer-slo-availability-sli')).toHaveTextContent(
      'no data',
    );
    expect(
      slo.getByTestId('nthlayer-slo-availability-status'),
    ).toHaveTextContent('No data');
    expect(
      slo.queryByTestId('nthlayer-slo-availability-remaining-percent'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('nthlayer-no-data')).toHaveTextContent(
      'No data yet',
    );
  });

  it('shows a pending SLO as not measured yet', async () => {
    const pending = availability({
      sli: null,
      goodEvents: null,
      totalEvents: null,
      errorBudget: null,
      status: 'pending',
      updatedAt: null,
    });
    await renderCard(response({ slos: [pending] }));
    const slo = row('availability');
    expect(slo.getByText('not measured yet')).toBeInTheDocument();
    expect(
      slo.getByTestId('nthlayer-slo-availability-status'),
    ).toHaveTextContent('Pending');
    expect(slo.queryByText(/^updated/)).not.toBeInTheDocument();
  });

  it('lists findings with their severity', async () => {
    await renderCard(
      response({
        findings: [
          {
            severity: 'warning',
            annotation: 'nthlayer.dev/slo-latency',
            value: 'fast',
            accepted: 'p95<500ms',
            message: 'Using the tier default p95<500ms.',
          },
          {
            severity: 'error',
            annotation: 'nthlayer.dev/slo-availability',
            value: '100',
            accepted: 'a percentage above 0 and below 100',
            message: 'Availability target must be below 100 %.',
          },
        ],
      }),
    );
    const findings = screen.getAllByTestId('nthlayer-finding');
    expect(findings).toHaveLength(2);
    expect(findings[0]).toHaveAttribute('data-severity', 'error');
    expect(findings[0]).toHaveTextContent(
      'Availability target must be below 100 %.',
    );
    expect(findings[1]).toHaveAttribute('data-severity', 'warning');
    expect(findings[1]).toHaveTextContent('Using the tier default p95<500ms.');
    expect(findings[1]).toHaveTextContent('nthlayer.dev/slo-latency: “fast”');
  });

  it('has an empty state when the entity has no SLOs', async () => {
    await renderCard(response({ service: null, slos: [] }));
    expect(screen.getByTestId('nthlayer-empty')).toHaveTextContent('No SLOs');
    expect(screen.queryByTestId(/^nthlayer-slo-/)).not.toBeInTheDocument();
  });

  it('explains a missing annotation without calling the backend', async () => {
    const entity = {
      ...serviceEntity,
      metadata: { name: 'plain', annotations: {} },
    };
    const api = await renderCard(response(), entity);
    expect(api.requested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });

  it('shows a warning when the backend does not know the entity', async () => {
    const notFound = await ResponseError.fromResponse(
      jsonResponse(404, {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/checkout-api',
        },
        response: { statusCode: 404 },
      }),
    );
    await renderCard(notFound);
    expect(
      screen.getByText(/NthLayer does not know this entity yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No entity component:default/checkout-api'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-slo-availability'),
    ).not.toBeInTheDocument();
  });

  it('shows other errors in an error panel', async () => {
    const failure = await ResponseError.fromResponse(
      jsonResponse(500, {
        error: { name: 'Error', message: 'database is down' },
        response: { statusCode: 500 },
      }),
    );
    await renderCard(failure);
    expect(screen.getAllByText(/database is down/).length).toBeGreaterThan(0);
    expect(
      screen.queryByTestId('nthlayer-slo-availability'),
    ).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = new InMemoryNthlayerApi({ slos: 'pending' });
    await renderInTestApp(
      <TestApiProvider apis={[[nthlayerApiRef, api]]}>
        <EntityProvider entity={serviceEntity}>
          <EntityNthlayerSloCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});

function jsonResponse(status: number, body: unknown) {
  return {
    ok: false,
    status,
    statusText: status === 404 ? 'Not Found' : 'Internal Server Error',
    url: 'http://localhost:7007/api/nthlayer/v1/entities/component/default/checkout-api/slos',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}
