import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DependencyGraphNode,
  EntityDependenciesResponse,
  NTHLAYER_ANNOTATIONS,
} from '@nthlayer/backstage-plugin-common';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { DependencyDirection, isNthlayerAvailable } from '../../api';
import { useEntityDependencies } from '../../hooks/useEntityDependencies';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { formatRelativeTime } from '../EntityNthlayerSloCard/format';
import { useEntityPath } from '../shared/EntityNameLink';
import { NotManagedNotice, loadState } from '../shared/entityCardStates';
import { DependencyFindings } from './DependencyFindings';
import { DependencyGraphView, DependencyLegend } from './DependencyGraphView';
import { DependencyNodeTable } from './DependencyNodeTable';

/** The depth the tab opens with (the backend's default). */
export const DEFAULT_DEPTH = 2;
/** The depths the backend accepts. */
export const DEPTHS = [1, 2, 3, 4, 5];

/** The directions offered, with what each shows. */
export const DIRECTIONS: Array<{ value: DependencyDirection; label: string }> = [
  { value: 'both', label: 'Both ways' },
  { value: 'downstream', label: 'What it depends on' },
  { value: 'upstream', label: 'What depends on it' },
];

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  select: { minWidth: 120 },
  summary: { flexGrow: 1 },
  reloading: { marginBottom: theme.spacing(1) },
  note: { margin: theme.spacing(1, 0) },
}));

