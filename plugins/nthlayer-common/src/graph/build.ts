import { GateVerdict } from '../gates/gate';
import { ServiceTier, SloStatus } from '../types';
import {
  DependencyGraphEdge,
  DependencyGraphFinding,
  DependencyGraphNode,
  DiscoveredEdge,
} from './api';
import { dependencyCeiling, formatPercent } from './ceiling';

/** One catalog entity as the graph builder reads it. @public */
export interface DependencyGraphEntity {
  entityRef: string;
  kind: string;
  name: string;
  title?: string;
  managed: boolean;
  tier: ServiceTier | null;
  owner: string | null;
  system: string | null;
  /** Full entity refs of what it depends on (`spec.dependsOn` / the `dependsOn` relations). */
  dependsOn: string[];
  status: SloStatus | null;
  minRemainingRatio: number | null;
  gateVerdict: GateVerdict | null;
  /** The `service` label value its series carry, matched against discovered edges. Default: its name. */
  metricName?: string;
  /** Its availability SLO target in percent (managed services). */
  availabilityTargetPercent?: number | null;
  /**
   * What its service file says about its dependencies, by ref: a declared SLA and whether the
   * dependency is critical. Catalog dependencies the file does not mark are critical.
   */
  dependencyDetails?: Record<string, { availabilityPercent?: number | null; critical?: boolean }>;
}

/** A built graph, indexed for walking. @public */
export interface DependencyGraph {
  nodes: Map<string, DependencyGraphNode>;
  edges: DependencyGraphEdge[];
  /** Edges by `from` (what a node depends on). */
  outgoing: Map<string, DependencyGraphEdge[]>;
  /** Edges by `to` (what depends on a node). */
  incoming: Map<string, DependencyGraphEdge[]>;
  findings: DependencyGraphFinding[];
  findingsByEntity: Map<string, DependencyGraphFinding[]>;
}

/** The plain, storable form of a graph. @public */
export interface DependencyGraphData {
  nodes: DependencyGraphNode[];
  edges: DependencyGraphEdge[];
  findings: DependencyGraphFinding[];
}

/** @public */
export interface BuildDependencyGraphOptions {
  entities: DependencyGraphEntity[];
  /**
   * Edges seen in metrics; `undefined` when no discovery source answered (then nothing is
   * called undeclared or stale).
   */
  discovered?: DiscoveredEdge[];
  /** The lookback of `requestsLookback`, for messages. Default `7d`. */
  lookbackLabel?: string;
}

/** Members of a cycle named in its message. */
const MAX_CYCLE_NAMED = 10;

function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `kind:namespace/name` → its parts, tolerating a ref without a namespace. */
function refParts(ref: string): { kind: string; name: string } {
  const colon = ref.indexOf(':');
  const slash = ref.lastIndexOf('/');
  return { kind: colon > 0 ? ref.slice(0, colon) : 'component', name: ref.slice(slash + 1) };
}

/** Metric names → entity refs; a name two entities share goes to a managed component first. */
function metricIndex(entities: DependencyGraphEntity[]): Map<string, string> {
  const rank = (e: DependencyGraphEntity) => (e.managed ? 0 : 2) + (e.kind.toLowerCase() === 'component' ? 0 : 1);
  const best = new Map<string, DependencyGraphEntity>();
  for (const e of entities) {
    const key = e.metricName ?? e.name;
    const current = best.get(key);
    if (!current || rank(e) < rank(current) || (rank(e) === rank(current) && e.entityRef < current.entityRef)) {
      best.set(key, e);
    }
  }
  return new Map([...best].map(([k, e]) => [k, e.entityRef]));
}

/**
 * Builds the dependency graph from the catalog's relations and the edges seen in metrics.
 * Cycles, refs to entities the catalog lacks, calls nobody declared, declared dependencies
 * without traffic and targets above the dependency ceiling become findings; nothing throws.
 *
 * @public
 */
