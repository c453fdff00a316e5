import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  EntitySlosResponse,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
} from '../../testUtils/InMemoryNthlayerApi';
import { EntityNthlayerSloCard } from './EntityNthlayerSloCard';
import {
  availability,
  burnRates,
  history,
  latency,
  response,
  serviceEntity,
  sparkline,
  sparklineOf,
} from './testData';

/** The card's outlook per SLO: time to exhaustion, why, and the budget sparkline. */
async function renderCard(
  slos: EntitySlosResponse,
  historyAnswers: Record<string, FakeAnswer<SloHistoryResponse>> = {},
) {
  const api = new InMemoryNthlayerApi({ slos, history: historyAnswers });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={serviceEntity}>
        <EntityNthlayerSloCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

const row = (name: string) =>
  within(screen.getByTestId(`nthlayer-slo-${name}`));

describe('EntityNthlayerSloCard outlook', () => {
  it('projects time to exhaustion at the current 1 h burn', async () => {
    await renderCard(response({ slos: [availability(), latency()] }));
    expect(
      row('availability').getByTestId('nthlayer-slo-availability-exhaustion'),
    ).toHaveTextContent(
      'at the current burn (1 h), the budget lasts ~51.0 days',
    );
    expect(
      row('latency').getByTestId('nthlayer-slo-latency-exhaustion'),
    ).toHaveTextContent(
      'at the current burn (1 h), the budget lasts ~2.3 days',
    );
  });

  it('says not burning and exhausted', async () => {
    const idle = availability({
      burnRates: burnRates({}),
      timeToExhaustionMinutes: null,
    });
    const spent = latency({
      errorBudget: {
        totalMinutes: 2160,
        consumedMinutes: 2808,
        remainingMinutes: -648,
        remainingRatio: -0.3,
      },
      status: 'exhausted',
      timeToExhaustionMinutes: 0,
    });
    await renderCard(response({ slos: [idle, spent] }));
    expect(
      screen.getByTestId('nthlayer-slo-availability-exhaustion'),
    ).toHaveTextContent(/^not burning$/);
    expect(
      screen.getByTestId('nthlayer-slo-latency-exhaustion'),
    ).toHaveTextContent(/^exhausted$/);
  });

  it('leaves time to exhaustion out without a budget', async () => {
    await renderCard(
      response({
        slos: [
          availability({ errorBudget: null, status: 'no-data', sli: null }),
        ],
      }),
    );
    expect(
      screen.queryByTestId('nthlayer-slo-availability-exhaustion'),
    ).not.toBeInTheDocument();
  });

  it('explains why, in the words of the backend', async () => {
    await renderCard(
      response({
        slos: [availability({ explanation: 'Burning at 14.4× after v2.3.1.' })],
      }),
    );
    expect(
      screen.getByTestId('nthlayer-slo-availability-explanation'),
    ).toHaveTextContent('Why: Burning at 14.4× after v2.3.1.');
  });

  it('draws a sparkline of the budget from each SLO report, without requests of its own', async () => {
    const api = await renderCard(
      response({
        slos: [
          availability({ sparkline: sparklineOf(history()) }),
          latency({ sparkline: sparklineOf(history({ slo: 'latency' }, 15)) }),
        ],
      }),
    );
    const spark = await screen.findByTestId(
      'nthlayer-slo-availability-sparkline',
    );
    expect(
      spark.querySelector('.recharts-line-curve')?.getAttribute('d'),
    ).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(spark).toHaveAttribute(
      'aria-label',
      'availability error budget over 30d: 100.0 % to 85.0 %',
    );
    expect(
      await screen.findByTestId('nthlayer-slo-latency-sparkline'),
    ).toHaveAttribute(
      'aria-label',
      'latency error budget over 30d: 100.0 % to 15.0 %',
    );
    expect(api.requested).toEqual(['Component:default/checkout-api']);
    expect(api.historyRequested).toEqual([]);
  });

  it('leaves the sparkline out, and the card whole, with fewer than two points', async () => {
    const one = sparklineOf(history()).points.slice(-1);
    await renderCard(
      response({ slos: [availability({ sparkline: sparkline(one) })] }),
    );
    expect(
      screen.queryByTestId('nthlayer-slo-availability-sparkline'),
    ).not.toBeInTheDocument();
    expect(
      row('availability').getByTestId(
        'nthlayer-slo-availability-remaining-percent',
      ),
    ).toHaveTextContent(/^85\.0$/);
  });
});
