import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  PortfolioResponse,
  PortfolioStatus,
  ServiceTier,
} from '@nthlayer/backstage-plugin-common';
import { useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { PortfolioFilters, nthlayerApiRef } from '../../api';
import { usePortfolio } from '../../hooks/usePortfolio';
import { saveBlob } from '../EntityNthlayerArtifactsContent/saveBlob';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { PortfolioStatusChip } from '../shared/PortfolioStatusChip';
import {
  entityName,
  formatRatioPercent,
  formatScore,
  portfolioStatusLabel,
} from '../shared/scoreFormat';
import { InsightsList } from './InsightsList';
import { ScoreHistoryChart } from './ScoreHistoryChart';
import { ServiceFilterBar, ServicesTable } from './ServicesTable';
import { TeamsRanking, Trend } from './TeamsRanking';
import {
  NO_FILTERS,
  ServiceFilters,
  distinctRefs,
  filterServices,
} from './servicesModel';

/** The name of the CSV the "Download CSV" button saves. */
export const PORTFOLIO_CSV_FILENAME = 'nthlayer-portfolio.csv';

const useStyles = makeStyles(theme => ({
  scoreLine: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  score: { fontWeight: 700, lineHeight: 1 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(2, 0),
  },
  download: { marginTop: theme.spacing(1) },
}));

/** The server-side filters matching the selects (the status filter has none). */
function exportFilters(filters: ServiceFilters): PortfolioFilters {
  return {
    ...(filters.team ? { group: filters.team } : {}),
    ...(filters.system ? { system: filters.system } : {}),
    ...(filters.tier ? { tier: Number(filters.tier) as ServiceTier } : {}),
  };
}

function OrgSummary(props: {
  portfolio: PortfolioResponse;
  filters: ServiceFilters;
}) {
  const classes = useStyles();
  const api = useApi(nthlayerApiRef);
  const { org, generatedAt } = props.portfolio;
  const [download, startDownload] = useAsyncFn(async () => {
    const blob = await api.downloadPortfolio('csv', exportFilters(props.filters));
    saveBlob(blob, PORTFOLIO_CSV_FILENAME);
  }, [api, props.filters]);
  const statuses: PortfolioStatus[] = ['healthy', 'warning', 'critical'];
  return (
    <InfoCard title="Organisation" subheader={`As of ${formatTime(generatedAt)}`}>
      <div data-testid="nthlayer-org">
        <div className={classes.scoreLine}>
          <Typography variant="h3" className={classes.score} data-testid="nthlayer-org-score">
            {formatScore(org.score)}
          </Typography>
          <PortfolioStatusChip status={org.status} testId="nthlayer-org-status" />
        </div>
        <div className={classes.facts}>
          <Typography variant="body2" color="textSecondary">vs 7 days ago</Typography>
          <Trend current={org.score} past={org.score7dAgo} testId="nthlayer-org-trend-7d" />
          <Typography variant="body2" color="textSecondary">vs 30 days ago</Typography>
          <Trend current={org.score} past={org.score30dAgo} testId="nthlayer-org-trend-30d" />
          <Typography variant="body2" color="textSecondary">Services</Typography>
          <Typography variant="body2" data-testid="nthlayer-org-by-status">
            {org.services} ({statuses
              .map(s => `${org.byStatus[s] ?? 0} ${portfolioStatusLabel(s).toLocaleLowerCase('en-US')}`)
              .join(', ')})
          </Typography>
          <Typography variant="body2" color="textSecondary">Tier 1 below target</Typography>
          <Typography variant="body2" data-testid="nthlayer-org-tier1-below">
            {org.tier1BelowTarget}
          </Typography>
          <Typography variant="body2" color="textSecondary">Composite budget left</Typography>
          <Typography variant="body2" data-testid="nthlayer-org-budget">
            {formatRatioPercent(org.compositeRemainingRatio)}
          </Typography>
        </div>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<GetAppIcon />}
          onClick={startDownload}
          disabled={download.loading}
          className={classes.download}
          data-testid="nthlayer-portfolio-csv"
        >
          Download CSV
        </Button>
        {download.error && (
          <Typography color="error" variant="body2" role="alert">
            The CSV could not be downloaded: {download.error.message}
          </Typography>
        )}
      </div>
    </InfoCard>
  );
}

function Scorecard(props: { portfolio: PortfolioResponse }) {
  const { portfolio } = props;
  const [filters, setFilters] = useState<ServiceFilters>(NO_FILTERS);
  const teams = useMemo(
    () => distinctRefs(portfolio.services, 'owner', portfolio.teams),
    [portfolio],
  );
  const systems = useMemo(
    () => distinctRefs(portfolio.services, 'system', portfolio.systems),
    [portfolio],
  );
  const shown = useMemo(
    () => filterServices(portfolio.services, filters),
    [portfolio, filters],
  );
  // The history of what the selects narrow to: a team, else a system, else everything.
  const historyRef = filters.team || filters.system || 'org';
  return (
    <Grid container spacing={3} data-testid="nthlayer-scorecard">
      <Grid item xs={12} md={4}>
        <OrgSummary portfolio={portfolio} filters={filters} />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Score history"
          subheader={`${historyRef === 'org' ? 'Organisation' : entityName(historyRef)}, last 90 days`}
        >
          <ScoreHistoryChart scoreRef={historyRef} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard title="Insights">
          <InsightsList insights={portfolio.insights} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard title="Teams">
          <TeamsRanking teams={portfolio.teams} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ServiceFilterBar
          filters={filters}
          teams={teams}
          systems={systems}
          shown={shown.length}
          total={portfolio.services.length}
          onChange={setFilters}
        />
        <ServicesTable services={shown} />
      </Grid>
    </Grid>
  );
}

/**
 * The content of the NthLayer scorecard page, without page header (the new frontend system's
 * page provides one).
 */
export function NthlayerScorecardContent() {
  const { loading, error, value } = usePortfolio();
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  if (value.services.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No NthLayer-managed services"
        description="Set the nthlayer.dev/tier annotation on a component to see it scored here."
      />
    );
  }
  return <Scorecard portfolio={value} />;
}

/**
 * The NthLayer scorecard page (legacy frontend system): the organisation's reliability score
 * and status, the insights worth reading first, teams ranked with their trend over 7 and 30
 * days, the score history, and every service in a paginated, sortable table with Team, Tier,
 * Status and System filters and a "Download CSV" button.
 *
 * @remarks
 * Scores without data read "no data", never 0. Test ids: `nthlayer-org-score`,
 * `nthlayer-org-status`, `nthlayer-portfolio-csv`, `nthlayer-insights` with
 * `nthlayer-insight` (`data-severity`), `nthlayer-teams` with `nthlayer-team` rows
 * (`data-ref`) and `nthlayer-team-score`, `nthlayer-score-history`, the selects
 * `nthlayer-filter-team`, `nthlayer-filter-tier`, `nthlayer-filter-status`,
 * `nthlayer-filter-system`, `nthlayer-services-count` and `nthlayer-services-table` with
 * `nthlayer-service-name` (`data-entity-ref`) and `nthlayer-service-score` per row.
 *
 * @public
 */
export function NthlayerScorecardPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Reliability scorecards"
        subtitle="NthLayer scores of every managed service, by team and system"
      />
      <Content>
        <NthlayerScorecardContent />
      </Content>
    </Page>
  );
}