export function buildDependencyGraph(options: BuildDependencyGraphOptions): DependencyGraph {
  const { entities, discovered } = options;
  const lookback = options.lookbackLabel ?? '7d';
  const nodes = new Map<string, DependencyGraphNode>();
  for (const e of entities) {
    nodes.set(e.entityRef, {
      entityRef: e.entityRef,
      kind: e.kind,
      name: e.name,
      ...(e.title ? { title: e.title } : {}),
      managed: e.managed,
      tier: e.tier,
      owner: e.owner,
      system: e.system,
      status: e.status,
      minRemainingRatio: e.minRemainingRatio,
      gateVerdict: e.gateVerdict,
      missing: false,
    });
  }
  const findings: DependencyGraphFinding[] = [];
  const edges = new Map<string, DependencyGraphEdge>();

  for (const e of entities) {
    for (const to of new Set(e.dependsOn)) {
      if (!nodes.has(to)) {
        const { kind, name } = refParts(to);
        nodes.set(to, {
          entityRef: to, kind, name, managed: false, tier: null, owner: null, system: null,
          status: null, minRemainingRatio: null, gateVerdict: null, missing: true,
        });
        findings.push({
          type: 'dangling-ref',
          severity: 'warning',
          entityRef: e.entityRef,
          refs: [to],
          message: `${e.entityRef} depends on ${to}, which is not in the catalog: register it or remove it from spec.dependsOn.`,
        });
      }
      edges.set(edgeKey(e.entityRef, to), { from: e.entityRef, to, source: 'declared', requestRate: null, requestsLookback: null });
    }
  }

  if (discovered) addDiscovered(entities, discovered, nodes, edges, findings, lookback);

  const edgeList = [...edges.values()];
  const outgoing = new Map<string, DependencyGraphEdge[]>();
  const incoming = new Map<string, DependencyGraphEdge[]>();
  for (const edge of edgeList) {
    pushTo(outgoing, edge.from, edge);
    pushTo(incoming, edge.to, edge);
  }
  findings.push(...cycleFindings(nodes, outgoing));
  findings.push(...ceilingFindings(entities, nodes));

  const findingsByEntity = new Map<string, DependencyGraphFinding[]>();
  for (const f of findings) pushTo(findingsByEntity, f.entityRef, f);
  return { nodes, edges: edgeList, outgoing, incoming, findings, findingsByEntity };
}

function addDiscovered(
  entities: DependencyGraphEntity[],
  discovered: DiscoveredEdge[],
  nodes: Map<string, DependencyGraphNode>,
  edges: Map<string, DependencyGraphEdge>,
  findings: DependencyGraphFinding[],
  lookback: string,
): void {
  const byMetric = metricIndex(entities);
  const clientsWithMetrics = new Set<string>();
  const unknownServers = new Map<string, string[]>();
  // The same pair may come from several sources (service graph, client metrics): add them up.
  const seen = new Map<string, DiscoveredEdge>();
  for (const d of discovered) {
    const key = edgeKey(d.client, d.server);
    const prior = seen.get(key);
    seen.set(key, prior
      ? { ...d, requestRate: prior.requestRate + d.requestRate, requestsLookback: prior.requestsLookback + d.requestsLookback }
      : d);
  }
  for (const d of seen.values()) {
    const from = byMetric.get(d.client);
    if (!from || d.client === d.server) continue;
    clientsWithMetrics.add(from);
    const to = byMetric.get(d.server);
    if (!to) {
      if (d.requestsLookback > 0) pushTo(unknownServers, from, d.server);
      continue;
    }
    const key = edgeKey(from, to);
    const declared = edges.get(key);
    if (declared) {
      edges.set(key, { ...declared, source: 'both', requestRate: d.requestRate, requestsLookback: d.requestsLookback });
    } else if (d.requestsLookback > 0) {
      edges.set(key, { from, to, source: 'discovered', requestRate: d.requestRate, requestsLookback: d.requestsLookback });
      findings.push({
        type: 'undeclared-dependency',
        severity: 'warning',
        entityRef: from,
        refs: [to],
        message: `${from} called ${to} ${Math.round(d.requestsLookback)} times in the last ${lookback}, but does not declare it: add ${to} to spec.dependsOn.`,
      });
    }
  }
  for (const [from, servers] of unknownServers) {
    for (const server of new Set(servers)) {
      findings.push({
        type: 'undeclared-dependency',
        severity: 'info',
        entityRef: from,
        refs: [server],
        message: `${from} calls "${server}", which no catalog entity is named after: register it to see it in the graph.`,
      });
    }
  }
  for (const [key, edge] of edges) {
    if (edge.source !== 'declared' || !clientsWithMetrics.has(edge.from) || nodes.get(edge.to)?.missing) continue;
    edges.set(key, { ...edge, requestsLookback: 0 });
    findings.push({
      type: 'stale-dependency',
      severity: 'info',
      entityRef: edge.from,
      refs: [edge.to],
      message: `${edge.from} declares ${edge.to} but sent it no traffic in the last ${lookback}: possibly stale.`,
    });
  }
}

