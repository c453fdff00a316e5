import { Entity } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  BlastRadiusEntry,
  BlastRadiusResponse,
  BlastSeverity,
} from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { useEntityBlastRadius } from '../../hooks/useEntityBlastRadius';
import { STATUS_COLOURS } from '../EntityNthlayerSloCard/StatusChip';
import { EntityNameLink } from '../shared/EntityNameLink';
import { EntityBudgetStatus } from '../shared/PortfolioStatusChip';
import {
  ManagedEntityCard,
  NotManagedNotice,
  loadState,
} from '../shared/entityCardStates';
import { entityName, formatTier } from '../shared/scoreFormat';

const TITLE = 'Blast radius';

/** How many entities of one depth are listed before "Show N more". */
export const COLLAPSED_DEPTH_ENTRIES = 10;

/** Low green, medium amber, high orange, critical red: the SLO card's colours. */
export const BLAST_SEVERITY_COLOURS: Record<
  BlastSeverity,
  { background: string; text: string }
> = {
  low: STATUS_COLOURS.healthy,
  medium: STATUS_COLOURS.warning,
  high: STATUS_COLOURS.critical,
  critical: STATUS_COLOURS.exhausted,
};

const useStyles = makeStyles(theme => ({
  head: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  chip: { fontWeight: 600, margin: 0, textTransform: 'capitalize' },
  reason: { marginTop: theme.spacing(0.5) },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    margin: theme.spacing(2, 0, 1),
  },
  count: { fontWeight: 600, lineHeight: 1.1 },
  section: { marginTop: theme.spacing(2) },
  owners: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    listStyle: 'none',
  },
}));

function Count(props: { value: number; label: string; testId: string }) {
  const classes = useStyles();
  return (
    <div>
      <Typography variant="h5" className={classes.count} data-testid={props.testId}>
        {props.value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </div>
  );
}

/** A chip with the blast severity: `low`, `medium`, `high` or `critical`. */
export function BlastSeverityChip(props: { severity: BlastSeverity }) {
  const classes = useStyles();
  const colours =
    BLAST_SEVERITY_COLOURS[props.severity] ?? STATUS_COLOURS['no-data'];
  return (
    <Chip
      size="small"
      label={props.severity}
      className={classes.chip}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid="nthlayer-blast-severity"
      data-severity={props.severity}
    />
  );
}

function DepthSection(props: { depth: number; entities: BlastRadiusEntry[] }) {
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const { depth, entities } = props;
  const shown = expanded ? entities : entities.slice(0, COLLAPSED_DEPTH_ENTRIES);
  const hidden = entities.length - shown.length;
  return (
    <section
      className={classes.section}
      data-testid={`nthlayer-blast-depth-${depth}`}
      data-count={entities.length}
    >
      <Typography variant="subtitle2" component="h3">
        {depth === 1 ? 'Direct dependents' : `${depth} steps away`} (
        {entities.length})
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell>Tier</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>Through</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(entry => (
            <TableRow
              key={entry.entityRef}
              data-testid="nthlayer-blast-entity"
              data-entity-ref={entry.entityRef}
              data-depth={entry.depth}
            >
              <TableCell>
                <EntityNameLink entityRef={entry.entityRef} text={entry.name} />
              </TableCell>
              <TableCell>{formatTier(entry.tier)}</TableCell>
              <TableCell data-testid="nthlayer-blast-entity-status">
                <EntityBudgetStatus status={entry.status} />
              </TableCell>
              <TableCell>
                {entry.owner ? <EntityNameLink entityRef={entry.owner} /> : '—'}
              </TableCell>
              <TableCell>{entityName(entry.via)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {hidden > 0 && (
        <Button size="small" onClick={() => setExpanded(true)}>
          Show {hidden} more
        </Button>
      )}
    </section>
  );
}

function BlastRadiusView(props: { blast: BlastRadiusResponse }) {
  const classes = useStyles();
  const { blast } = props;
  return (
    <div data-testid="nthlayer-blast">
      <div className={classes.head}>
        <BlastSeverityChip severity={blast.severity} />
        <Typography variant="body2" component="span">
          if this entity fails
        </Typography>
      </div>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.reason}
        data-testid="nthlayer-blast-reason"
      >
        {blast.reason}
      </Typography>
      <div className={classes.counts}>
        <Count value={blast.affected} label="affected" testId="nthlayer-blast-affected" />
        <Count
          value={blast.tier1Affected}
          label="of them tier 1"
          testId="nthlayer-blast-tier1"
        />
        <Count value={blast.owners.length} label="teams" testId="nthlayer-blast-team-count" />
      </div>
      {!blast.builtAt && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="nthlayer-blast-not-built"
        >
          The dependency graph has not been built yet; the backend builds it on
          a schedule.
        </Typography>
      )}
      {blast.affected === 0 ? (
        <Typography variant="body2" data-testid="nthlayer-blast-none">
          Nothing depends on this entity.
        </Typography>
      ) : (
        <>
          <section className={classes.section}>
            <Typography variant="subtitle2" component="h3">
              Owners affected
            </Typography>
            <ul className={classes.owners} data-testid="nthlayer-blast-owners">
              {blast.owners.map(owner => (
                <li key={owner.owner} data-owner={owner.owner}>
                  <Typography variant="body2" component="span">
                    <EntityNameLink entityRef={owner.owner} /> ({owner.count})
                  </Typography>
                </li>
              ))}
            </ul>
          </section>
          {blast.byDepth.map(group => (
            <DepthSection
              key={group.depth}
              depth={group.depth}
              entities={group.entities}
            />
          ))}
        </>
      )}
    </div>
  );
}

function BlastRadiusCardContent(props: { entity: Entity }) {
  const state = useEntityBlastRadius(props.entity);
  const pending = loadState(state, message => (
    <NotManagedNotice
      testId="nthlayer-blast-empty"
      title="No blast radius"
      reason="NthLayer does not manage this entity, so it has no place in the dependency graph."
      message={message}
    />
  ));
  if (pending !== undefined || !state.value) return pending ?? null;
  return <BlastRadiusView blast={state.value} />;
}

/**
 * Entity card with the blast radius of the current entity: everything that depends on it,
 * transitively, through declared and discovered dependencies.
 *
 * @remarks
 * The severity (`low`, `medium`, `high`, `critical`) with its reason, how many entities are
 * affected and how many of them are tier 1, the owners affected with their counts, and the
 * entities by depth (name linked to its page, tier, budget status, owner, the entity it is
 * affected through).
 *
 * Test ids: `nthlayer-blast-severity` (`data-severity`), `nthlayer-blast-reason`,
 * `nthlayer-blast-affected`, `nthlayer-blast-tier1`, `nthlayer-blast-owners`,
 * `nthlayer-blast-depth-<n>` with `nthlayer-blast-entity` rows (`data-entity-ref`),
 * `nthlayer-blast-none`, and `nthlayer-blast-empty` when NthLayer does not manage the entity.
 *
 * @public
 */
export function EntityNthlayerBlastRadiusCard() {
  return (
    <ManagedEntityCard title={TITLE}>
      {entity => <BlastRadiusCardContent entity={entity} />}
    </ManagedEntityCard>
  );
}
