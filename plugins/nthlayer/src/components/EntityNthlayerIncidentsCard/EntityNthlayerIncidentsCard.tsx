import { Entity } from '@backstage/catalog-model';
import {
  Link,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityIncidentsResponse,
  NthlayerIncident,
} from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { useEntityIncidents } from '../../hooks/useEntityIncidents';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { incidentDuration, incidentLabel } from './format';
import { IncidentStatusChip } from './IncidentStatusChip';
import {
  ManagedEntityCard,
  NotManagedNotice,
  loadState,
} from '../shared/entityCardStates';

const TITLE = 'Incidents';

/** The config key of the PagerDuty token the backend reads incidents with. */
export const PAGERDUTY_TOKEN_KEY = 'nthlayer.pagerduty.token';

/** How many incidents the table shows before "Show N more". */
export const COLLAPSED_INCIDENTS = 10;

const useStyles = makeStyles(theme => ({
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    marginBottom: theme.spacing(1),
  },
  count: { fontWeight: 600, lineHeight: 1.1 },
  service: { marginBottom: theme.spacing(1) },
  title: { wordBreak: 'break-word' },
  code: { fontFamily: 'monospace' },
}));

function Count(props: { value: number; label: string; testId: string }) {
  const classes = useStyles();
  return (
    <div>
      <Typography
        variant="h5"
        className={classes.count}
        data-testid={props.testId}
      >
        {props.value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </div>
  );
}

function NotConfigured() {
  const classes = useStyles();
  return (
    <div data-testid="nthlayer-incidents-not-configured">
      <Typography variant="subtitle1">PagerDuty is not configured</Typography>
      <Typography variant="body2" color="textSecondary">
        NthLayer reads a service's incidents from PagerDuty once a REST API
        token is set in the backend's app-config at{' '}
        <code className={classes.code}>{PAGERDUTY_TOKEN_KEY}</code>. Until then
        no incident is read or shown.
      </Typography>
    </div>
  );
}

function IncidentRow(props: { incident: NthlayerIncident; now: Date }) {
  const classes = useStyles();
  const { incident, now } = props;
  const label = incidentLabel(incident);
  return (
    <TableRow
      data-testid="nthlayer-incident"
      data-incident={incident.id}
      data-status={incident.status}
    >
      <TableCell className={classes.title}>
        {incident.url ? <Link to={incident.url}>{label}</Link> : label}
      </TableCell>
      <TableCell>
        <IncidentStatusChip status={incident.status} />
      </TableCell>
      <TableCell>{incident.urgency ?? '—'}</TableCell>
      <TableCell>{incident.priority ?? '—'}</TableCell>
      <TableCell>{formatTime(incident.createdAt)}</TableCell>
      <TableCell data-testid="nthlayer-incident-resolved">
        {incident.resolvedAt ? `${formatTime(incident.resolvedAt)} ` : ''}
        <Typography variant="caption" color="textSecondary" component="span">
          {incidentDuration(incident, now)}
        </Typography>
      </TableCell>
    </TableRow>
  );
}

function IncidentsView(props: { response: EntityIncidentsResponse }) {
  const classes = useStyles();
  const { serviceId, incidents, open, count7d } = props.response;
  const [expanded, setExpanded] = useState(false);
  const now = new Date();
  const shown = expanded ? incidents : incidents.slice(0, COLLAPSED_INCIDENTS);
  const hidden = incidents.length - shown.length;
  return (
    <div data-testid="nthlayer-incidents">
      <div className={classes.counts}>
        <Count value={open} label="open" testId="nthlayer-incidents-open" />
        <Count
          value={count7d}
          label="in the last 7 days"
          testId="nthlayer-incidents-7d"
        />
      </div>
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        className={classes.service}
        data-testid="nthlayer-incidents-service"
      >
        {serviceId
          ? `PagerDuty service ${serviceId}`
          : 'No PagerDuty service is known for this entity yet (the pagerduty.com/service-id annotation, else a PagerDuty service of the same name).'}
      </Typography>
      {incidents.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="nthlayer-incidents-none"
        >
          No incidents recorded
        </Typography>
      ) : (
        <>
          <Table size="small" aria-label="PagerDuty incidents">
            <TableHead>
              <TableRow>
                <TableCell>Incident</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Urgency</TableCell>
                <TableCell>Priority</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>Resolved</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map(incident => (
                <IncidentRow key={incident.id} incident={incident} now={now} />
              ))}
            </TableBody>
          </Table>
          {hidden > 0 && (
            <Button size="small" onClick={() => setExpanded(true)}>
              Show {hidden} more
            </Button>
          )}
        </>
      )}
    </div>
  );
}


function IncidentsCardContent(props: { entity: Entity }) {
  const state = useEntityIncidents(props.entity);
  const pending = loadState(state, message => (
    <NotManagedNotice
      testId="nthlayer-incidents-empty"
      title="No incidents"
      reason="NthLayer does not manage this entity, so it reads no incidents for it."
      message={message}
    />
  ));
  const value = state.value;
  if (pending !== undefined || !value) return pending ?? null;
  if (!value.configured) return <NotConfigured />;
  return <IncidentsView response={value} />;
}

/**
 * Entity card with the PagerDuty incidents NthLayer stored for the current entity: how many
 * are open, how many were created in the last 7 days (the numbers deploy gates read as
 * `incidents.open` and `incidents.count7d`), and a table of the incidents, newest first.
 *
 * @remarks
 * Each row shows the incident's number and title (linked to its PagerDuty page), status chip,
 * urgency, priority, when it was created and when it was resolved and after how long (or how
 * long it has been open). Without a PagerDuty token (`nthlayer.pagerduty.token`) the card says
 * PagerDuty is not configured.
 *
 * Test ids: `nthlayer-incidents-open` and `nthlayer-incidents-7d` (the bare counts),
 * `nthlayer-incidents-service`, rows `nthlayer-incident` (`data-incident` = PagerDuty id,
 * `data-status`) with `nthlayer-incident-status` and `nthlayer-incident-resolved`,
 * `nthlayer-incidents-none`, `nthlayer-incidents-not-configured`, and
 * `nthlayer-incidents-empty` when NthLayer does not manage the entity.
 *
 * @public
 */
export function EntityNthlayerIncidentsCard() {
  return (
    <ManagedEntityCard title={TITLE}>
      {entity => <IncidentsCardContent entity={entity} />}
    </ManagedEntityCard>
  );
}
