import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PortfolioStatus,
  SloStatus,
} from '@nthlayer/backstage-plugin-common';
import { STATUS_COLOURS, StatusChip } from '../EntityNthlayerSloCard/StatusChip';
import { portfolioStatusLabel } from './scoreFormat';

/** The SLO card's colours: healthy green, warning amber, critical red. */
export const PORTFOLIO_STATUS_COLOURS: Record<
  PortfolioStatus,
  { background: string; text: string }
> = {
  healthy: STATUS_COLOURS.healthy,
  warning: STATUS_COLOURS.warning,
  critical: STATUS_COLOURS.exhausted,
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, margin: 0 },
});

/** A coloured chip with a portfolio status: `Healthy`, `Warning` or `Critical`. */
export function PortfolioStatusChip(props: {
  status: PortfolioStatus;
  testId?: string;
}) {
  const classes = useStyles();
  const colours =
    PORTFOLIO_STATUS_COLOURS[props.status] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size="small"
      label={portfolioStatusLabel(props.status)}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid={props.testId}
      data-status={props.status}
    />
  );
}

/**
 * The budget status of a graph entity: its chip, or why it has none — `not in catalog` for
 * a ref the catalog lacks, `not managed` for an entity without NthLayer.
 */
export function EntityBudgetStatus(props: {
  status: SloStatus | null;
  missing?: boolean;
  testId?: string;
}) {
  if (props.status) {
    return <StatusChip status={props.status} testId={props.testId} />;
  }
  const text = props.missing ? 'not in catalog' : 'not managed';
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      data-testid={props.testId}
      data-status={props.missing ? 'missing' : 'unmanaged'}
    >
      {text}
    </Typography>
  );
}
