import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { DriftSeverity } from '@nthlayer/backstage-plugin-common';
import { STATUS_COLOURS } from '../EntityNthlayerSloCard/StatusChip';

/** The SLO card's colours: critical red (exhausted), warning amber, info blue. */
export const SEVERITY_COLOURS: Record<
  DriftSeverity,
  { background: string; text: string }
> = {
  critical: STATUS_COLOURS.exhausted,
  warning: STATUS_COLOURS.warning,
  info: { background: '#1565c0', text: '#fff' },
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, margin: 0 },
});

/** A coloured chip whose text is the severity itself: `critical`, `warning` or `info`. */
export function SeverityChip(props: {
  severity: DriftSeverity;
  label?: string;
  testId?: string;
}) {
  const classes = useStyles();
  const colours = SEVERITY_COLOURS[props.severity] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size="small"
      label={props.label ?? props.severity}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid={props.testId}
      data-severity={props.severity}
    />
  );
}
