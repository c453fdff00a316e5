import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  AttributedEpisode,
  DeploymentImpactResponse,
  EpisodeDeployCandidate,
} from '@nthlayer/backstage-plugin-common';
import { useNthlayerQuery } from '../../hooks/useNthlayerQuery';
import { formatTime } from '../EntityNthlayerGateCard/format';
import {
  confidenceFactorLines,
  formatConfidence,
  formatMinutes,
} from './format';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(3) },
  time: { fontVariantNumeric: 'tabular-nums', marginRight: theme.spacing(1) },
  factor: { fontWeight: 600 },
}));

function Summary(props: { impact: DeploymentImpactResponse }) {
  const { impact } = props;
  const { deployment } = impact;
  return (
    <div>
      <Typography variant="body2">
        {deployment.url ? (
          <Link to={deployment.url}>{deployment.version}</Link>
        ) : (
          deployment.version
        )}{' '}
        of {deployment.entityRef}
        {deployment.author ? ` by ${deployment.author}` : ''},{' '}
        {deployment.status.replace('_', ' ')}, started{' '}
        {formatTime(deployment.startedAt)}
      </Typography>
      <Typography
        variant="body1"
        data-testid="nthlayer-impact-level"
        data-impact={impact.impact}
      >
        Impact: {impact.impact}
      </Typography>
      <Typography variant="body2" data-testid="nthlayer-impact-burned">
        Burned {formatMinutes(impact.burnedMinutes)} in {impact.episodes}{' '}
        episode{impact.episodes === 1 ? '' : 's'}
      </Typography>
      <Typography variant="body2" data-testid="nthlayer-impact-confidence">
        Confidence: {formatConfidence(impact.confidence)}
      </Typography>
    </div>
  );
}

function Timeline(props: { impact: DeploymentImpactResponse }) {
  const classes = useStyles();
  return (
    <section className={classes.section}>
      <Typography variant="subtitle2" component="h3">
        Timeline
      </Typography>
      <ol className={classes.list} data-testid="nthlayer-impact-timeline">
        {props.impact.timeline.map((event, index) => (
          <li
            key={`${event.at}/${index}`}
            data-testid="nthlayer-impact-event"
            data-kind={event.kind}
          >
            <Typography variant="body2" component="span">
              <time dateTime={event.at} className={classes.time}>
                {formatTime(event.at)}
              </time>
              {event.label}
            </Typography>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Why the ledger suspects this deploy for the episode: its three factors with their numbers. */
function Factors(props: { candidate: EpisodeDeployCandidate }) {
  const classes = useStyles();
  const { candidate } = props;
  const { minutesBeforeBurn, confidence } = candidate;
  return (
    <section className={classes.section} data-testid="nthlayer-impact-factors">
      <Typography variant="subtitle2" component="h3">
        Confidence for this episode: {formatConfidence(confidence)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {minutesBeforeBurn <= 0
          ? 'Started as the burn began.'
          : `Started ${minutesBeforeBurn} min before the burn began.`}
      </Typography>
      <ul className={classes.list}>
        {confidenceFactorLines(confidence).map(line => (
          <li
            key={line.factor}
            data-testid="nthlayer-impact-factor"
            data-factor={line.factor}
          >
            <Typography variant="body2" component="span">
              <span className={classes.factor}>
                {line.factor} {line.score}
              </span>
              : {line.detail}
            </Typography>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ImpactBody(props: {
  deploymentId: number;
  candidate?: EpisodeDeployCandidate;
}) {
  const { deploymentId } = props;
  const { loading, error, value } = useNthlayerQuery(
    api => api.getDeploymentImpact(deploymentId),
    [deploymentId],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title={`Could not load the impact of deployment ${deploymentId}`}
      />
    );
  }
  if (!value) return null;
  return (
    <>
      <Summary impact={value} />
      <Timeline impact={value} />
      {props.candidate && <Factors candidate={props.candidate} />}
    </>
  );
}

/**
 * The impact of the deploy an episode is attributed to (`nthlayer-impact-dialog`): loads
 * `getDeploymentImpact(id)` and shows the impact level, the minutes burned, the timeline in
 * the API's order (`nthlayer-impact-event`, time and label) and the confidence factors of the
 * deploy as a candidate of this episode (`nthlayer-impact-factor`).
 */
export function ImpactDialog(props: {
  open: boolean;
  deploymentId: number;
  episode: AttributedEpisode;
  onClose: () => void;
}) {
  const { deploymentId, episode } = props;
  const candidate = episode.deployments.find(
    c => c.deployment.id === deploymentId,
  );
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="nthlayer-impact-title"
      fullWidth
      maxWidth="sm"
      data-testid="nthlayer-impact-dialog"
    >
      <DialogTitle id="nthlayer-impact-title">
        Impact of {episode.cause.label}
      </DialogTitle>
      <DialogContent>
        <ImpactBody deploymentId={deploymentId} candidate={candidate} />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