/** Tarjan's strongly connected components, iterative (deep graphs do not blow the stack). */
function cycleFindings(
  nodes: Map<string, DependencyGraphNode>,
  outgoing: Map<string, DependencyGraphEdge[]>,
): DependencyGraphFinding[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const findings: DependencyGraphFinding[] = [];
  let counter = 0;
  for (const start of nodes.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const out = outgoing.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.node);
      const selfLoop = members.length === 1 && out.some(e => e.to === frame.node);
      if (members.length > 1 || selfLoop) {
        members.sort();
        // A long cycle is named by its first members: one message per member must stay short.
        const shown = members.length > MAX_CYCLE_NAMED
          ? `${members.slice(0, MAX_CYCLE_NAMED).join(' → ')} → … (${members.length} entities)`
          : [...members, members[0]].join(' → ');
        for (const m of members) {
          findings.push({
            type: 'cycle',
            severity: 'warning',
            entityRef: m,
            refs: members,
            message: `Dependency cycle: ${shown}. A cycle means none of them can be deployed or recover on its own.`,
          });
        }
      }
    }
  }
  return findings;
}

function ceilingFindings(
  entities: DependencyGraphEntity[],
  nodes: Map<string, DependencyGraphNode>,
): DependencyGraphFinding[] {
  const targets = new Map(entities.map(e => [e.entityRef, e.availabilityTargetPercent ?? null]));
  const findings: DependencyGraphFinding[] = [];
  for (const e of entities) {
    const target = e.availabilityTargetPercent;
    if (!e.managed || target === undefined || target === null) continue;
    const deps = [...new Set(e.dependsOn)].map(ref => {
      const detail = e.dependencyDetails?.[ref];
      return {
        ref,
        availabilityPercent: detail?.availabilityPercent ?? (nodes.get(ref)?.managed ? targets.get(ref) ?? null : null),
        critical: detail?.critical ?? true,
      };
    });
    const ceiling = dependencyCeiling(target, deps);
    if (!ceiling.exceeded || ceiling.ceilingPercent === null) continue;
    const product = ceiling.counted.map(c => formatPercent(c.availabilityPercent)).join(' × ');
    findings.push({
      type: 'dependency-ceiling',
      severity: 'warning',
      entityRef: e.entityRef,
      refs: ceiling.counted.map(c => c.ref),
      message: `Availability target ${formatPercent(target)} is above what its critical dependencies allow: ${product} ≈ ${formatPercent(ceiling.ceilingPercent)}. Lower the target, raise theirs, or mark a dependency non-critical in its service file.`,
    });
  }
  return findings;
}

/** The storable form of a graph. @public */
export function graphData(graph: DependencyGraph): DependencyGraphData {
  return { nodes: [...graph.nodes.values()], edges: graph.edges, findings: graph.findings };
}

/** Indexes a stored graph for walking. @public */
export function indexDependencyGraph(data: DependencyGraphData): DependencyGraph {
  const nodes = new Map(data.nodes.map(n => [n.entityRef, n]));
  const outgoing = new Map<string, DependencyGraphEdge[]>();
  const incoming = new Map<string, DependencyGraphEdge[]>();
  for (const edge of data.edges) {
    pushTo(outgoing, edge.from, edge);
    pushTo(incoming, edge.to, edge);
  }
  const findingsByEntity = new Map<string, DependencyGraphFinding[]>();
  for (const f of data.findings) pushTo(findingsByEntity, f.entityRef, f);
  return { nodes, edges: data.edges, outgoing, incoming, findings: data.findings, findingsByEntity };
}
