import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { AttributedEpisode } from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import {
  deploymentIdOf,
  episodeWhen,
  formatBurnRate,
  formatConfidence,
  formatMinutes,
} from './format';
import { ImpactDialog } from './ImpactDialog';

function EpisodeRow(props: {
  episode: AttributedEpisode;
  onImpact: (deploymentId: number) => void;
}) {
  const { episode } = props;
  const { cause } = episode;
  const deploymentId = deploymentIdOf(cause);
  return (
    <TableRow
      data-testid="nthlayer-ledger-episode"
      data-source={cause.source}
      data-ongoing={String(episode.ongoing)}
    >
      <TableCell data-testid="nthlayer-ledger-episode-when">
        {episodeWhen(episode)}
        {episode.clipped && (
          <Typography variant="caption" color="textSecondary" component="div">
            began before the window
          </Typography>
        )}
      </TableCell>
      <TableCell align="right" data-testid="nthlayer-ledger-episode-burned">
        {formatMinutes(episode.burnedMinutes)}
      </TableCell>
      <TableCell align="right" data-testid="nthlayer-ledger-episode-peak">
        {formatBurnRate(episode.peakBurnRate)}
      </TableCell>
      <TableCell
        data-testid="nthlayer-ledger-episode-cause"
        title={cause.entityRef ?? undefined}
      >
        {cause.label}
      </TableCell>
      <TableCell data-testid="nthlayer-ledger-episode-source">
        {cause.source}
      </TableCell>
      <TableCell data-testid="nthlayer-ledger-episode-confidence">
        {formatConfidence(cause.confidence)}
      </TableCell>
      <TableCell data-testid="nthlayer-ledger-episode-reason">
        {cause.reason}
      </TableCell>
      <TableCell>
        {deploymentId !== undefined && (
          <Button
            size="small"
            variant="outlined"
            style={{ whiteSpace: 'nowrap' }}
            onClick={() => props.onImpact(deploymentId)}
          >
            Impact
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * The attribution table of one SLO: a row per episode (`nthlayer-ledger-episode`, in the
 * API's order, newest first) with when, burned minutes, peak burn rate, cause, source,
 * confidence and reason. A row caused by a deploy has an *Impact* button opening the deploy's
 * impact dialog.
 */
export function EpisodeTable(props: {
  sloName: string;
  episodes: AttributedEpisode[];
}) {
  const [impact, setImpact] = useState<{
    deploymentId: number;
    episode: AttributedEpisode;
  }>();
  return (
    <>
      <Table size="small" aria-label={`Burn episodes of ${props.sloName}`}>
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell align="right">Burned</TableCell>
            <TableCell align="right">Peak burn</TableCell>
            <TableCell>Cause</TableCell>
            <TableCell>Source</TableCell>
            <TableCell>Confidence</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {props.episodes.map(episode => (
            <EpisodeRow
              key={`${episode.start}/${episode.cause.key}`}
              episode={episode}
              onImpact={deploymentId => setImpact({ deploymentId, episode })}
            />
          ))}
        </TableBody>
      </Table>
      {impact && (
        <ImpactDialog
          open
          deploymentId={impact.deploymentId}
          episode={impact.episode}
          onClose={() => setImpact(undefined)}
        />
      )}
    </>
  );
}
