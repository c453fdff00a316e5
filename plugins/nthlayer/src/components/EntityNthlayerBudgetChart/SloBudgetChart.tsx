import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  AttributedEpisode,
  DeploymentRecord,
  SloHistoryResponse,
  SloReport,
} from '@nthlayer/backstage-plugin-common';
import { useSloHistory } from '../../hooks/useSloHistory';
import { formatRelativeTime } from '../EntityNthlayerSloCard/format';
import {
  BUDGET_CHART_HEIGHT,
  BudgetBurnDownChart,
} from './BudgetBurnDownChart';

const useStyles = makeStyles(theme => ({
  loading: {
    minHeight: BUDGET_CHART_HEIGHT,
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
  },
  stale: {
    marginBottom: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderLeft: '4px solid #ffb300',
    backgroundColor: 'rgba(255, 179, 0, 0.10)',
  },
}));

/** A history being loaded: by this chart alone or with the other SLOs' (one request). */
export interface SloHistoryState {
  loading: boolean;
  error?: Error;
  value?: SloHistoryResponse;
  /** The entity's deployments in the range, drawn as markers. */
  deployments?: DeploymentRecord[];
  /** The SLO's burn episodes from the ledger, shaded. */
  episodes?: AttributedEpisode[];
}

function ChartBody(props: { slo: string; history: SloHistoryState }) {
  const classes = useStyles();
  const { loading, error, value } = props.history;
  if (loading) {
    return (
      <div className={classes.loading} data-state="loading">
        <Progress />
      </div>
    );
  }
  if (error) {
    return (
      <div data-state="error">
        <ResponseErrorPanel
          error={error}
          title={`Could not load the budget history of ${props.slo}`}
        />
      </div>
    );
  }
  if (!value || value.points.length === 0) {
    return (
      <div data-state="empty">
        <EmptyState
          missing="data"
          title="No history yet"
          description="NthLayer records the error budget at every refresh; the burn-down appears once a few measurements exist."
        />
      </div>
    );
  }
  return (
    <div data-state="ready">
      <BudgetBurnDownChart
        history={value}
        deployments={props.history.deployments}
        episodes={props.history.episodes}
      />
    </div>
  );
}

/**
 * Burn-down of one SLO of an entity, with its loading, empty and error states, and a
 * banner when the SLO's current numbers are stale. The container carries
 * `data-testid="nthlayer-budget-chart-<slo>"`. The history comes from the caller.
 */
export function SloBudgetChart(props: {
  report: SloReport;
  history: SloHistoryState;
}) {
  const classes = useStyles();
  const { report } = props;
  return (
    <div data-testid={`nthlayer-budget-chart-${report.name}`}>
      {report.stale && (
        <Typography
          variant="body2"
          className={classes.stale}
          role="status"
          data-testid={`nthlayer-budget-chart-${report.name}-stale`}
        >
          Stale: the budget was last refreshed{' '}
          {formatRelativeTime(report.updatedAt, new Date())}
          {report.error ? ` — ${report.error}` : ''}. The history may end early.
        </Typography>
      )}
      <ChartBody slo={report.name} history={props.history} />
    </div>
  );
}

/** {@link SloBudgetChart} loading the history of its one SLO. */
export function LoadingSloBudgetChart(props: {
  entityRef: CompoundEntityRef;
  report: SloReport;
}) {
  const history = useSloHistory(props.entityRef, props.report.name);
  return <SloBudgetChart report={props.report} history={history} />;
}
