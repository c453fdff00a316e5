import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  BURN_RATE_WINDOWS,
  MWMBR_THRESHOLDS,
  SloReport,
  firingBurnAlerts,
} from '@nthlayer/backstage-plugin-common';
import {
  BurnLevel,
  burnLevel,
  burnRatesByWindow,
  formatBurnRate,
} from './burnLevels';

const useStyles = makeStyles(theme => ({
  caption: { margin: theme.spacing(1, 0, 0.5) },
  rate: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  elevated: { backgroundColor: 'rgba(255, 179, 0, 0.25)', fontWeight: 600 },
  firing: {
    backgroundColor: 'rgba(198, 40, 40, 0.16)',
    color: '#b71c1c',
    fontWeight: 700,
  },
  firingRow: {
    backgroundColor: 'rgba(198, 40, 40, 0.12)',
    '& td': { color: '#b71c1c', fontWeight: 600 },
  },
  firingChip: { backgroundColor: '#c62828', color: '#fff', fontWeight: 600 },
  lowTraffic: {
    padding: theme.spacing(0.5, 1),
    marginBottom: theme.spacing(1),
    borderLeft: `4px solid ${theme.palette.grey[500]}`,
    backgroundColor: theme.palette.action.hover,
  },
}));

function useLevelClass(level: BurnLevel): string | undefined {
  const classes = useStyles();
  if (level === 'firing') return classes.firing;
  if (level === 'elevated') return classes.elevated;
  return undefined;
}

function RateCell(props: {
  window: string;
  rate: number | null;
  quiet: boolean;
}) {
  const classes = useStyles();
  const level = props.quiet ? 'none' : burnLevel(props.window, props.rate);
  const levelClass = useLevelClass(level);
  return (
    <TableCell
      align="right"
      className={`${classes.rate} ${levelClass ?? ''}`}
      data-testid={`burn-rate-${props.window}`}
      data-level={level}
      title={props.rate === null ? 'no traffic in this window' : undefined}
    >
      {formatBurnRate(props.rate)}
    </TableCell>
  );
}

/**
 * Burn rates of one SLO over the standard windows (5m … 3d) and the four multi-window,
 * multi-burn-rate alert pairs, the firing ones highlighted. Low-traffic SLOs get a note
 * instead of highlighting: their burn rates are noise and never page.
 *
 * @remarks
 * Rendered in `data-testid="nthlayer-burn-table-<slo>"`; each alert pair is a row
 * `data-testid="nthlayer-burn-alert-<long>-<short>"` with `data-firing="true|false"`.
 *
 * @public
 */
export function NthlayerBurnRateTable(props: { report: SloReport }) {
  const classes = useStyles();
  const { report } = props;
  const rates = burnRatesByWindow(report.burnRates);
  const quiet = report.lowTraffic;
  const firing = quiet ? [] : firingBurnAlerts(rates);
  return (
    <div data-testid={`nthlayer-burn-table-${report.name}`}>
      {quiet && (
        <Typography variant="body2" className={classes.lowTraffic} role="note">
          Low traffic — burn rates are not meaningful and never page.
        </Typography>
      )}
      <Table size="small" aria-label={`${report.name} burn rates`}>
        <TableHead>
          <TableRow>
            <TableCell>Window</TableCell>
            {BURN_RATE_WINDOWS.map(w => (
              <TableCell key={w} align="right">
                {w}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell component="th" scope="row">
              Burn rate
            </TableCell>
            {BURN_RATE_WINDOWS.map(w => (
              <RateCell
                key={w}
                window={w}
                rate={rates[w] ?? null}
                quiet={quiet}
              />
            ))}
          </TableRow>
        </TableBody>
      </Table>
      <Typography
        variant="subtitle2"
        component="h4"
        className={classes.caption}
      >
        Burn-rate alerts (multi-window, multi-burn-rate)
      </Typography>
      <Table size="small" aria-label={`${report.name} burn-rate alerts`}>
        <TableHead>
          <TableRow>
            <TableCell>Severity</TableCell>
            <TableCell>Long window</TableCell>
            <TableCell>Short window</TableCell>
            <TableCell align="right">Factor</TableCell>
            <TableCell align="right">Budget spent</TableCell>
            <TableCell>State</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {MWMBR_THRESHOLDS.map(t => {
            const isFiring = firing.includes(t);
            return (
              <TableRow
                key={`${t.longWindow}-${t.shortWindow}`}
                data-testid={`nthlayer-burn-alert-${t.longWindow}-${t.shortWindow}`}
                data-firing={String(isFiring)}
                className={isFiring ? classes.firingRow : undefined}
              >
                <TableCell>{t.severity}</TableCell>
                <TableCell className={classes.rate}>
                  {t.longWindow} ({formatBurnRate(rates[t.longWindow] ?? null)})
                </TableCell>
                <TableCell className={classes.rate}>
                  {t.shortWindow} (
                  {formatBurnRate(rates[t.shortWindow] ?? null)})
                </TableCell>
                <TableCell align="right">{t.factor}×</TableCell>
                <TableCell align="right">{t.budgetSpentPercent} %</TableCell>
                <TableCell>
                  {isFiring ? (
                    <Chip
                      size="small"
                      label="firing"
                      className={classes.firingChip}
                    />
                  ) : (
                    <Typography variant="caption" color="textSecondary">
                      {quiet ? 'never pages' : 'ok'}
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
