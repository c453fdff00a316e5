import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { LedgerSlo } from '@nthlayer/backstage-plugin-common';
import {
  burnSlices,
  consumptionText,
  formatMinutes,
  sliceText,
  totalBurned,
} from './format';

const useStyles = makeStyles(theme => ({
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0, 2),
    marginBottom: theme.spacing(1),
  },
  track: {
    position: 'relative',
    display: 'flex',
    height: 20,
    borderRadius: 2,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
  },
  budgetMark: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 2,
    marginLeft: -2,
    backgroundColor: theme.palette.text.primary,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: theme.spacing(0.5),
    borderRadius: 2,
    verticalAlign: 'baseline',
  },
}));

/**
 * One horizontal stacked bar of an SLO's burned minutes by source (deployments, incidents,
 * dependencies, unattributed, baseline), scaled to the budget (a mark at its end) or to the
 * burn when it is larger, with the budget and consumption above it and a legend giving every
 * source's minutes (`nthlayer-ledger-source-<source>`).
 */
export function BurnBySourceBar(props: { slo: LedgerSlo }) {
  const classes = useStyles();
  const { slo } = props;
  const slices = burnSlices(slo.burned);
  const scale = Math.max(
    slo.budgetMinutes,
    totalBurned(slo.burned),
    slo.consumedMinutes ?? 0,
  );
  const share = (minutes: number) =>
    scale > 0 ? `${(100 * minutes) / scale}%` : '0%';
  return (
    <div data-testid={`nthlayer-ledger-bar-${slo.sloName}`}>
      <div className={classes.figures}>
        <Typography variant="body2" data-testid="nthlayer-ledger-budget">
          Budget {formatMinutes(slo.budgetMinutes)}
        </Typography>
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="nthlayer-ledger-consumed"
        >
          {consumptionText(slo)}
        </Typography>
      </div>
      <div
        className={classes.track}
        role="img"
        aria-label={`Burned by source: ${slices
          .map(sliceText)
          .join(', ')}; budget ${formatMinutes(slo.budgetMinutes)}`}
      >
        {slices
          .filter(s => s.minutes !== null && s.minutes > 0)
          .map(s => (
            <div
              key={s.slice}
              data-slice={s.slice}
              title={sliceText(s)}
              style={{ width: share(s.minutes!), backgroundColor: s.colour }}
            />
          ))}
        <div
          className={classes.budgetMark}
          style={{ left: share(slo.budgetMinutes) }}
          title={`budget ${formatMinutes(slo.budgetMinutes)}`}
        />
      </div>
      <ul className={classes.legend}>
        {slices.map(s => (
          <li key={s.slice}>
            <Typography
              variant="caption"
              component="span"
              data-testid={`nthlayer-ledger-source-${s.slice}`}
              title={
                s.slice === 'baseline' && s.minutes === null
                  ? 'Not known for a slice shorter than the SLO window'
                  : undefined
              }
            >
              <span
                className={classes.swatch}
                style={{ backgroundColor: s.colour }}
              />
              {sliceText(s)}
            </Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}
