import { ResponseError } from '@backstage/errors';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { DeploymentImpactResponse } from '@nthlayer/backstage-plugin-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
} from '../../testUtils/InMemoryNthlayerApi';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { episodeWhen } from './format';
import { LedgerSection, LedgerState } from './LedgerSection';
import {
  availabilityLedger,
  deployEpisode,
  impactResponse,
  ledgerResponse,
  notComputed,
  unattributedEpisode,
} from './testData';

async function renderSection(
  ledger: LedgerState,
  impact: Record<number, FakeAnswer<DeploymentImpactResponse>> = {},
) {
  const api = new InMemoryNthlayerApi({ impact });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <LedgerSection ledger={ledger} />
    </TestApiProvider>,
  );
  return api;
}

const ready = (value = ledgerResponse()): LedgerState => ({
  loading: false,
  value,
});

const sloSection = (slo: string) =>
  within(screen.getByTestId(`nthlayer-ledger-slo-${slo}`));

const cellsOf = (row: HTMLElement) =>
  Object.fromEntries(
    ['when', 'burned', 'peak', 'cause', 'source', 'confidence', 'reason'].map(
      cell => [
        cell,
        within(row).getByTestId(`nthlayer-ledger-episode-${cell}`).textContent,
      ],
    ),
  );

