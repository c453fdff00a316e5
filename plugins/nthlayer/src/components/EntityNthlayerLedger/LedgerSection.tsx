import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityLedgerResponse,
  LedgerSlo,
  LedgerTopCause,
} from '@nthlayer/backstage-plugin-common';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { formatRelativeTime } from '../EntityNthlayerSloCard/format';
import { BurnBySourceBar } from './BurnBySourceBar';
import { EpisodeTable } from './EpisodeTable';
import {
  formatConfidence,
  formatMinutes,
  formatRatio,
  formatWindowMinutes,
  sloHeading,
} from './format';

const HEADING_ID = 'nthlayer-ledger-heading';

const useStyles = makeStyles(theme => ({
  table: { marginTop: theme.spacing(2), overflowX: 'auto' },
  nothing: { marginTop: theme.spacing(2) },
  causes: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
  label: { fontWeight: 600 },
}));

/** The ledger being loaded by the tab (one request, shared with the burn-down charts). */
export interface LedgerState {
  loading: boolean;
  error?: Error;
  value?: EntityLedgerResponse;
}

function NotComputed() {
  return (
    <div data-testid="nthlayer-ledger-not-computed">
      <Typography variant="subtitle1">Not computed yet</Typography>
      <Typography variant="body2" color="textSecondary">
        NthLayer's ledger task reads the 5-minute burn of every SLO, finds the
        episodes that burned faster than the budget allows and attributes them
        to deploys, incidents and dependencies. It runs on a schedule
        (nthlayer.ledger.schedule, every 5 minutes by default) and has not run
        for this entity yet.
      </Typography>
    </div>
  );
}

function TopCause(props: { cause: LedgerTopCause }) {
  const classes = useStyles();
  const { cause } = props;
  const details = [
    cause.source,
    cause.sloName,
    `${formatMinutes(cause.burnedMinutes)} in ${cause.episodes} episode${
      cause.episodes === 1 ? '' : 's'
    }`,
    cause.confidence ? formatConfidence(cause.confidence) : undefined,
  ].filter(Boolean);
  return (
    <li data-testid="nthlayer-ledger-top-cause" data-source={cause.source}>
      <Typography variant="body2" component="span">
        <span className={classes.label}>{cause.label}</span> ·{' '}
        {details.join(' · ')}
      </Typography>
    </li>
  );
}

function TopCauses(props: { ledger: EntityLedgerResponse }) {
  const classes = useStyles();
  const { topCauses, unattributedRatio } = props.ledger;
  return (
    <InfoCard title="Top causes">
      <Typography variant="body2" data-testid="nthlayer-ledger-unattributed">
        Unattributed:{' '}
        {unattributedRatio === null
          ? '— (no episode burned)'
          : `${formatRatio(unattributedRatio)} of the episodes' burn`}
      </Typography>
      {topCauses.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No cause: nothing burned faster than the budget allows.
        </Typography>
      ) : (
        <ol className={classes.causes}>
          {topCauses.map(cause => (
            <TopCause key={`${cause.sloName}/${cause.key}`} cause={cause} />
          ))}
        </ol>
      )}
    </InfoCard>
  );
}

function LedgerSloCard(props: { slo: LedgerSlo }) {
  const classes = useStyles();
  const { slo } = props;
  return (
    <div data-testid={`nthlayer-ledger-slo-${slo.sloName}`}>
      <InfoCard
        title={sloHeading(slo.sloName)}
        subheader={`${slo.targetPercent} % over ${formatWindowMinutes(
          slo.windowMinutes,
        )}`}
      >
        <BurnBySourceBar slo={slo} />
        {slo.episodes.length === 0 ? (
          <div
            className={classes.nothing}
            data-testid="nthlayer-ledger-nothing"
          >
            <Typography variant="subtitle2">Nothing burned</Typography>
            <Typography variant="body2" color="textSecondary">
              No episode burned faster than the budget allows in the window.
            </Typography>
          </div>
        ) : (
          <div className={classes.table}>
            <EpisodeTable sloName={slo.sloName} episodes={slo.episodes} />
          </div>
        )}
      </InfoCard>
    </div>
  );
}

function LedgerBody(props: { ledger: LedgerState }) {
  const { loading, error, value } = props.ledger;
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="Could not load the budget ledger"
      />
    );
  }
  if (!value) return null;
  if (value.computedAt === null) return <NotComputed />;
  const now = new Date();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="nthlayer-ledger-computed-at"
        >
          Where the error budget went since {formatTime(value.from)}; computed{' '}
          <time
            dateTime={value.computedAt}
            title={formatTime(value.computedAt)}
          >
            {formatRelativeTime(value.computedAt, now)}
          </time>
          .
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <TopCauses ledger={value} />
      </Grid>
      {value.slos.map(slo => (
        <Grid item xs={12} key={slo.sloName}>
          <LedgerSloCard slo={slo} />
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * The "Budget ledger" section of the Reliability tab (`nthlayer-ledger`): where each SLO's
 * budget went. The top causes and the unattributed ratio for the entity, then per SLO
 * (`nthlayer-ledger-slo-<slo>`) the burned minutes by source as a stacked bar and the
 * attribution table of its episodes, or "Nothing burned". "Not computed yet" before the
 * ledger task first ran; the error panel when the ledger could not be loaded.
 */
export function LedgerSection(props: { ledger: LedgerState }) {
  return (
    <Grid
      item
      xs={12}
      component="section"
      aria-labelledby={HEADING_ID}
      data-testid="nthlayer-ledger"
    >
      <Typography variant="h5" component="h2" id={HEADING_ID} gutterBottom>
        Budget ledger
      </Typography>
      <LedgerBody ledger={props.ledger} />
    </Grid>
  );
}
