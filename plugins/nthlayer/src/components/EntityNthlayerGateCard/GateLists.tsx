import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  DeploymentRecord,
  GateOverride,
  StoredGateDecision,
} from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { nthlayerApiRef } from '../../api';
import { formatPrincipal, formatTime, requestErrorMessage } from './format';
import { VerdictChip } from './VerdictChip';

/** How many decisions and deployments the card lists. */
export const RECENT_COUNT = 5;

function Empty(props: { children: string }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  );
}

/**
 * The overrides in force, each a row `data-testid="nthlayer-gate-override-<id>"`; with
 * `canRevoke` each has a Revoke button, which calls `onRevoked` once the backend revoked it.
 */
export function ActiveOverrides(props: {
  overrides: GateOverride[];
  canRevoke: boolean;
  onRevoked: () => void;
}) {
  const api = useApi(nthlayerApiRef);
  const [revoking, setRevoking] = useState<number>();
  const [error, setError] = useState<string>();

  const revoke = async (id: number) => {
    setRevoking(id);
    setError(undefined);
    try {
      await api.revokeGateOverride(id);
      setRevoking(undefined);
      props.onRevoked();
    } catch (e) {
      setRevoking(undefined);
      setError(requestErrorMessage(e));
    }
  };

  if (props.overrides.length === 0) return <Empty>No override in force.</Empty>;
  return (
    <>
      <Table size="small" aria-label="Active overrides">
        <TableHead>
          <TableRow>
            <TableCell>Who</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Expires</TableCell>
            {props.canRevoke && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.overrides.map(override => (
            <TableRow
              key={override.id}
              data-testid={`nthlayer-gate-override-${override.id}`}
            >
              <TableCell title={override.createdBy}>
                {formatPrincipal(override.createdBy)}
              </TableCell>
              <TableCell>{override.reason}</TableCell>
              <TableCell>{override.version ?? 'any version'}</TableCell>
              <TableCell>{formatTime(override.expiresAt)}</TableCell>
              {props.canRevoke && (
                <TableCell>
                  <Button
                    size="small"
                    variant="outlined"
                    disabled={revoking !== undefined}
                    onClick={() => revoke(override.id)}
                  >
                    Revoke
                  </Button>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {error && (
        <Typography
          color="error"
          variant="body2"
          role="alert"
          data-testid="nthlayer-gate-revoke-error"
        >
          The override was not revoked: {error}
        </Typography>
      )}
    </>
  );
}

/** The latest gate decisions, newest first; rows `data-testid="nthlayer-gate-decision"`. */
export function RecentDecisions(props: { decisions: StoredGateDecision[] }) {
  const decisions = props.decisions.slice(0, RECENT_COUNT);
  if (decisions.length === 0) {
    return <Empty>No deploy has asked the gate yet.</Empty>;
  }
  return (
    <Table size="small" aria-label="Recent gate decisions">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Version</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Verdict</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {decisions.map(decision => (
          <TableRow
            key={decision.id}
            data-testid="nthlayer-gate-decision"
            data-verdict={decision.decision.verdict}
            data-overridden={Boolean(decision.decision.override)}
          >
            <TableCell>{formatTime(decision.decidedAt)}</TableCell>
            <TableCell>{decision.version}</TableCell>
            <TableCell title={decision.principal}>
              {formatPrincipal(decision.principal)}
            </TableCell>
            <TableCell>
              <VerdictChip verdict={decision.decision.verdict} />
              {decision.decision.override && (
                <Chip
                  size="small"
                  variant="outlined"
                  label="overridden"
                  style={{ marginLeft: 4 }}
                  title={`override #${decision.decision.override.id}; without it: ${decision.decision.override.verdictWithout}`}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const DEPLOYMENT_STATUS: Record<DeploymentRecord['status'], string> = {
  started: 'started',
  succeeded: 'succeeded',
  failed: 'failed',
  rolled_back: 'rolled back',
};

/** The latest reported deployments, newest first; rows `data-testid="nthlayer-gate-deployment"`. */
export function RecentDeployments(props: { deployments: DeploymentRecord[] }) {
  const deployments = props.deployments.slice(0, RECENT_COUNT);
  if (deployments.length === 0)
    return <Empty>No deployment reported yet.</Empty>;
  return (
    <Table size="small" aria-label="Recent deployments">
      <TableHead>
        <TableRow>
          <TableCell>Version</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Author</TableCell>
          <TableCell>Started</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {deployments.map(deployment => (
          <TableRow
            key={deployment.id}
            data-testid="nthlayer-gate-deployment"
            data-status={deployment.status}
          >
            <TableCell>
              {deployment.url ? (
                <Link to={deployment.url}>{deployment.version}</Link>
              ) : (
                deployment.version
              )}
            </TableCell>
            <TableCell>
              {DEPLOYMENT_STATUS[deployment.status] ?? deployment.status}
            </TableCell>
            <TableCell>{deployment.author ?? '—'}</TableCell>
            <TableCell>{formatTime(deployment.startedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