describe('LedgerSection', () => {
  it('has a heading and one part per SLO', async () => {
    await renderSection(ready());
    const section = screen.getByTestId('nthlayer-ledger');
    expect(
      within(section).getByRole('heading', { name: 'Budget ledger', level: 2 }),
    ).toBeInTheDocument();
    expect(
      within(section)
        .getAllByTestId(/^nthlayer-ledger-slo-/)
        .map(s => s.dataset.testid),
    ).toEqual([
      'nthlayer-ledger-slo-availability',
      'nthlayer-ledger-slo-latency',
    ]);
  });

  it('gives the minutes of every source of the stacked bar, the budget and the consumption', async () => {
    await renderSection(ready());
    const slo = sloSection('availability');
    expect(
      [
        'deployments',
        'incidents',
        'dependencies',
        'unattributed',
        'baseline',
      ].map(
        source =>
          slo.getByTestId(`nthlayer-ledger-source-${source}`).textContent,
      ),
    ).toEqual([
      'deployments 28.0 min',
      'incidents 0.0 min',
      'dependencies 2.4 min',
      'unattributed 1.6 min',
      'baseline 2.6 min',
    ]);
    expect(slo.getByTestId('nthlayer-ledger-budget')).toHaveTextContent(
      'Budget 43.2 min',
    );
    expect(slo.getByTestId('nthlayer-ledger-consumed')).toHaveTextContent(
      'consumed 34.6 of 43.2 min (80.1 %)',
    );
    // The slices are drawn in proportion to the budget, empty ones not at all.
    const bar = slo.getByRole('img');
    const slices = Array.from(
      bar.querySelectorAll<HTMLElement>('[data-slice]'),
    );
    expect(slices.map(s => s.dataset.slice)).toEqual([
      'deployments',
      'dependencies',
      'unattributed',
      'baseline',
    ]);
    expect(parseFloat(slices[0].style.width)).toBeCloseTo((100 * 28) / 43.2);
    expect(bar).toHaveAccessibleName(/deployments 28\.0 min/);
  });

  it('says the baseline is not known for a slice shorter than the window', async () => {
    await renderSection(
      ready(
        ledgerResponse({
          slos: [
            availabilityLedger({
              consumedMinutes: null,
              burned: { ...availabilityLedger().burned, baseline: null },
            }),
          ],
        }),
      ),
    );
    const slo = sloSection('availability');
    expect(
      slo.getByTestId('nthlayer-ledger-source-baseline'),
    ).toHaveTextContent('baseline —');
    expect(slo.getByTestId('nthlayer-ledger-consumed')).toHaveTextContent(
      'consumption unknown (budget 43.2 min)',
    );
  });

  it('lists every episode newest first with when, minutes, peak, cause, source, confidence and reason', async () => {
    await renderSection(ready());
    const rows = sloSection('availability').getAllByTestId(
      'nthlayer-ledger-episode',
    );
    expect(rows.map(r => r.dataset.source)).toEqual([
      'unattributed',
      'deployments',
      'dependencies',
    ]);
    expect(cellsOf(rows[1])).toEqual({
      when: episodeWhen(deployEpisode),
      burned: '28.0 min',
      peak: '14.4×',
      cause: 'deploy v4.18.0',
      source: 'deployments',
      confidence: '0.88 high',
      reason: 'started 12 min before the burn began; confidence 0.88 (high)',
    });
    expect(cellsOf(rows[0])).toMatchObject({
      when: episodeWhen(unattributedEpisode),
      burned: '1.6 min',
      cause: 'unattributed',
      confidence: '—',
    });
    expect(cellsOf(rows[2])).toMatchObject({
      cause: 'component:default/payments-db',
      source: 'dependencies',
      confidence: '—',
      reason: 'the dependency burned its own budget for 40 min of it',
    });
    // Only the deploy's row has an impact.
    expect(
      rows.map(
        r => within(r).queryByRole('button', { name: 'Impact' }) !== null,
      ),
    ).toEqual([false, true, false]);
  });

  it('says an ongoing episode is going on', async () => {
    await renderSection(
      ready(
        ledgerResponse({
          slos: [
            availabilityLedger({
              episodes: [{ ...unattributedEpisode, ongoing: true }],
            }),
          ],
        }),
      ),
    );
    const row = screen.getByTestId('nthlayer-ledger-episode');
    expect(row).toHaveAttribute('data-ongoing', 'true');
    expect(
      within(row).getByTestId('nthlayer-ledger-episode-when'),
    ).toHaveTextContent(/→ ongoing$/);
  });

  it('says nothing burned for an SLO without episodes', async () => {
    await renderSection(ready());
    const latency = sloSection('latency');
    expect(latency.getByTestId('nthlayer-ledger-nothing')).toHaveTextContent(
      'Nothing burned',
    );
    expect(latency.queryByTestId('nthlayer-ledger-episode')).toBeNull();
    expect(
      latency.getByTestId('nthlayer-ledger-source-baseline'),
    ).toHaveTextContent('baseline 5.0 min');
    expect(
      sloSection('availability').queryByTestId('nthlayer-ledger-nothing'),
    ).toBeNull();
  });

  it('lists the top causes once, with the unattributed ratio', async () => {
    await renderSection(ready());
    const causes = screen.getAllByTestId('nthlayer-ledger-top-cause');
    expect(causes.map(c => c.textContent)).toEqual([
      'deploy v4.18.0 · deployments · availability · 28.0 min in 1 episode · 0.88 high',
      'component:default/payments-db · dependencies · availability · 2.4 min in 1 episode',
      'unattributed · unattributed · availability · 1.6 min in 1 episode',
    ]);
    expect(
      screen.getByTestId('nthlayer-ledger-unattributed'),
    ).toHaveTextContent("Unattributed: 5.0 % of the episodes' burn");
  });

  it('says the ledger is not computed yet before its task ran', async () => {
    await renderSection(ready(notComputed()));
    expect(
      screen.getByTestId('nthlayer-ledger-not-computed'),
    ).toHaveTextContent('Not computed yet');
    expect(screen.queryByTestId(/^nthlayer-ledger-slo-/)).toBeNull();
    expect(screen.queryByTestId('nthlayer-ledger-nothing')).toBeNull();
    expect(screen.queryByTestId('nthlayer-ledger-top-cause')).toBeNull();
  });

  it('shows progress while loading', async () => {
    await renderSection({ loading: true });
    expect(
      within(screen.getByTestId('nthlayer-ledger')).getByTestId('progress'),
    ).toBeInTheDocument();
  });

  it('shows the error of a failed ledger request', async () => {
    const failure = await ResponseError.fromResponse({
      ok: false,
      status: 500,
      statusText: 'Internal Server Error',
      url: 'http://localhost/ledger',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: { name: 'Error', message: 'ledger table missing' },
          response: { statusCode: 500 },
        }),
    } as unknown as Response);
    await renderSection({ loading: false, error: failure });
    const section = within(screen.getByTestId('nthlayer-ledger'));
    expect(
      section.getByText(/Could not load the budget ledger/),
    ).toBeInTheDocument();
    expect(section.getAllByText(/ledger table missing/).length).toBeGreaterThan(
      0,
    );
  });
});

