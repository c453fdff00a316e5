import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  DependencyEdgeSource,
  DependencyGraphNode,
  EntityDependenciesResponse,
} from '@nthlayer/backstage-plugin-common';
import { KeyboardEvent, useCallback, useMemo } from 'react';
import { statusLabel } from '../EntityNthlayerSloCard/format';
import { formatTier } from '../shared/scoreFormat';
import {
  CONTAIN_ABOVE_NODES,
  EDGE_SOURCE_LABELS,
  NODE_COLOURS,
  NODE_HEIGHT,
  NODE_WIDTH,
  NodeColourKey,
  edgeMiddle,
  edgePath,
  nodeColourKey,
  nodeLabel,
} from './graphModel';

/** Data each graph node carries. */
type NodeData = { entity: DependencyGraphNode; root: boolean };
/** Data each graph edge carries. */
type EdgeData = { source: DependencyEdgeSource };

const ARROW_ID = 'nthlayer-dependency-arrow';
const EDGE_COLOUR = '#757575';
const DISCOVERED_COLOUR = '#e65100';

const useStyles = makeStyles(theme => ({
  graph: { position: 'relative', width: '100%' },
  contained: { height: 'min(75vh, 900px)' },
  node: { cursor: 'pointer', outline: 'none' },
  missingNode: { cursor: 'default' },
  name: { fontSize: 13, fontWeight: 600, pointerEvents: 'none' },
  detail: { fontSize: 11, pointerEvents: 'none' },
  badge: { fontSize: 11, fontWeight: 700, pointerEvents: 'none' },
  edge: { fill: 'none', stroke: EDGE_COLOUR, strokeWidth: 1.3 },
  both: { strokeWidth: 2.2 },
  declared: {},
  discovered: { stroke: DISCOVERED_COLOUR, strokeWidth: 1.6 },
  edgeLabel: {
    fontSize: 11,
    fill: DISCOVERED_COLOUR,
    paintOrder: 'stroke',
    stroke: theme.palette.background.paper,
    strokeWidth: 3,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    margin: theme.spacing(1, 0),
    padding: 0,
    listStyle: 'none',
  },
  legendItem: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
  },
}));

/** The status a node shows (`missing` for a ref the catalog lacks, `unmanaged` without NthLayer). */
export function nodeStatusKey(node: DependencyGraphNode): string {
  if (node.missing) return 'missing';
  return node.status ?? 'unmanaged';
}

function nodeTitle(node: DependencyGraphNode): string {
  let status = 'not managed by NthLayer';
  if (node.missing) status = 'not in the catalog';
  else if (node.status) status = statusLabel(node.status);
  return [
    node.entityRef,
    node.tier ? `tier ${node.tier}` : undefined,
    status,
    node.owner ? `owner ${node.owner}` : undefined,
    node.gateVerdict ? `gate ${node.gateVerdict}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function GraphNode(props: {
  node: NodeData;
  onSelect: (node: DependencyGraphNode) => void;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const { entity, root } = props.node;
  const key: NodeColourKey = nodeColourKey(entity.status);
  const colours = NODE_COLOURS[key];
  const fill = entity.missing ? theme.palette.background.paper : colours.fill;
  const text = entity.missing ? theme.palette.text.primary : colours.text;
  const tier = formatTier(entity.tier);
  const nameX = entity.tier ? 40 : 10;
  let strokeOpacity = root ? 0.9 : 0.25;
  if (entity.missing) strokeOpacity = 1;
  const select = () => {
    if (!entity.missing) props.onSelect(entity);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select();
    }
  };
  return (
    <g
      className={entity.missing ? classes.missingNode : classes.node}
      onClick={select}
      onKeyDown={onKeyDown}
      role={entity.missing ? 'img' : 'link'}
      tabIndex={entity.missing ? undefined : 0}
      aria-label={nodeTitle(entity)}
      data-testid="nthlayer-dependency-node"
      data-entity-ref={entity.entityRef}
      data-status={nodeStatusKey(entity)}
      data-colour={entity.missing ? 'missing' : key}
      data-missing={entity.missing ? 'true' : 'false'}
      data-root={root ? 'true' : 'false'}
    >
      <title>{nodeTitle(entity)}</title>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        fill={fill}
        stroke={entity.missing ? EDGE_COLOUR : theme.palette.text.primary}
        strokeOpacity={strokeOpacity}
        strokeWidth={root ? 3 : 1.5}
        strokeDasharray={entity.missing ? '5 4' : undefined}
      />
      {entity.tier && (
        <g data-testid="nthlayer-dependency-tier">
          <rect
            x={6}
            y={(NODE_HEIGHT - 20) / 2}
            width={28}
            height={20}
            rx={4}
            fill="rgba(0, 0, 0, 0.28)"
          />
          <text
            className={classes.badge}
            x={20}
            y={NODE_HEIGHT / 2 + 4}
            textAnchor="middle"
            fill="#fff"
          >
            {tier}
          </text>
        </g>
      )}
      <text className={classes.name} x={nameX} y={19} fill={text}>
        {nodeLabel(entity.name)}
      </text>
      <text
        className={classes.detail}
        x={nameX}
        y={34}
        fill={text}
        fillOpacity={0.85}
      >
        {entity.missing ? 'not in catalog' : entity.kind.toLocaleLowerCase('en-US')}
      </text>
    </g>
  );
}

function GraphEdge(props: DependencyGraphTypes.RenderEdgeProps<EdgeData>) {
  const classes = useStyles();
  const { edge, id } = props;
  const points = edge.points ?? [];
  const d = edgePath(points);
  const middle = edgeMiddle(points);
  const discovered = edge.source === 'discovered';
  return (
    <g
      data-testid="nthlayer-dependency-edge"
      data-from={id.v}
      data-to={id.w}
      data-source={edge.source}
    >
      <title>{`${id.v} → ${id.w} (${EDGE_SOURCE_LABELS[edge.source]})`}</title>
      {d && (
        <path
          d={d}
          className={`${classes.edge} ${classes[edge.source] ?? ''}`}
          strokeDasharray={discovered ? '6 4' : undefined}
          markerEnd={`url(#${ARROW_ID})`}
          data-testid="nthlayer-dependency-edge-path"
        />
      )}
      {discovered && middle && (
        <text
          className={classes.edgeLabel}
          x={middle.x}
          y={middle.y - 5}
          textAnchor="middle"
          data-testid="nthlayer-dependency-edge-label"
        >
          discovered
        </text>
      )}
    </g>
  );
}

