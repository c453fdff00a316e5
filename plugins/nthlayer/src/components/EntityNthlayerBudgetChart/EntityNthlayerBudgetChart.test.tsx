import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
  mockResizeObserver,
} from '../../testUtils/InMemoryNthlayerApi';
import {
  availability,
  history,
  latency,
  minutesAgo,
  response,
  serviceEntity,
} from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerBudgetChart } from './EntityNthlayerBudgetChart';
import { SloHistoryResponse } from '@nthlayer/backstage-plugin-common';

let restoreResizeObserver: () => void;
beforeEach(() => {
  restoreResizeObserver = mockResizeObserver(640, 280);
});
afterEach(() => restoreResizeObserver());

async function renderChart(
  historyAnswer: FakeAnswer<SloHistoryResponse>,
  options: { slo?: string; slos?: ReturnType<typeof response> } = {},
) {
  const api = new InMemoryNthlayerApi({
    slos: options.slos ?? response(),
    history: { availability: historyAnswer, latency: historyAnswer },
  });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={serviceEntity}>
        <EntityNthlayerBudgetChart slo={options.slo} />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

const chart = (slo = 'availability') =>
  screen.getByTestId(`nthlayer-budget-chart-${slo}`);

describe('EntityNthlayerBudgetChart', () => {
  it('draws the burn-down with the thresholds as reference lines', async () => {
    const api = await renderChart(history());
    expect(api.historyRequested).toEqual([
      'Component:default/checkout-api#availability',
    ]);
    const container = chart();
    const surface = container.querySelector('svg.recharts-surface');
    expect(surface).not.toBeNull();
    expect(surface).toHaveAttribute('width', '640');
    // the area is drawn from the points, not an empty path
    const curve = container.querySelector('.recharts-area-curve');
    expect(curve?.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    const labels = within(container);
    expect(labels.getByText('budget exhausted / target')).toBeInTheDocument();
    expect(labels.getByText('warning 25 %')).toBeInTheDocument();
    expect(labels.getByText('critical 10 %')).toBeInTheDocument();
    expect(container.querySelectorAll('.recharts-reference-line')).toHaveLength(
      3,
    );
  });

  it('widens the axis below 0 % for an overspent budget', async () => {
    await renderChart(history({}, -30));
    const ticks = Array.from(
      chart().querySelectorAll(
        '.recharts-yAxis .recharts-cartesian-axis-tick-value',
      ),
    ).map(t => t.textContent);
    expect(ticks).toContain('-30 %');
    expect(ticks).toContain('100 %');
  });

  it('charts the SLO it is given', async () => {
    const api = await renderChart(history({ slo: 'latency' }), {
      slo: 'latency',
      slos: response({ slos: [availability(), latency()] }),
    });
    expect(api.historyRequested).toEqual([
      'Component:default/checkout-api#latency',
    ]);
    expect(chart('latency').querySelector('svg')).not.toBeNull();
    expect(
      screen.queryByTestId('nthlayer-budget-chart-availability'),
    ).not.toBeInTheDocument();
  });

  it('says which SLOs exist when the named one does not', async () => {
    await renderChart(history(), { slo: 'throughput' });
    expect(screen.getByText('No SLO named throughput')).toBeInTheDocument();
    expect(
      screen.getByText('This entity declares availability.'),
    ).toBeInTheDocument();
  });

  it('shows progress while the history loads', async () => {
    await renderChart('pending');
    expect(chart().querySelector('[data-state="loading"]')).not.toBeNull();
    expect(within(chart()).getByTestId('progress')).toBeInTheDocument();
    expect(chart().querySelector('svg.recharts-surface')).toBeNull();
  });

  it('has a deliberate empty state without points', async () => {
    await renderChart(history({ points: [] }));
    expect(within(chart()).getByText('No history yet')).toBeInTheDocument();
    expect(chart().querySelector('svg.recharts-surface')).toBeNull();
  });

  it('shows the error of a failed history request', async () => {
    const failure = await ResponseError.fromResponse({
      ok: false,
      status: 500,
      statusText: 'Internal Server Error',
      url: 'http://localhost/history',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: { name: 'Error', message: 'snapshot table missing' },
          response: { statusCode: 500 },
        }),
    } as unknown as Response);
    await renderChart(failure);
    expect(chart().querySelector('[data-state="error"]')).not.toBeNull();
    expect(
      within(chart()).getAllByText(/snapshot table missing/).length,
    ).toBeGreaterThan(0);
  });

  it('puts a banner over the chart when the SLO report is stale', async () => {
    await renderChart(history(), {
      slos: response({
        slos: [
          availability({
            stale: true,
            updatedAt: minutesAgo(180),
            error: 'Prometheus unreachable',
          }),
        ],
      }),
    });
    expect(
      screen.getByTestId('nthlayer-budget-chart-availability-stale'),
    ).toHaveTextContent(
      'Stale: the budget was last refreshed 3 hours ago — Prometheus unreachable.',
    );
    // the older history is still drawn
    expect(chart().querySelector('svg.recharts-surface')).not.toBeNull();
  });

  it('has no stale banner for fresh numbers', async () => {
    await renderChart(history());
    expect(
      screen.queryByTestId('nthlayer-budget-chart-availability-stale'),
    ).not.toBeInTheDocument();
  });
});
