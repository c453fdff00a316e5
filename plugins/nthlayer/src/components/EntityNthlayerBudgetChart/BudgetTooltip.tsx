import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { BudgetChartRow, formatTooltipTime } from './chartData';

const useStyles = makeStyles(theme => ({
  paper: { padding: theme.spacing(1, 1.5) },
  overspent: { color: '#c62828', fontWeight: 600 },
}));

/** What recharts passes to a custom tooltip (only the parts used here). */
export interface BudgetTooltipProps {
  active?: boolean;
  payload?: Array<{ payload?: BudgetChartRow }>;
}

/** Hover tooltip of the burn-down: time, budget remaining (% and minutes) and SLI. */
export function BudgetTooltip(props: BudgetTooltipProps) {
  const classes = useStyles();
  const row = props.active ? props.payload?.[0]?.payload : undefined;
  if (!row) return null;
  const overspent = row.remainingPercent !== null && row.remainingPercent < 0;
  return (
    <Paper
      className={classes.paper}
      elevation={3}
      data-testid="nthlayer-budget-tooltip"
    >
      <Typography variant="caption" color="textSecondary" component="div">
        {formatTooltipTime(row.time)}
      </Typography>
      <Typography
        variant="body2"
        component="div"
        className={overspent ? classes.overspent : undefined}
      >
        {row.remainingPercent === null
          ? 'Budget: no data'
          : `Budget remaining: ${row.remainingPercent.toFixed(1)} %`}
        {row.remainingMinutes !== null &&
          ` (${row.remainingMinutes.toFixed(2)} min)`}
      </Typography>
      <Typography variant="body2" component="div">
        SLI: {row.sli === null ? 'no data' : `${row.sli.toFixed(3)} %`}
      </Typography>
    </Paper>
  );
}
