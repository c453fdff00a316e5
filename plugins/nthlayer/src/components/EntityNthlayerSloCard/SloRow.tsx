import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ErrorBudget,
  EntitySloReport,
  SloReport,
  SloSparkline as SloSparklineData,
} from '@nthlayer/backstage-plugin-common';
import { SloSparkline } from './SloSparkline';
import { STATUS_COLOURS, StatusChip } from './StatusChip';
import {
  formatBudgetMinutes,
  formatRelativeTime,
  formatRemainingMinutes,
  formatRemainingPercent,
  formatSli,
  formatTarget,
  formatTimeToExhaustion,
  isOverspent,
  sloTitle,
} from './format';

const useStyles = makeStyles(theme => ({
  row: {
    padding: theme.spacing(1.5, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
  },
  headerEnd: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  why: { marginTop: theme.spacing(1) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
  },
  overspent: { color: '#c62828', fontWeight: 600 },
  stale: {
    marginTop: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderLeft: '4px solid #ffb300',
    backgroundColor: 'rgba(255, 179, 0, 0.10)',
  },
}));

function BudgetText(props: { name: string; budget: ErrorBudget }) {
  const classes = useStyles();
  const { name, budget } = props;
  const minutes = (
    <span data-testid={`nthlayer-slo-${name}-remaining-minutes`}>
      {formatRemainingMinutes(budget)}
    </span>
  );
  const percent = (
    <span data-testid={`nthlayer-slo-${name}-remaining-percent`}>
      {formatRemainingPercent(budget)}
    </span>
  );
  const total = formatBudgetMinutes(budget.totalMinutes);
  if (isOverspent(budget)) {
    return (
      <span className={classes.overspent}>
        Overspent: {minutes} min of {total} min ({percent} %)
      </span>
    );
  }
  return (
    <span>
      {minutes} min left of {total} min ({percent} %)
    </span>
  );
}

/**
 * One SLO of the card: target, window, SLI, error budget, time to exhaustion, status, a
 * sparkline of the budget (unless `sparkline` is false), why, and freshness.
 */
export function SloRow(props: {
  slo: SloReport & { sparkline?: SloSparklineData; measuredFrom?: EntitySloReport['measuredFrom'] };
  now: Date;
  sparkline?: boolean;
}) {
  const classes = useStyles();
  const { slo, now } = props;
  const testId = `nthlayer-slo-${slo.name}`;
  const budget = slo.errorBudget;
  const updated = formatRelativeTime(slo.updatedAt, now);
  const exhaustion = formatTimeToExhaustion(slo);
  return (
    <Box className={classes.row} data-testid={testId}>
      <div className={classes.header}>
        <Typography variant="subtitle1" component="h3">
          {sloTitle(slo)}
        </Typography>
        <div className={classes.headerEnd}>
          {props.sparkline !== false && (
            <SloSparkline
              sparkline={slo.sparkline}
              slo={slo.name}
              colour={STATUS_COLOURS[slo.status]?.background ?? '#757575'}
            />
          )}
          <StatusChip status={slo.status} testId={`${testId}-status`} />
        </div>
      </div>
      <Typography variant="body2" component="div" className={classes.facts}>
        <span>Target</span>
        <span>{formatTarget(slo)}</span>
        <span>Window</span>
        <span>{slo.window}</span>
        <span>Current SLI</span>
        <span data-testid={`${testId}-sli`}>
          {formatSli(slo.sli, slo.targetPercent)}
        </span>
        <span>Error budget</span>
        {budget ? (
          <BudgetText name={slo.name} budget={budget} />
        ) : (
          <span>
            {slo.status === 'pending' ? 'not measured yet' : 'no data'}
          </span>
        )}
        {slo.measuredFrom && (
          <>
            <span>Measured from</span>
            <span
              data-testid={`${testId}-source`}
              title={slo.measuredFrom.tried.map(t => `${t.found ? '✓' : '✗'} ${t.selector}`).join('\n')}
            >
              {slo.measuredFrom.found ? (
                <>
                  <code>{slo.measuredFrom.metric}</code> ({slo.measuredFrom.title}
                  {slo.measuredFrom.pinned ? ', pinned' : ''})
                </>
              ) : (
                <>
                  no known metrics found (looked for {slo.measuredFrom.tried.length} families)
                </>
              )}
            </span>
          </>
        )}
        {exhaustion && (
          <>
            <span>Time to exhaustion</span>
            <span data-testid={`${testId}-exhaustion`}>{exhaustion}</span>
          </>
        )}
      </Typography>
      {budget && (
        <LinearProgress
          variant="determinate"
          aria-label={`${slo.name} error budget remaining`}
          value={Math.min(100, Math.max(0, budget.remainingRatio * 100))}
        />
      )}
      {slo.explanation && (
        <Typography
          variant="body2"
          className={classes.why}
          data-testid={`${testId}-explanation`}
        >
          <strong>Why: </strong>
          {slo.explanation}
        </Typography>
      )}
      {slo.updatedAt && (
        <Typography
          variant="caption"
          color="textSecondary"
          title={slo.updatedAt}
        >
          updated {updated}
        </Typography>
      )}
      {slo.stale ? (
        <Typography variant="body2" className={classes.stale} role="status">
          Stale: last refreshed {updated}
          {slo.error ? ` — ${slo.error}` : ''}
        </Typography>
      ) : (
        slo.error && (
          <Typography variant="body2" color="textSecondary">
            {slo.error}
          </Typography>
        )
      )}
    </Box>
  );
}
