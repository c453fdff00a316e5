import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  DriftFinding,
  DriftTargetStatus,
} from '@nthlayer/backstage-plugin-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import { InMemoryNthlayerApi } from '../../testUtils/InMemoryNthlayerApi';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerDriftCard } from './EntityNthlayerDriftCard';
import {
  budgetTrendChecked,
  budgetTrendUnreachable,
  dashboardChecked,
  dashboardFinding,
  dashboardNotConfigured,
  dashboardUnreachable,
  drift,
  exprFinding,
  forFinding,
  minutesAgo,
  missingGroupFinding,
  pagerdutyChecked,
  pagerdutyFinding,
  pagerdutyNotConfigured,
  pagerdutyUnreachable,
  report,
  rulesChecked,
  rulesUnreachable,
  thresholdFinding,
  trendFinding,
} from './testData';

async function renderCard(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0],
  entity: Entity = serviceEntity,
) {
  const api = new InMemoryNthlayerApi(answers);
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerDriftCard />
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
    url: 'http://localhost:7007/api/nthlayer/v1/entities/component/default/checkout-api/drift',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}

/** Every target configured and checked. */
const allChecked: DriftTargetStatus[] = [
  rulesChecked,
  dashboardChecked,
  pagerdutyChecked,
  budgetTrendChecked,
];

const section = (target: string) =>
  screen.getByTestId(`nthlayer-drift-target-${target}`);
const sectionOrder = () =>
  screen
    .getAllByTestId(/^nthlayer-drift-target-/)
    .map(s =>
      s.getAttribute('data-testid')!.replace('nthlayer-drift-target-', ''),
    );
const findingsIn = (target: string) =>
  within(section(target)).queryAllByTestId('nthlayer-drift-finding');

