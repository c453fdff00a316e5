import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { STATUS_COLOURS } from '../EntityNthlayerSloCard/StatusChip';

/** The SLO card's colours: triggered red, acknowledged amber, resolved green, others grey. */
export const INCIDENT_STATUS_COLOURS: Record<
  string,
  { background: string; text: string }
> = {
  triggered: STATUS_COLOURS.exhausted,
  acknowledged: STATUS_COLOURS.warning,
  resolved: STATUS_COLOURS.healthy,
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, margin: 0 },
});

/** A coloured chip whose text is PagerDuty's status: `triggered`, `acknowledged`, `resolved`. */
export function IncidentStatusChip(props: { status: string }) {
  const classes = useStyles();
  const colours =
    INCIDENT_STATUS_COLOURS[props.status] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size="small"
      label={props.status}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid="nthlayer-incident-status"
      data-status={props.status}
    />
  );
}
