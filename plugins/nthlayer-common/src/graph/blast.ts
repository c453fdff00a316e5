import { BlastRadiusEntry, BlastRadiusResponse, BlastSeverity, DependencyGraphEdge, DependencyGraphNode, EntityDependenciesResponse } from './api';
import { DependencyGraph } from './build';

/** Code-unit order: refs are ASCII, and localeCompare cost most of a 10,000-entity blast radius. */
function byText(a: string, b: string): number {
  return Number(a > b) - Number(a < b);
}

/** The severity rule of DESIGN §7, with its reason. @public */
export function blastSeverity(affected: number, tier1Affected: number): { severity: BlastSeverity; reason: string } {
  const counts = `${affected} dependent${affected === 1 ? '' : 's'}, ${tier1Affected} of them tier 1`;
  if (tier1Affected >= 2 || affected >= 10) {
    return { severity: 'critical', reason: `${counts}: critical at 2 or more tier-1 services or 10 or more services` };
  }
  if (affected >= 6) return { severity: 'high', reason: `${counts}: high at 6 or more services` };
  if (affected >= 3 || tier1Affected >= 1) {
    return { severity: 'medium', reason: `${counts}: medium at 3 or more services or any tier-1 service` };
  }
  return { severity: 'low', reason: `${counts}: low below 3 services and no tier-1 service` };
}

/**
 * Everything that depends on `entityRef`, transitively (declared and discovered edges), by
 * depth, each once at its shortest distance.
 *
 * @public
 */
export function blastRadius(graph: DependencyGraph, entityRef: string, builtAt: string | null = null): BlastRadiusResponse {
  const depthOf = new Map<string, number>([[entityRef, 0]]);
  const entries: BlastRadiusEntry[] = [];
  let frontier = [entityRef];
  for (let depth = 1; frontier.length; depth++) {
    const next: string[] = [];
    for (const ref of frontier) {
      for (const edge of graph.incoming.get(ref) ?? []) {
        if (depthOf.has(edge.from)) continue;
        depthOf.set(edge.from, depth);
        next.push(edge.from);
        const node = graph.nodes.get(edge.from);
        entries.push({
          entityRef: edge.from,
          name: node?.name ?? edge.from,
          kind: node?.kind ?? 'component',
          depth,
          tier: node?.tier ?? null,
          owner: node?.owner ?? null,
          status: node?.status ?? null,
          via: ref,
        });
      }
    }
    frontier = next;
  }
  const tier1Affected = entries.filter(e => e.tier === 1).length;
  const { severity, reason } = blastSeverity(entries.length, tier1Affected);
  const owners = new Map<string, number>();
  for (const e of entries) if (e.owner) owners.set(e.owner, (owners.get(e.owner) ?? 0) + 1);
  const byDepth = new Map<number, BlastRadiusEntry[]>();
  for (const e of entries) {
    const list = byDepth.get(e.depth);
    if (list) list.push(e);
    else byDepth.set(e.depth, [e]);
  }
  return {
    entityRef,
    severity,
    reason,
    affected: entries.length,
    tier1Affected,
    owners: [...owners].map(([owner, count]) => ({ owner, count })).sort((a, b) => b.count - a.count || byText(a.owner, b.owner)),
    byDepth: [...byDepth].map(([depth, list]) => ({
      depth,
      entities: list.sort((a, b) => (a.tier ?? 9) - (b.tier ?? 9) || byText(a.entityRef, b.entityRef)),
    })),
    builtAt,
  };
}

/** @public */
export type NeighbourhoodDirection = 'downstream' | 'upstream' | 'both';

/**
 * The part of the graph within `depth` steps of `entityRef`: what it depends on
 * (downstream), what depends on it (upstream), or both; with the findings about those nodes.
 *
 * @public
 */
export function dependencyNeighbourhood(
  graph: DependencyGraph,
  entityRef: string,
  depth: number,
  direction: NeighbourhoodDirection,
  builtAt: string | null = null,
): EntityDependenciesResponse {
  const reached = new Set<string>([entityRef]);
  const edges = new Map<DependencyGraphEdge, true>();
  let truncated = false;
  const walk = (next: (ref: string) => DependencyGraphEdge[], other: (e: DependencyGraphEdge) => string) => {
    let frontier = [entityRef];
    for (let d = 0; frontier.length; d++) {
      const following: string[] = [];
      for (const ref of frontier) {
        for (const edge of next(ref)) {
          if (d >= depth) {
            if (!reached.has(other(edge))) truncated = true;
            continue;
          }
          edges.set(edge, true);
          const target = other(edge);
          if (!reached.has(target)) {
            reached.add(target);
            following.push(target);
          }
        }
      }
      frontier = following;
    }
  };
  if (direction !== 'upstream') walk(ref => graph.outgoing.get(ref) ?? [], e => e.to);
  if (direction !== 'downstream') walk(ref => graph.incoming.get(ref) ?? [], e => e.from);
  // Edges among the nodes shown, beyond the walked ones (e.g. between two dependencies).
  for (const ref of reached) {
    for (const edge of graph.outgoing.get(ref) ?? []) if (reached.has(edge.to)) edges.set(edge, true);
  }
  const nodes = [...reached].map(ref => graph.nodes.get(ref)).filter((n): n is DependencyGraphNode => n !== undefined);
  return {
    entityRef,
    depth,
    direction,
    nodes,
    edges: [...edges.keys()],
    findings: [...reached].flatMap(ref => graph.findingsByEntity.get(ref) ?? []),
    truncated,
    builtAt,
  };
}

/**
 * Everything within `maxDepth` steps of `entityRef` in one direction, with its distance:
 * what it depends on (`downstream`) or what depends on it (`upstream`); 1 = a direct edge.
 * The entity itself is left out.
 *
 * @public
 */
export function dependencyDepths(
  graph: DependencyGraph,
  entityRef: string,
  direction: 'downstream' | 'upstream',
  maxDepth = 3,
): Record<string, number> {
  const depths: Record<string, number> = {};
  const seen = new Set([entityRef]);
  let frontier = [entityRef];
  for (let depth = 1; depth <= maxDepth && frontier.length; depth++) {
    const next: string[] = [];
    for (const ref of frontier) {
      const edges = direction === 'downstream' ? graph.outgoing.get(ref) ?? [] : graph.incoming.get(ref) ?? [];
      for (const edge of edges) {
        const other = direction === 'downstream' ? edge.to : edge.from;
        if (seen.has(other)) continue;
        seen.add(other);
        depths[other] = depth;
        next.push(other);
      }
    }
    frontier = next;
  }
  return depths;
}
