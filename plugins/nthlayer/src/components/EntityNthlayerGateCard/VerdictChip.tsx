import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { GateVerdict } from '@nthlayer/backstage-plugin-common';
import { STATUS_COLOURS } from '../EntityNthlayerSloCard/StatusChip';

/** The SLO card's colours: allow green (healthy), warn amber (warning), block red (exhausted). */
export const VERDICT_COLOURS: Record<
  GateVerdict,
  { background: string; text: string }
> = {
  allow: STATUS_COLOURS.healthy,
  warn: STATUS_COLOURS.warning,
  block: STATUS_COLOURS.exhausted,
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, margin: 0 },
});

/** A coloured chip whose text is the verdict itself: `allow`, `warn` or `block`. */
export function VerdictChip(props: {
  verdict: GateVerdict;
  testId?: string;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const colours = VERDICT_COLOURS[props.verdict] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size={props.size ?? 'small'}
      label={props.verdict}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid={props.testId}
      data-verdict={props.verdict}
    />
  );
}