describe('the impact dialog', () => {
  it("loads the deploy's impact and shows its level, minutes, timeline in order and confidence factors", async () => {
    let answer: (value: DeploymentImpactResponse) => void = () => {};
    const api = new InMemoryNthlayerApi({});
    jest.spyOn(api, 'getDeploymentImpact').mockImplementation(
      () =>
        new Promise(resolve => {
          answer = resolve;
        }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[nthlayerApiRef, api]]}>
        <LedgerSection ledger={ready()} />
      </TestApiProvider>,
    );
    expect(screen.queryByTestId('nthlayer-impact-dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Impact' }));

    const dialog = within(await screen.findByTestId('nthlayer-impact-dialog'));
    expect(api.getDeploymentImpact).toHaveBeenCalledWith(7);
    expect(dialog.getByText('Impact of deploy v4.18.0')).toBeInTheDocument();
    expect(dialog.getByTestId('progress')).toBeInTheDocument();

    answer(impactResponse());
    const level = await dialog.findByTestId('nthlayer-impact-level');
    expect(level).toHaveTextContent('Impact: high');
    expect(level).toHaveAttribute('data-impact', 'high');
    expect(dialog.getByTestId('nthlayer-impact-burned')).toHaveTextContent(
      'Burned 28.0 min in 1 episode',
    );
    expect(dialog.getByTestId('nthlayer-impact-confidence')).toHaveTextContent(
      'Confidence: 0.88 high',
    );
    const events = dialog.getAllByTestId('nthlayer-impact-event');
    expect(events.map(e => e.dataset.kind)).toEqual([
      'deploy-started',
      'burn-began',
      'incident-opened',
      'rollback',
      'recovered',
      'incident-resolved',
    ]);
    expect(events[0]).toHaveTextContent(
      `${formatTime(
        '2026-01-28T09:58:00.000Z',
      )}v4.18.0 deployed to component:default/checkout-api`,
    );
    expect(events[0].querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-01-28T09:58:00.000Z',
    );
    expect(events[3]).toHaveTextContent('v4.17.2 deployed (rollback)');

    const factors = within(dialog.getByTestId('nthlayer-impact-factors'));
    expect(
      factors.getByText(/Started 12 min before the burn began/),
    ).toBeInTheDocument();
    expect(
      factors.getAllByTestId('nthlayer-impact-factor').map(f => f.textContent),
    ).toEqual([
      "proximity 0.48: 0.20 h from the deploy's start to the burn's start",
      'dependency 0.30: a deploy of the service itself (depth 0)',
      'history 0.10: 2 of 4 earlier deploys followed by a burn or incident within 5 h',
    ]);

    fireEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByTestId('nthlayer-impact-dialog')).toBeNull(),
    );
  });

  it('shows why the impact could not be loaded', async () => {
    const failure = await ResponseError.fromResponse({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      url: 'http://localhost/api/nthlayer/v1/deployments/7/impact',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No deployment 7' },
          response: { statusCode: 404 },
        }),
    } as unknown as Response);
    const api = await renderSection(ready(), { 7: failure });
    fireEvent.click(screen.getByRole('button', { name: 'Impact' }));
    const dialog = within(await screen.findByTestId('nthlayer-impact-dialog'));
    expect(
      await dialog.findByText(/Could not load the impact of deployment 7/),
    ).toBeInTheDocument();
    expect(api.impactRequested).toEqual([7]);
  });
});
