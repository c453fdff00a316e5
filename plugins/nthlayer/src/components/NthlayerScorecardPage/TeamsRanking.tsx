import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { PortfolioRollup } from '@nthlayer/backstage-plugin-common';
import { EntityNameLink } from '../shared/EntityNameLink';
import { PortfolioStatusChip } from '../shared/PortfolioStatusChip';
import { formatScore, formatScoreDelta } from '../shared/scoreFormat';
import { rankTeams } from './servicesModel';

/** A signed change, green up, red down, grey without data. */
export function Trend(props: {
  current: number | null;
  past: number | null;
  testId?: string;
}) {
  const text = formatScoreDelta(props.current, props.past);
  const flat = text === 'no data' || text === '0';
  const colour = text.startsWith('+') ? '#2e7d32' : '#c62828';
  return (
    <Typography
      variant="body2"
      component="span"
      color={flat ? 'textSecondary' : undefined}
      style={flat ? undefined : { color: colour }}
      data-testid={props.testId}
    >
      {text}
    </Typography>
  );
}

/** The teams, best score first (no score last), with their trend over 7 and 30 days. */
export function TeamsRanking(props: { teams: PortfolioRollup[] }) {
  const teams = rankTeams(props.teams);
  if (teams.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No team owns an NthLayer-managed service.
      </Typography>
    );
  }
  return (
    // Numbers and headers on one line; a narrow card scrolls instead of wrapping "Score".
    <div style={{ overflowX: 'auto' }}>
      <Table
        size="small"
        style={{ whiteSpace: 'nowrap' }}
        data-testid="nthlayer-teams"
        aria-label="Teams ranked by score"
      >
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>Team</TableCell>
            <TableCell align="right">Score</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">vs 7 d</TableCell>
            <TableCell align="right">vs 30 d</TableCell>
            <TableCell align="right">Services</TableCell>
            <TableCell align="right">Tier 1 below target</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {teams.map((team, index) => (
            <TableRow
              key={team.ref}
              data-testid="nthlayer-team"
              data-ref={team.ref}
            >
              <TableCell>{index + 1}</TableCell>
              <TableCell data-testid="nthlayer-team-name">
                <EntityNameLink entityRef={team.ref} />
              </TableCell>
              <TableCell align="right" data-testid="nthlayer-team-score">
                {formatScore(team.score)}
              </TableCell>
              <TableCell>
                <PortfolioStatusChip status={team.status} />
              </TableCell>
              <TableCell align="right">
                <Trend
                  current={team.score}
                  past={team.score7dAgo}
                  testId="nthlayer-team-trend-7d"
                />
              </TableCell>
              <TableCell align="right">
                <Trend
                  current={team.score}
                  past={team.score30dAgo}
                  testId="nthlayer-team-trend-30d"
                />
              </TableCell>
              <TableCell align="right">{team.services}</TableCell>
              <TableCell align="right">{team.tier1BelowTarget}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
