import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  InMemoryNthlayerApi,
  mockResizeObserver,
} from '../../testUtils/InMemoryNthlayerApi';
import { NthlayerScorecardContent, NthlayerScorecardPage } from './NthlayerScorecardPage';
import {
  manyServices,
  portfolio,
  scoreHistory,
  services,
} from './testData';

let restoreResizeObserver: () => void;
beforeEach(() => {
  restoreResizeObserver = mockResizeObserver();
});
afterEach(() => {
  restoreResizeObserver();
  jest.restoreAllMocks();
});

async function renderPage(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0] = {
    portfolio: portfolio(),
    scoreHistory: ref => scoreHistory(ref),
  },
  page = <NthlayerScorecardContent />,
) {
  const api = new InMemoryNthlayerApi(answers);
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>{page}</TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const shownNames = () =>
  screen.getAllByTestId('nthlayer-service-name').map(e => e.textContent);
const select = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const team = (ref: string) =>
  screen.getAllByTestId('nthlayer-team').find(r => r.getAttribute('data-ref') === ref)!;

describe('NthlayerScorecardPage', () => {
  it('shows the organisation score and status, the insights and the teams ranked', async () => {
    const api = await renderPage();
    expect(api.portfolioRequested).toEqual([{}]);
    const org = portfolio().org;
    expect(screen.getByTestId('nthlayer-org-score')).toHaveTextContent(
      new RegExp(`^${org.score}$`),
    );
    expect(screen.getByTestId('nthlayer-org-status')).toHaveAttribute('data-status', 'critical');
    expect(screen.getByTestId('nthlayer-org-by-status')).toHaveTextContent(
      '11 (7 healthy, 2 warning, 2 critical)',
    );
    expect(screen.getByTestId('nthlayer-org-tier1-below')).toHaveTextContent(/^2$/);

    const insights = screen.getAllByTestId('nthlayer-insight');
    expect(insights.map(i => i.getAttribute('data-severity'))).toEqual([
      'critical',
      'warning',
      'info',
    ]);
    expect(insights[0]).toHaveTextContent('checkout-api (tier 1) has 8.0 % of its error budget left');
    expect(within(insights[1]).getByRole('link', { name: 'team-growth' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-growth',
    );

    const rows = screen.getAllByTestId('nthlayer-team');
    expect(rows).toHaveLength(4);
    const scores = rows.map(r => Number(within(r).getByTestId('nthlayer-team-score').textContent));
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const payments = portfolio().teams.find(t => t.ref === 'group:default/team-payments')!;
    expect(within(team(payments.ref)).getByTestId('nthlayer-team-score')).toHaveTextContent(
      String(payments.score),
    );
    expect(within(team(payments.ref)).getByTestId('nthlayer-team-trend-30d')).toHaveTextContent(
      `${Math.round((payments.score! - 85.5) * 10) / 10}`,
    );
    // team-data has no stored past scores: no data, never 0.
    const data = within(team('group:default/team-data'));
    expect(data.getByTestId('nthlayer-team-trend-7d')).toHaveTextContent(/^no data$/);
    expect(data.getByTestId('nthlayer-team-trend-30d')).toHaveTextContent(/^no data$/);
  });

  it('lists every service, worst score first, with "no data" for a service without a score', async () => {
    await renderPage();
    expect(screen.getByTestId('nthlayer-services-count')).toHaveTextContent('11 services');
    const names = shownNames();
    expect(names).toHaveLength(11);
    expect(names[0]).toBe('coupon-api');
    expect(names[names.length - 1]).toBe('legacy-billing');
    const scores = screen.getAllByTestId('nthlayer-service-score');
    expect(scores[scores.length - 1]).toHaveTextContent(/^no data$/);
    expect(scores[scores.length - 1]).toHaveAttribute(
      'title',
      expect.stringContaining('slo-compliance no data/30'),
    );
    expect(scores.map(s => s.textContent)).not.toContain('0');
    const legacy = screen
      .getAllByTestId('nthlayer-service-budget')
      .find(b => b.closest('tr')!.textContent!.includes('legacy-billing'))!;
    expect(legacy).toHaveTextContent('no data');
  });

  it('filters the services by team, tier, status and system', async () => {
    await renderPage();
    select('Team', 'group:default/team-payments');
    await waitFor(() => expect(shownNames().sort()).toEqual([
      'checkout-api',
      'legacy-billing',
      'payment-api',
      'refund-worker',
    ]));
    expect(screen.getByTestId('nthlayer-services-count')).toHaveTextContent('4 of 11 services');

    select('Tier', '1');
    await waitFor(() => expect(shownNames().sort()).toEqual(['checkout-api', 'payment-api']));
    select('Status', 'critical');
    await waitFor(() => expect(shownNames()).toEqual(['checkout-api']));

    select('Team', '');
    select('Tier', '');
    await waitFor(() => expect(shownNames().sort()).toEqual(['checkout-api', 'coupon-api']));
    select('Status', '');
    select('System', 'system:default/marketing');
    await waitFor(() => expect(shownNames()).toEqual(['coupon-api']));
    select('System', 'system:default/commerce');
    await waitFor(() => expect(shownNames()).toHaveLength(10));

    select('Status', 'warning');
    select('Tier', '3');
    await waitFor(() => expect(screen.queryAllByTestId('nthlayer-service-name')).toHaveLength(0));
    await waitFor(() => expect(screen.getByText('No service matches these filters.')).toBeInTheDocument());
  });

  it('sorts the services by the column clicked', async () => {
    await renderPage();
    const table = within(screen.getByTestId('nthlayer-services-table'));
    fireEvent.click(table.getByText('Service'));
    await waitFor(() =>
      expect(shownNames()).toEqual([...services.map(s => s.name)].sort()),
    );
    fireEvent.click(table.getByText('Service'));
    await waitFor(() =>
      expect(shownNames()).toEqual([...services.map(s => s.name)].sort().reverse()),
    );
    fireEvent.click(table.getByText('Tier'));
    await waitFor(() =>
      expect(screen.getAllByTestId('nthlayer-service-tier').map(t => t.textContent)).toEqual(
        [...services].map(s => `T${s.tier}`).sort(),
      ),
    );
    fireEvent.click(table.getByText('Budget left'));
    await waitFor(() => expect(shownNames()[0]).toBe('coupon-api'));
    expect(shownNames().slice(-2).sort()).toEqual(['clickstream-ingest', 'legacy-billing']);
  });

  it('charts the organisation score history, then that of the team selected', async () => {
    const api = await renderPage();
    await waitFor(() =>
      expect(screen.getByTestId('nthlayer-score-history')).toHaveAttribute('data-ref', 'org'),
    );
    expect(api.scoreHistoryRequested).toEqual([{ ref: 'org', days: 90 }]);
    expect(screen.getByTestId('nthlayer-score-history')).toHaveAttribute('data-points', '90');
    select('Team', 'group:default/team-growth');
    await waitFor(() =>
      expect(screen.getByTestId('nthlayer-score-history')).toHaveAttribute(
        'data-ref',
        'group:default/team-growth',
      ),
    );
    expect(api.scoreHistoryRequested.at(-1)).toEqual({
      ref: 'group:default/team-growth',
      days: 90,
    });
  });

  it('says so when no score is stored yet', async () => {
    await renderPage({
      portfolio: portfolio(),
      scoreHistory: { ref: 'org', points: [{ day: '2026-03-01', score: null }] },
    });
    expect(
      await screen.findByTestId('nthlayer-score-history-empty'),
    ).toHaveTextContent('No score stored yet');
  });

  it('downloads the CSV with the team, tier and system selected', async () => {
    const saved: string[] = [];
    (URL as any).createObjectURL = jest.fn(() => 'blob:test/1');
    (URL as any).revokeObjectURL = jest.fn();
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
    const api = await renderPage({
      portfolio: portfolio(),
      portfolioExport: new Blob(['ref,score\n'], { type: 'text/csv' }),
    });
    select('Team', 'group:default/team-data');
    select('Tier', '2');
    select('Status', 'healthy');
    fireEvent.click(screen.getByTestId('nthlayer-portfolio-csv'));
    await waitFor(() => expect(saved).toEqual(['nthlayer-portfolio.csv']));
    expect(api.portfolioDownloads).toEqual([
      { format: 'csv', filters: { group: 'group:default/team-data', tier: 2 } },
    ]);
  });

  it('pages 10,000 services, 20 rows at a time', async () => {
    const many = portfolio({}, manyServices(10_000));
    const started = Date.now();
    await renderPage({ portfolio: many });
    expect(screen.getAllByTestId('nthlayer-service-name')).toHaveLength(20);
    expect(screen.getByTestId('nthlayer-services-count')).toHaveTextContent('10000 services');
    expect(screen.getAllByText('1-20 of 10000').length).toBeGreaterThan(0);
    select('Team', 'group:default/team-payments');
    select('Tier', '1');
    expect(screen.getByTestId('nthlayer-services-count')).toHaveTextContent('834 of 10000 services');
    expect(screen.getAllByTestId('nthlayer-service-name')).toHaveLength(20);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('shows an empty state without managed services, and the error of a failed request', async () => {
    await renderPage({ portfolio: portfolio({}, []) });
    expect(screen.getByText('No NthLayer-managed services')).toBeInTheDocument();
  });

  it('shows a failed request in the error panel', async () => {
    await renderPage({ portfolio: new Error('database is locked') });
    expect(screen.getAllByText(/database is locked/).length).toBeGreaterThan(0);
  });

  it('is a page with its header in the legacy frontend system', async () => {
    await renderPage(undefined, <NthlayerScorecardPage />);
    expect(screen.getByRole('heading', { name: 'Reliability scorecards' })).toBeInTheDocument();
    expect(screen.getByTestId('nthlayer-org-score')).toBeInTheDocument();
  });
});
