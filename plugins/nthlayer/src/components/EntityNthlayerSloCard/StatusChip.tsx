import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { SloStatus } from '@nthlayer/backstage-plugin-common';
import { statusLabel } from './format';

/** Background and text colour per status: green, amber, orange, red, grey. */
export const STATUS_COLOURS: Record<
  SloStatus,
  { background: string; text: string }
> = {
  healthy: { background: '#2e7d32', text: '#fff' },
  warning: { background: '#ffb300', text: '#000' },
  critical: { background: '#e65100', text: '#fff' },
  exhausted: { background: '#c62828', text: '#fff' },
  'no-data': { background: '#757575', text: '#fff' },
  pending: { background: '#9e9e9e', text: '#000' },
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, margin: 0 },
});

/** A coloured chip with the status label, e.g. `Healthy`. */
export function StatusChip(props: { status: SloStatus; testId?: string }) {
  const classes = useStyles();
  const colours = STATUS_COLOURS[props.status] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size="small"
      label={statusLabel(props.status)}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid={props.testId}
      data-status={props.status}
    />
  );
}