describe('EntityNthlayerDriftCard', () => {
  it('says the entity was not checked yet, and that the drift task runs on a schedule', async () => {
    const api = await renderCard({ drift: drift(null) });
    expect(api.driftRequested).toEqual(['Component:default/checkout-api']);
    expect(screen.getByText('Drift')).toBeInTheDocument();
    const notChecked = screen.getByTestId('nthlayer-drift-not-checked');
    expect(notChecked).toHaveTextContent('Not checked yet');
    expect(notChecked).toHaveTextContent(
      /runs on a schedule \(nthlayer\.drift\.schedule/,
    );
    expect(screen.queryByText('No drift')).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-drift-summary'),
    ).not.toBeInTheDocument();
  });

  it('shows a check without drift: counts, when, and each target in the report order', async () => {
    const checkedAt = minutesAgo(5);
    await renderCard({ drift: drift(report([], undefined, checkedAt)) });

    expect(
      screen.getByTestId('nthlayer-drift-count-critical'),
    ).toHaveTextContent('0 critical');
    expect(
      screen.getByTestId('nthlayer-drift-count-warning'),
    ).toHaveTextContent('0 warnings');
    expect(screen.getByTestId('nthlayer-drift-count-info')).toHaveTextContent(
      '0 info',
    );
    const when = screen.getByTestId('nthlayer-drift-checked-at');
    expect(when).toHaveTextContent(/^5 minutes ago$/);
    expect(when).toHaveAttribute('title', formatTime(checkedAt));
    expect(when).toHaveAttribute('dateTime', checkedAt);
    expect(screen.getByTestId('nthlayer-drift-summary')).toHaveTextContent(
      'Last checked 5 minutes ago',
    );
    expect(
      screen.queryByTestId('nthlayer-drift-incomplete'),
    ).not.toBeInTheDocument();

    // SLO thresholds are read from the loaded rules: their own heading, right after them.
    expect(sectionOrder()).toEqual([
      'rules',
      'slo-threshold',
      'dashboard',
      'pagerduty',
      'budget-trend',
    ]);
    expect(
      within(section('rules')).getByText('Prometheus rules'),
    ).toBeInTheDocument();
    expect(
      within(section('rules')).getByText('instance default'),
    ).toBeInTheDocument();
    expect(
      within(section('slo-threshold')).getByText('SLO thresholds'),
    ).toBeInTheDocument();
    expect(
      within(section('budget-trend')).getByText('Budget trend'),
    ).toBeInTheDocument();
    for (const target of ['rules', 'slo-threshold', 'budget-trend']) {
      expect(section(target)).toHaveAttribute('data-state', 'checked');
      expect(within(section(target)).getByText('No drift')).toBeInTheDocument();
    }
    expect(screen.queryAllByTestId('nthlayer-drift-finding')).toHaveLength(0);
  });

  it('shows a target without configuration as not configured, not as no drift', async () => {
    await renderCard({
      drift: drift(
        report(
          [],
          [
            rulesChecked,
            dashboardNotConfigured,
            pagerdutyNotConfigured,
            budgetTrendChecked,
          ],
        ),
      ),
    });
    const dashboard = section('dashboard');
    expect(dashboard).toHaveAttribute('data-state', 'not-configured');
    expect(
      within(dashboard).getByText('Grafana dashboard'),
    ).toBeInTheDocument();
    expect(
      within(dashboard).getByTestId('nthlayer-drift-not-configured'),
    ).toHaveTextContent(
      /^Not configured: No Grafana instance is configured\.$/,
    );
    expect(within(dashboard).queryByText('No drift')).not.toBeInTheDocument();
    const pagerduty = section('pagerduty');
    expect(pagerduty).toHaveAttribute('data-state', 'not-configured');
    expect(within(pagerduty).getByText('PagerDuty')).toBeInTheDocument();
    expect(
      within(pagerduty).getByTestId('nthlayer-drift-not-configured'),
    ).toHaveTextContent(/^Not configured: No PagerDuty token is configured\.$/);
    expect(within(pagerduty).queryByText('No drift')).not.toBeInTheDocument();
  });

  it.each([
    ['rules', rulesUnreachable, ['rules', 'slo-threshold'], 'Prometheus rules'],
    ['dashboard', dashboardUnreachable, ['dashboard'], 'Grafana dashboard'],
    ['pagerduty', pagerdutyUnreachable, ['pagerduty'], 'PagerDuty'],
    ['budget-trend', budgetTrendUnreachable, ['budget-trend'], 'Budget trend'],
  ] as const)(
    'shows %s that could not be read as "Could not check", never as no drift',
    async (target, status, affected, title) => {
      const targets = allChecked.map(t => (t.target === target ? status : t));
      await renderCard({ drift: drift(report([], targets)) });
      for (const key of affected) {
        const unreachable = section(key);
        expect(unreachable).toHaveAttribute('data-state', 'unreachable');
        expect(
          within(unreachable).getByTestId('nthlayer-drift-unreachable'),
        ).toHaveTextContent(`Could not check: ${status.detail}`);
        expect(
          within(unreachable).queryByText('No drift'),
        ).not.toBeInTheDocument();
        expect(
          within(unreachable).queryByTestId('nthlayer-drift-none'),
        ).not.toBeInTheDocument();
      }
      // The others were checked and are clean.
      const others = sectionOrder().filter(
        k => !(affected as readonly string[]).includes(k),
      );
      expect(others.length).toBeGreaterThan(0);
      for (const key of others) {
        expect(within(section(key)).getByText('No drift')).toBeInTheDocument();
      }
      expect(screen.getByTestId('nthlayer-drift-incomplete')).toHaveTextContent(
        `Not everything could be checked (${title})`,
      );
    },
  );

  it('shows threshold drift with both objectives side by side', async () => {
    await renderCard({ drift: drift(report([thresholdFinding])) });
    expect(
      screen.getByTestId('nthlayer-drift-count-critical'),
    ).toHaveTextContent('1 critical');
    expect(within(section('rules')).getByText('No drift')).toBeInTheDocument();
    const thresholds = section('slo-threshold');
    expect(thresholds).toHaveAttribute('data-findings', '1');
    const [finding] = findingsIn('slo-threshold');
    expect(finding).toHaveAttribute('data-severity', 'critical');
    expect(finding).toHaveAttribute('data-kind', 'changed');
    const item = within(finding);
    expect(item.getByText('critical')).toBeInTheDocument();
    expect(item.getByText('changed')).toBeInTheDocument();
    expect(item.getByTestId('nthlayer-drift-field')).toHaveTextContent(
      /^threshold$/,
    );
    expect(item.getByTestId('nthlayer-drift-object')).toHaveTextContent(
      thresholdFinding.object,
    );
    expect(item.getByTestId('nthlayer-drift-message')).toHaveTextContent(
      thresholdFinding.message,
    );
    const difference = within(item.getByTestId('nthlayer-drift-difference'));
    expect(difference.getByText('Generated by NthLayer')).toBeInTheDocument();
    expect(difference.getByText('Running')).toBeInTheDocument();
    const expected = difference.getByTestId('nthlayer-drift-expected');
    const actual = difference.getByTestId('nthlayer-drift-actual');
    expect(expected.tagName).toBe('PRE');
    expect(expected.textContent).toBe('99.9% (error ratio > 0.0144)');
    expect(actual.textContent).toBe('99.8% (error ratio > 0.0288)');
    // Where they differ is marked on both sides.
    expect(expected.querySelector('mark')).toHaveTextContent(
      '9% (error ratio > 0.0144',
    );
    expect(actual.querySelector('mark')).toHaveTextContent(
      '8% (error ratio > 0.0288',
    );
  });

  it('shows a rule group that is not loaded', async () => {
    await renderCard({ drift: drift(report([missingGroupFinding])) });
    const [finding] = findingsIn('rules');
    expect(finding).toHaveAttribute('data-kind', 'missing');
    expect(finding).toHaveAttribute('data-severity', 'critical');
    const item = within(finding);
    expect(item.getByText('missing')).toBeInTheDocument();
    expect(item.queryByTestId('nthlayer-drift-field')).not.toBeInTheDocument();
    expect(item.getByTestId('nthlayer-drift-object')).toHaveTextContent(
      /^nthlayer-checkout-api-latency$/,
    );
    expect(item.getByTestId('nthlayer-drift-message')).toHaveTextContent(
      'The rule group nthlayer-checkout-api-latency is not loaded on Prometheus "default": deploy prometheus/checkout-api-slo.rules.yaml to its rule files.',
    );
    expect(item.getByTestId('nthlayer-drift-expected').textContent).toBe(
      '12 rules (4 alerts) from prometheus/checkout-api-slo.rules.yaml',
    );
    expect(item.getByTestId('nthlayer-drift-actual').textContent).toBe(
      'not loaded',
    );
    expect(
      within(section('rules')).queryByText('No drift'),
    ).not.toBeInTheDocument();
    expect(
      within(section('slo-threshold')).getByText('No drift'),
    ).toBeInTheDocument();
  });

  it('shows a changed expression in full, wrapped, with the changed part marked', async () => {
    await renderCard({ drift: drift(report([exprFinding])) });
    const item = within(findingsIn('rules')[0]);
    expect(item.getByTestId('nthlayer-drift-field')).toHaveTextContent(
      /^expr$/,
    );
    const expected = item.getByTestId('nthlayer-drift-expected');
    const actual = item.getByTestId('nthlayer-drift-actual');
    expect(expected.textContent).toBe(exprFinding.expected);
    expect(actual.textContent).toBe(exprFinding.actual);
    expect(expected).toHaveStyle({ whiteSpace: 'pre-wrap' });
    expect(actual).toHaveStyle({ whiteSpace: 'pre-wrap' });
    expect(expected.querySelector('mark')!.textContent).toBe('and on');
    expect(actual.querySelector('mark')!.textContent).toBe('or on ');
  });

  it('shows a falling budget trend with the slope against the tier threshold', async () => {
    await renderCard({ drift: drift(report([trendFinding])) });
    expect(findingsIn('rules')).toHaveLength(0);
    const [finding] = findingsIn('budget-trend');
    expect(finding).toHaveAttribute('data-kind', 'trend');
    const item = within(finding);
    expect(item.getByTestId('nthlayer-drift-field')).toHaveTextContent(
      'remaining budget per week',
    );
    expect(item.getByTestId('nthlayer-drift-object')).toHaveTextContent(
      /^availability$/,
    );
    expect(item.getByTestId('nthlayer-drift-expected').textContent).toBe(
      '≥ -0.2 %/week (tier 1)',
    );
    expect(item.getByTestId('nthlayer-drift-actual').textContent).toBe(
      '-7 %/week',
    );
    expect(item.getByTestId('nthlayer-drift-message')).toHaveTextContent(
      'At this rate the budget is spent in 46 days.',
    );
  });

  it('groups findings by target, critical first, and counts them', async () => {
    await renderCard({
      drift: drift(
        report(
          [
            forFinding,
            exprFinding,
            dashboardFinding,
            pagerdutyFinding,
            thresholdFinding,
          ],
          allChecked,
        ),
      ),
    });
    expect(
      screen.getByTestId('nthlayer-drift-count-critical'),
    ).toHaveTextContent('2 critical');
    expect(
      screen.getByTestId('nthlayer-drift-count-warning'),
    ).toHaveTextContent('3 warnings');
    expect(
      findingsIn('rules').map(f => f.getAttribute('data-severity')),
    ).toEqual(['critical', 'warning']);
    expect(
      within(section('rules')).getByText('2 findings'),
    ).toBeInTheDocument();
    expect(findingsIn('slo-threshold')).toHaveLength(1);
    expect(
      within(findingsIn('dashboard')[0]).getByTestId('nthlayer-drift-field'),
    ).toHaveTextContent('targets[A].expr');
    expect(
      within(section('dashboard')).getByText('instance main'),
    ).toBeInTheDocument();
    expect(
      within(findingsIn('pagerduty')[0]).getByTestId('nthlayer-drift-object'),
    ).toHaveTextContent('escalation_policy.num_loops');
    expect(
      within(section('budget-trend')).getByText('No drift'),
    ).toBeInTheDocument();
  });

  it('folds a target with many findings after the first 10', async () => {
    const many: DriftFinding[] = Array.from({ length: 12 }, (_, i) => ({
      ...forFinding,
      object: `${forFinding.object} #${i}`,
    }));
    // The critical one comes last from the differ, first on the card.
    await renderCard({ drift: drift(report([...many, missingGroupFinding])) });
    expect(section('rules')).toHaveAttribute('data-findings', '13');
    expect(findingsIn('rules')).toHaveLength(10);
    expect(findingsIn('rules')[0]).toHaveAttribute('data-kind', 'missing');
    fireEvent.click(screen.getByRole('button', { name: 'Show 3 more' }));
    expect(findingsIn('rules')).toHaveLength(13);
    expect(
      within(findingsIn('rules')[12]).getByTestId('nthlayer-drift-object'),
    ).toHaveTextContent('#11');
    fireEvent.click(screen.getByRole('button', { name: 'Show fewer' }));
    expect(findingsIn('rules')).toHaveLength(10);
  });

  it('lists the latest changes of the drift history', async () => {
    await renderCard({
      drift: drift(report([thresholdFinding]), [
        { checkedAt: minutesAgo(5), critical: 1, warning: 0, info: 0 },
        { checkedAt: minutesAgo(180), critical: 0, warning: 2, info: 1 },
      ]),
    });
    const history = screen.getByTestId('nthlayer-drift-history');
    const items = within(history).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      '5 minutes ago: 1 critical · 0 warnings · 0 info',
    );
    expect(items[1]).toHaveTextContent(
      '3 hours ago: 0 critical · 2 warnings · 1 info',
    );
  });

  it('shows a progress bar while loading', async () => {
    await renderCard({ drift: 'pending' });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows a failed request in the error panel', async () => {
    await renderCard({
      drift: await responseError(500, 'Error', 'database is locked'),
    });
    expect(screen.getAllByText(/database is locked/).length).toBeGreaterThan(0);
    expect(screen.queryByTestId('nthlayer-drift')).not.toBeInTheDocument();
  });

  it('says NthLayer does not manage the entity when the backend answers 404', async () => {
    await renderCard({
      drift: await responseError(
        404,
        'NotFoundError',
        'component:default/checkout-api is not managed by NthLayer',
      ),
    });
    const empty = screen.getByTestId('nthlayer-drift-empty');
    expect(empty).toHaveTextContent('No drift detection');
    expect(empty).toHaveTextContent('is not managed by NthLayer');
  });

  it('asks for the annotation instead of calling the backend on an unmanaged entity', async () => {
    const api = await renderCard(
      { drift: drift(null) },
      { ...serviceEntity, metadata: { name: 'plain', namespace: 'default' } },
    );
    expect(api.driftRequested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});