function Controls(props: {
  depth: number;
  direction: DependencyDirection;
  onDepth: (depth: number) => void;
  onDirection: (direction: DependencyDirection) => void;
  summary?: JSX.Element;
}) {
  const classes = useStyles();
  return (
    <div className={classes.controls}>
      <TextField
        select
        id="nthlayer-dependencies-depth"
        label="Depth"
        variant="outlined"
        size="small"
        className={classes.select}
        value={props.depth}
        onChange={event => props.onDepth(Number(event.target.value))}
        SelectProps={{ native: true }}
        inputProps={{ 'data-testid': 'nthlayer-dependencies-depth' }}
      >
        {DEPTHS.map(depth => (
          <option key={depth} value={depth}>
            {depth}
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="nthlayer-dependencies-direction"
        label="Direction"
        variant="outlined"
        size="small"
        className={classes.select}
        value={props.direction}
        onChange={event =>
          props.onDirection(event.target.value as DependencyDirection)
        }
        SelectProps={{ native: true }}
        inputProps={{ 'data-testid': 'nthlayer-dependencies-direction' }}
      >
        {DIRECTIONS.map(direction => (
          <option key={direction.value} value={direction.value}>
            {direction.label}
          </option>
        ))}
      </TextField>
      <div className={classes.summary}>{props.summary}</div>
    </div>
  );
}

function Summary(props: { response: EntityDependenciesResponse }) {
  const { response } = props;
  const now = new Date();
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="nthlayer-dependencies-summary"
    >
      {response.nodes.length} entit{response.nodes.length === 1 ? 'y' : 'ies'}
      {' · '}
      {response.edges.length} dependenc
      {response.edges.length === 1 ? 'y' : 'ies'}
      {' · '}
      {response.builtAt ? (
        <>
          graph built{' '}
          <time dateTime={response.builtAt} title={formatTime(response.builtAt)}>
            {formatRelativeTime(response.builtAt, now)}
          </time>
        </>
      ) : (
        'graph not built yet'
      )}
    </Typography>
  );
}

function DependenciesView(props: { entity: Entity }) {
  const classes = useStyles();
  const [depth, setDepth] = useState(DEFAULT_DEPTH);
  const [direction, setDirection] = useState<DependencyDirection>('both');
  const state = useEntityDependencies(props.entity, depth, direction);
  const navigate = useNavigate();
  const pathOf = useEntityPath();
  const onSelect = useCallback(
    (node: DependencyGraphNode) => {
      const path = pathOf(node.entityRef);
      if (path) navigate(path);
    },
    [navigate, pathOf],
  );
  const pending = loadState(state, message => (
    <NotManagedNotice
      testId="nthlayer-dependencies-empty"
      title="No dependency graph"
      reason="NthLayer does not manage this entity, so it has no place in the dependency graph."
      message={message}
    />
  ));
  const response = pending === undefined ? state.value : undefined;
  return (
    <Grid container spacing={3} data-testid="nthlayer-dependencies">
      <Grid item xs={12}>
        <InfoCard
          title="Dependencies"
          subheader="Declared in the catalog (spec.dependsOn) and discovered in traffic. Click an entity to open it; scroll to zoom, drag to pan."
        >
          <Controls
            depth={depth}
            direction={direction}
            onDepth={setDepth}
            onDirection={setDirection}
            summary={response && <Summary response={response} />}
          />
          {state.loading && state.value && (
            <LinearProgress
              className={classes.reloading}
              data-testid="nthlayer-dependencies-reloading"
            />
          )}
          {pending}
          {response && (
            <>
              <DependencyLegend />
              {response.truncated && (
                <Typography
                  variant="body2"
                  className={classes.note}
                  data-testid="nthlayer-dependencies-truncated"
                >
                  More entities lie beyond depth {response.depth}: raise the
                  depth to see them.
                </Typography>
              )}
              {!response.builtAt && (
                <Typography
                  variant="body2"
                  color="textSecondary"
                  className={classes.note}
                  data-testid="nthlayer-dependencies-not-built"
                >
                  The dependency graph has not been built yet; the backend
                  builds it on a schedule.
                </Typography>
              )}
              <DependencyGraphView response={response} onSelect={onSelect} />
            </>
          )}
        </InfoCard>
      </Grid>
      {response && (
        <>
          <Grid item xs={12}>
            <InfoCard title="Findings">
              <DependencyFindings findings={response.findings} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Entities">
              <DependencyNodeTable response={response} />
            </InfoCard>
          </Grid>
        </>
      )}
    </Grid>
  );
}

/**
 * The Dependencies tab of an entity: the dependency graph around it, declared and
 * discovered, each entity coloured by its worst budget status.
 *
 * @remarks
 * Depth (1–5, default 2) and direction (both, what it depends on, what depends on it)
 * controls; the graph left to right, every node the same size with its tier badge (`T1`)
 * and name — green healthy, amber warning, red critical or exhausted, grey without data,
 * pending or not managed, a dashed outline for a ref the catalog lacks; discovered-only
 * edges dashed and labelled "discovered". A click on a node opens its entity page. Below
 * the graph a legend, the findings (cycles, refs the catalog lacks, undeclared and stale
 * dependencies, dependency ceilings) and a table of every node.
 *
 * Test ids: `nthlayer-dependencies`, `nthlayer-dependencies-depth`,
 * `nthlayer-dependencies-direction` (native selects), `nthlayer-dependencies-summary`,
 * `nthlayer-dependencies-truncated`, `nthlayer-dependency-legend`,
 * `nthlayer-dependency-graph` with `nthlayer-dependency-node` (`data-entity-ref`,
 * `data-status`, `data-colour`, `data-missing`) and `nthlayer-dependency-edge`
 * (`data-from`, `data-to`, `data-source`; `nthlayer-dependency-edge-label`),
 * `nthlayer-dependency-findings` with `nthlayer-dependency-finding` (`data-type`),
 * `nthlayer-dependency-table` with `nthlayer-dependency-row` (`data-entity-ref`,
 * `data-source`) and its cells `nthlayer-dependency-status` and
 * `nthlayer-dependency-relation`; `nthlayer-dependencies-empty` when NthLayer does not
 * manage the entity.
 *
 * @public
 */
export function EntityNthlayerDependenciesContent() {
  const { entity } = useEntity();
  return isNthlayerAvailable(entity) ? (
    <DependenciesView entity={entity} />
  ) : (
    <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
  );
}
