import {
  DependencyEdgeSource,
  DependencyGraphEdge,
  DependencyGraphFindingType,
  DependencyGraphNode,
  SloStatus,
} from '@nthlayer/backstage-plugin-common';
import { STATUS_COLOURS } from '../EntityNthlayerSloCard/StatusChip';

/**
 * Pure model of the dependency tab: colours, labels and how each node relates to the entity.
 */

/** Size of every node in pixels: fixed, so the layout does not depend on the text. */
export const NODE_WIDTH = 188;
export const NODE_HEIGHT = 44;

/** Above this many nodes the graph is scaled to fit its box (zoom to read it). */
export const CONTAIN_ABOVE_NODES = 40;

/** Names longer than this are cut with `…` on the node (the full ref is in its title). */
export const NODE_NAME_CHARS = 22;

/** How a node is coloured: by its worst budget status, grey without one. */
export type NodeColourKey = 'healthy' | 'warning' | 'critical' | 'unknown';

/** Fill and text colours per key: green, amber, red, grey. */
export const NODE_COLOURS: Record<
  NodeColourKey,
  { fill: string; text: string; label: string }
> = {
  healthy: { ...fillOf('healthy'), label: 'Healthy' },
  warning: { ...fillOf('warning'), label: 'Warning' },
  critical: { ...fillOf('exhausted'), label: 'Critical or exhausted' },
  unknown: {
    fill: '#9e9e9e',
    text: '#000',
    label: 'No data, pending or not managed',
  },
};

function fillOf(status: SloStatus) {
  return {
    fill: STATUS_COLOURS[status].background,
    text: STATUS_COLOURS[status].text,
  };
}

/** The colour of a node's status: critical and exhausted are both red. */
export function nodeColourKey(status: SloStatus | null): NodeColourKey {
  switch (status) {
    case 'healthy':
      return 'healthy';
    case 'warning':
      return 'warning';
    case 'critical':
    case 'exhausted':
      return 'critical';
    default:
      return 'unknown';
  }
}

/** A name cut to {@link NODE_NAME_CHARS} characters with `…`. */
export function nodeLabel(name: string, max = NODE_NAME_CHARS): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** What an edge's source reads as. */
export const EDGE_SOURCE_LABELS: Record<DependencyEdgeSource, string> = {
  declared: 'declared',
  discovered: 'discovered',
  both: 'declared + discovered',
};

/** Headings of the finding types. */
export const FINDING_TYPE_LABELS: Record<DependencyGraphFindingType, string> = {
  cycle: 'Cycle',
  'dangling-ref': 'Not in catalog',
  'undeclared-dependency': 'Undeclared dependency',
  'stale-dependency': 'Possibly stale',
  'dependency-ceiling': 'Dependency ceiling',
};

/** How a node is linked to the entity of the tab: the first edge met walking out from it. */
export interface NodeRelation {
  /** Steps from the entity (0 for the entity itself). */
  distance: number;
  /** The edge it was reached by; undefined for the entity itself. */
  edge?: DependencyGraphEdge;
}

/**
 * Walks the edges from `root` (outgoing first, then incoming) and gives every node reached
 * its distance and the edge it was first reached by. Nodes not connected to the root are
 * left out.
 */
export function nodeRelations(
  root: string,
  edges: DependencyGraphEdge[],
): Map<string, NodeRelation> {
  const outgoing = new Map<string, DependencyGraphEdge[]>();
  const incoming = new Map<string, DependencyGraphEdge[]>();
  for (const edge of edges) {
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }
  const relations = new Map<string, NodeRelation>([[root, { distance: 0 }]]);
  let frontier = [root];
  for (let distance = 1; frontier.length > 0; distance++) {
    const next: string[] = [];
    for (const ref of frontier) {
      const steps: Array<[string, DependencyGraphEdge]> = [
        ...(outgoing.get(ref) ?? []).map(e => [e.to, e] as [string, DependencyGraphEdge]),
        ...(incoming.get(ref) ?? []).map(e => [e.from, e] as [string, DependencyGraphEdge]),
      ];
      for (const [other, edge] of steps) {
        if (relations.has(other)) continue;
        relations.set(other, { distance, edge });
        next.push(other);
      }
    }
    frontier = next;
  }
  return relations;
}

/** The nodes in table order: the entity, then by distance, then by name. */
export function sortedNodes(
  root: string,
  nodes: DependencyGraphNode[],
  relations: Map<string, NodeRelation>,
): DependencyGraphNode[] {
  const distance = (n: DependencyGraphNode) =>
    n.entityRef === root ? -1 : relations.get(n.entityRef)?.distance ?? Infinity;
  return [...nodes].sort(
    (a, b) =>
      distance(a) - distance(b) ||
      a.name.localeCompare(b.name) ||
      a.entityRef.localeCompare(b.entityRef),
  );
}

/** An SVG path through dagre's points: straight through the first and last, smooth between. */
export function edgePath(points: Array<{ x: number; y: number }>): string {
  const finite = points.filter(p => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (finite.length < 2) return '';
  const [first, ...rest] = finite;
  if (rest.length === 1) return `M${first.x},${first.y}L${rest[0].x},${rest[0].y}`;
  // Quadratic segments through the midpoints of consecutive points.
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const control = rest[i];
    const next = rest[i + 1];
    const end =
      i === rest.length - 2
        ? next
        : { x: (control.x + next.x) / 2, y: (control.y + next.y) / 2 };
    d += `Q${control.x},${control.y} ${end.x},${end.y}`;
  }
  return d;
}

/** Where an edge's label goes: its middle point. */
export function edgeMiddle(
  points: Array<{ x: number; y: number }>,
): { x: number; y: number } | undefined {
  const finite = points.filter(p => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (finite.length === 0) return undefined;
  if (finite.length % 2 === 1) return finite[(finite.length - 1) / 2];
  const a = finite[finite.length / 2 - 1];
  const b = finite[finite.length / 2];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}