function Swatch(props: { fill: string; dashed?: boolean; stroke?: string }) {
  return (
    <svg width={22} height={14} aria-hidden>
      <rect
        x={1}
        y={1}
        width={20}
        height={12}
        rx={3}
        fill={props.fill}
        stroke={props.stroke ?? 'rgba(0, 0, 0, 0.25)'}
        strokeDasharray={props.dashed ? '4 3' : undefined}
      />
    </svg>
  );
}

function Line(props: { source: DependencyEdgeSource }) {
  const discovered = props.source === 'discovered';
  return (
    <svg width={32} height={14} aria-hidden>
      <line
        x1={1}
        y1={7}
        x2={31}
        y2={7}
        stroke={discovered ? DISCOVERED_COLOUR : EDGE_COLOUR}
        strokeWidth={props.source === 'both' ? 2.2 : 1.5}
        strokeDasharray={discovered ? '6 4' : undefined}
      />
    </svg>
  );
}

/** What the colours, outlines and lines of the graph mean. */
export function DependencyLegend() {
  const classes = useStyles();
  const theme = useTheme();
  const item = (key: string, swatch: JSX.Element, label: string) => (
    <li className={classes.legendItem} key={key} data-legend={key}>
      {swatch}
      <Typography variant="caption">{label}</Typography>
    </li>
  );
  return (
    <ul
      className={classes.legend}
      aria-label="Legend"
      data-testid="nthlayer-dependency-legend"
    >
      {(Object.keys(NODE_COLOURS) as NodeColourKey[]).map(key =>
        item(key, <Swatch fill={NODE_COLOURS[key].fill} />, NODE_COLOURS[key].label),
      )}
      {item(
        'missing',
        <Swatch fill={theme.palette.background.paper} stroke={EDGE_COLOUR} dashed />,
        'Not in the catalog',
      )}
      {item('tier', <Swatch fill="rgba(0, 0, 0, 0.28)" />, 'T1–T3: tier')}
      {item('declared', <Line source="declared" />, 'Declared (spec.dependsOn)')}
      {item('both', <Line source="both" />, 'Declared and seen in traffic')}
      {item('discovered', <Line source="discovered" />, 'Discovered: seen in traffic, not declared')}
    </ul>
  );
}

/**
 * The graph, left to right (what depends on something is left of it), every node the same
 * size, coloured by its worst budget status, with its tier and name; discovered-only edges
 * dashed and labelled "discovered". Zoom and pan with the mouse; above
 * {@link CONTAIN_ABOVE_NODES} nodes the graph is scaled to fit its box.
 */
export function DependencyGraphView(props: {
  response: EntityDependenciesResponse;
  onSelect: (node: DependencyGraphNode) => void;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const { response, onSelect } = props;
  const nodes = useMemo(
    () =>
      response.nodes.map(entity => ({
        id: entity.entityRef,
        entity,
        root: entity.entityRef === response.entityRef,
      })),
    [response],
  );
  const edges = useMemo(
    () =>
      response.edges.map(edge => ({
        from: edge.from,
        to: edge.to,
        source: edge.source,
      })),
    [response],
  );
  const renderNode = useCallback(
    ({ node }: DependencyGraphTypes.RenderNodeProps<NodeData>) => (
      <GraphNode node={node} onSelect={onSelect} />
    ),
    [onSelect],
  );
  const renderEdge = useCallback(
    (edgeProps: DependencyGraphTypes.RenderEdgeProps<EdgeData>) => (
      // Returned as is into the graph's list of edges: the key goes here.
      <GraphEdge key={`${edgeProps.id.v}->${edgeProps.id.w}`} {...edgeProps} />
    ),
    [],
  );
  const large = nodes.length > CONTAIN_ABOVE_NODES;
  return (
    <div
      className={`${classes.graph} ${large ? classes.contained : ''}`}
      data-testid="nthlayer-dependency-graph"
      data-nodes={nodes.length}
      data-edges={edges.length}
    >
      <DependencyGraph<NodeData, EdgeData>
        nodes={nodes}
        edges={edges}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        ranker={
          nodes.length > 150
            ? DependencyGraphTypes.Ranker.TIGHT_TREE
            : DependencyGraphTypes.Ranker.NETWORK_SIMPLEX
        }
        nodeMargin={14}
        rankMargin={96}
        edgeMargin={8}
        paddingX={16}
        paddingY={16}
        zoom="enabled"
        fit={large ? 'contain' : 'grow'}
        renderNode={renderNode}
        renderEdge={renderEdge}
        defs={
          <marker
            id={ARROW_ID}
            viewBox="0 0 10 10"
            refX={10}
            refY={5}
            markerWidth={7}
            markerHeight={7}
            orient="auto-start-reverse"
          >
            <path d="M0,0L10,5L0,10z" fill={theme.palette.text.secondary} />
          </marker>
        }
      />
    </div>
  );
}
