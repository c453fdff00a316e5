import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  DeploymentRecord,
  EntityLedgerResponse,
  EntitySlosResponse,
} from '@nthlayer/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
  mockResizeObserver,
} from '../../testUtils/InMemoryNthlayerApi';
import {
  availability,
  burnRates,
  history,
  latency,
  response,
  serviceEntity,
  sparklineOf,
} from '../EntityNthlayerSloCard/testData';
import {
  availabilityLedger,
  deployEpisode,
  ledgerResponse,
  unattributedEpisode,
} from '../EntityNthlayerLedger/testData';
import { episodeTitle } from '../EntityNthlayerLedger/format';
import { EntityNthlayerContent } from './EntityNthlayerContent';

let restoreResizeObserver: () => void;
beforeEach(() => {
  restoreResizeObserver = mockResizeObserver();
});
afterEach(() => restoreResizeObserver());

async function renderTab(
  slos: FakeAnswer<EntitySlosResponse>,
  entity: Entity = serviceEntity,
  deployments: DeploymentRecord[] = [],
  ledger?: FakeAnswer<EntityLedgerResponse>,
) {
  const api = new InMemoryNthlayerApi({
    slos,
    history: {
      availability: history(),
      latency: history({ slo: 'latency' }, 15),
    },
    deployments,
    ledger,
  });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('EntityNthlayerContent', () => {
  it('has one section per SLO with its summary, burn-down and burn rates', async () => {
    const firing = latency({
      burnRates: burnRates({ '5m': 20, '1h': 16 }),
    });
    await renderTab(response({ slos: [availability(), firing] }));
    const sections = screen.getAllByTestId(/^nthlayer-section-[a-z]+$/);
    expect(sections.map(s => s.dataset.testid)).toEqual([
      'nthlayer-section-availability',
      'nthlayer-section-latency',
    ]);
    for (const name of ['availability', 'latency']) {
      const section = within(screen.getByTestId(`nthlayer-section-${name}`));
      expect(section.getByTestId(`nthlayer-slo-${name}`)).toBeInTheDocument();
      expect(
        section.getByTestId(`nthlayer-burn-table-${name}`),
      ).toBeInTheDocument();
      const chart = await section.findByTestId(`nthlayer-budget-chart-${name}`);
      expect(
        await within(chart).findByText('budget exhausted / target'),
      ).toBeInTheDocument();
    }
    const latencySection = within(
      screen.getByTestId('nthlayer-section-latency'),
    );
    expect(
      latencySection.getByRole('heading', { name: 'Latency', level: 2 }),
    ).toBeInTheDocument();
    expect(latencySection.getByText('firing')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('nthlayer-section-availability')).queryByText(
        'firing',
      ),
    ).not.toBeInTheDocument();
  });

  it('draws the big chart, not a sparkline, in the summary', async () => {
    const api = await renderTab(
      response({ slos: [availability({ sparkline: sparklineOf(history()) })] }),
    );
    await screen.findByText('budget exhausted / target');
    expect(
      screen.queryByTestId('nthlayer-slo-availability-sparkline'),
    ).not.toBeInTheDocument();
    // One history request for every SLO of the tab, none per chart.
    expect(api.historyRequested).toEqual(['Component:default/checkout-api#*']);
  });

  it('loads every chart from one history request', async () => {
    const api = await renderTab(response({ slos: [availability(), latency()] }));
    for (const name of ['availability', 'latency']) {
      const chart = await screen.findByTestId(`nthlayer-budget-chart-${name}`);
      expect(
        await within(chart).findByText('budget exhausted / target'),
      ).toBeInTheDocument();
    }
    expect(api.historyRequested).toEqual(['Component:default/checkout-api#*']);
    expect(api.requested).toEqual(['Component:default/checkout-api']);
  });

  it('shows findings above the sections', async () => {
    await renderTab(
      response({
        findings: [
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
    expect(screen.getByTestId('nthlayer-finding')).toHaveTextContent(
      'Availability target must be below 100 %.',
    );
  });

  it('says so when there are no SLOs', async () => {
    await renderTab(response({ slos: [] }));
    expect(screen.getByText('No SLOs')).toBeInTheDocument();
    expect(screen.queryByTestId(/^nthlayer-section-/)).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderTab('pending');
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows a failure to load the SLOs', async () => {
    await renderTab(new Error('backend down'));
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
    expect(screen.queryByTestId(/^nthlayer-section-/)).not.toBeInTheDocument();
  });

  it('explains a missing annotation without calling the backend', async () => {
    const api = await renderTab(response(), {
      ...serviceEntity,
      metadata: { name: 'plain', annotations: {} },
    });
    expect(api.requested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});

describe('deployments on the burn-down', () => {
  it('draws each deployment the entity history carries as a marker with its version, author and status', async () => {
    // history() spans 2026-01-01 … 2026-01-31; the second deploy is outside it.
    const deployments = [
      { id: 7, entityRef: 'component:default/checkout-api', version: 'v4.18.0', commit: 'abc123', author: 'alice', startedAt: '2026-01-28T10:00:00.000Z', finishedAt: '2026-01-28T10:05:00.000Z', status: 'succeeded' as const, source: 'github-actions', url: 'https://ci.example.com/runs/7', labels: [], recordedBy: 'service:external:ci', recordedAt: '2026-01-28T10:05:00.000Z' },
      { id: 8, entityRef: 'component:default/checkout-api', version: 'v4.19.0', commit: null, author: null, startedAt: '2026-03-01T10:00:00.000Z', finishedAt: null, status: 'started' as const, source: 'argocd', url: null, labels: [], recordedBy: 'service:external:ci', recordedAt: '2026-03-01T10:00:00.000Z' },
    ];
    await renderTab(response(), serviceEntity, deployments);
    const marker = await screen.findByTestId('nthlayer-deploy-marker-7');
    expect(marker).toHaveTextContent('v4.18.0');
    expect(marker.querySelector('title')?.textContent).toBe(
      'deploy v4.18.0 · by alice · succeeded · started 2026-01-28T10:00:00Z',
    );
    expect(marker.closest('a')).toHaveAttribute('href', 'https://ci.example.com/runs/7');
    expect(screen.queryByTestId('nthlayer-deploy-marker-8')).not.toBeInTheDocument();
  });
});

describe('the budget ledger on the tab', () => {
  it('ends the tab with the ledger, loaded once for the charts and the section', async () => {
    const api = await renderTab(
      response({ slos: [availability(), latency()] }),
      serviceEntity,
      [],
      ledgerResponse(),
    );
    const ledger = await screen.findByTestId('nthlayer-ledger');
    const sections = screen.getAllByTestId(
      /^nthlayer-(section-[a-z]+|ledger)$/,
    );
    expect(sections.map(s => s.dataset.testid)).toEqual([
      'nthlayer-section-availability',
      'nthlayer-section-latency',
      'nthlayer-ledger',
    ]);
    expect(
      within(ledger).getByRole('heading', { name: 'Budget ledger', level: 2 }),
    ).toBeInTheDocument();
    expect(
      within(ledger).getAllByTestId('nthlayer-ledger-episode'),
    ).toHaveLength(3);
    expect(
      within(ledger).getByTestId('nthlayer-ledger-nothing'),
    ).toBeInTheDocument();
    expect(api.ledgerRequested).toEqual([
      { entityRef: 'Component:default/checkout-api' },
    ]);
  });

  it("shades each SLO's episodes on its burn-down, labelled with the cause", async () => {
    // history() spans 2026-01-01 … 2026-01-31: every episode of the fixture is inside it.
    await renderTab(
      response({ slos: [availability(), latency()] }),
      serviceEntity,
      [],
      ledgerResponse(),
    );
    const chart = await screen.findByTestId(
      'nthlayer-budget-chart-availability',
    );
    const areas = await within(chart).findAllByTestId('nthlayer-episode-area');
    expect(areas.map(a => a.dataset.cause)).toEqual([
      'unattributed',
      'deployment:7',
      'component:default/payments-db',
    ]);
    expect(areas[1]).toHaveAttribute('data-source', 'deployments');
    expect(areas[1].querySelector('title')?.textContent).toBe(
      episodeTitle(deployEpisode),
    );
    expect(areas[1].querySelector('rect')).not.toBeNull();
    expect(
      within(chart)
        .getAllByTestId('nthlayer-episode-label')
        .map(l => l.textContent),
    ).toEqual([
      `${episodeTitle(unattributedEpisode)}unattributed`,
      `${episodeTitle(deployEpisode)}deploy v4.18.0`,
      expect.stringMatching(/component:default\/payments-db$/),
    ]);
    // Latency burned nothing.
    const latencyChart = screen.getByTestId('nthlayer-budget-chart-latency');
    expect(
      within(latencyChart).queryByTestId('nthlayer-episode-area'),
    ).not.toBeInTheDocument();
  });

  it('leaves out episodes outside the chart and clips one reaching into it', async () => {
    const before = {
      ...unattributedEpisode,
      start: '2025-11-01T00:00:00.000Z',
      end: '2025-11-01T01:00:00.000Z',
    };
    const across = {
      ...deployEpisode,
      start: '2025-12-31T12:00:00.000Z',
      end: '2026-01-02T12:00:00.000Z',
      clipped: true,
    };
    await renderTab(
      response({ slos: [availability()] }),
      serviceEntity,
      [],
      ledgerResponse({
        slos: [availabilityLedger({ episodes: [across, before] })],
      }),
    );
    const chart = await screen.findByTestId(
      'nthlayer-budget-chart-availability',
    );
    const areas = await within(chart).findAllByTestId('nthlayer-episode-area');
    expect(areas.map(a => a.dataset.cause)).toEqual(['deployment:7']);
    // Cut at the chart's start (the y axis) and 1.5 of the 30 days wide.
    const axisLine = chart.querySelector(
      '.recharts-yAxis line.recharts-cartesian-axis-line',
    );
    const rect = areas[0].querySelector('rect')!;
    expect(rect.getAttribute('x')).toBe(axisLine?.getAttribute('x1'));
    expect(Number(rect.getAttribute('width'))).toBeCloseTo(
      ((640 - 56 - 24) * 1.5) / 30,
    );
  });

  it('still draws the charts when the ledger fails, and says why in its section', async () => {
    await renderTab(
      response({ slos: [availability()] }),
      serviceEntity,
      [],
      new Error('ledger unavailable'),
    );
    const ledger = await screen.findByTestId('nthlayer-ledger');
    expect(
      await within(ledger).findByText(/Could not load the budget ledger/),
    ).toBeInTheDocument();
    const chart = screen.getByTestId('nthlayer-budget-chart-availability');
    expect(
      await within(chart).findByText('budget exhausted / target'),
    ).toBeInTheDocument();
    expect(
      within(chart).queryByTestId('nthlayer-episode-area'),
    ).not.toBeInTheDocument();
  });

  it('has no ledger section without SLOs', async () => {
    await renderTab(
      response({ slos: [] }),
      serviceEntity,
      [],
      ledgerResponse(),
    );
    expect(screen.queryByTestId('nthlayer-ledger')).not.toBeInTheDocument();
  });
});
