import { GateVerdict } from '../gates/gate';
import { ServiceTier, SloStatus } from '../types';

/** Where an edge of the dependency graph comes from. @public */
export type DependencyEdgeSource = 'declared' | 'discovered' | 'both';

/** One entity of the dependency graph, with what NthLayer knows of it. @public */
export interface DependencyGraphNode {
  /** Full entity ref, e.g. `component:default/checkout-api`. */
  entityRef: string;
  kind: string;
  name: string;
  title?: string;
  /** True when the entity carries `nthlayer.dev/tier`. */
  managed: boolean;
  tier: ServiceTier | null;
  /** Owner entity ref, null when none is declared. */
  owner: string | null;
  /** System entity ref, null when none is declared. */
  system: string | null;
  /** The worst status of its SLOs; null when not managed. */
  status: SloStatus | null;
  /** The lowest remaining budget ratio of its SLOs; null when unknown. */
  minRemainingRatio: number | null;
  /** The verdict a deploy would get now; null when not managed or not evaluated. */
  gateVerdict: GateVerdict | null;
  /** True when the ref is named by a relation but the entity is not in the catalog. */
  missing: boolean;
}

/** `from` depends on `to`. @public */
export interface DependencyGraphEdge {
  from: string;
  to: string;
  source: DependencyEdgeSource;
  /** Requests per second seen in metrics over the last 5 minutes; null when not discovered. */
  requestRate: number | null;
  /** Requests seen in metrics over the discovery lookback (7 days); null without metrics for the client. */
  requestsLookback: number | null;
}

/** @public */
export type DependencyGraphFindingType =
  | 'cycle'
  | 'dangling-ref'
  | 'undeclared-dependency'
  | 'stale-dependency'
  | 'dependency-ceiling';

/** Something wrong with the graph, attached to an entity. @public */
export interface DependencyGraphFinding {
  type: DependencyGraphFindingType;
  severity: 'info' | 'warning' | 'critical';
  /** The entity the finding is about. */
  entityRef: string;
  /** The other entities involved (the cycle's members in order, the dangling or undeclared target). */
  refs: string[];
  message: string;
}

/** An edge seen in metrics: `client` called `server`. Names are service label values. @public */
export interface DiscoveredEdge {
  client: string;
  server: string;
  /** Requests per second over the last 5 minutes. */
  requestRate: number;
  /** Requests over the lookback (7 days). */
  requestsLookback: number;
}

/** @public */
export type BlastSeverity = 'low' | 'medium' | 'high' | 'critical';

/** One entity that depends, transitively, on the one asked about. @public */
export interface BlastRadiusEntry {
  entityRef: string;
  name: string;
  kind: string;
  /** 1 for direct dependents. */
  depth: number;
  tier: ServiceTier | null;
  owner: string | null;
  status: SloStatus | null;
  /** The entity one step closer to the one asked about, through which this one is affected. */
  via: string;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/blast-radius`. @public */
export interface BlastRadiusResponse {
  entityRef: string;
  severity: BlastSeverity;
  /** Why this severity (DESIGN §7's rule, with the counts). */
  reason: string;
  affected: number;
  tier1Affected: number;
  /** Owners of the affected entities, each with how many of theirs are affected. */
  owners: Array<{ owner: string; count: number }>;
  byDepth: Array<{ depth: number; entities: BlastRadiusEntry[] }>;
  /** When the graph was built (ISO), null if never. */
  builtAt: string | null;
}

/** Response of `GET /v1/entities/{kind}/{namespace}/{name}/dependencies?depth=&direction=`. @public */
export interface EntityDependenciesResponse {
  entityRef: string;
  depth: number;
  direction: 'downstream' | 'upstream' | 'both';
  nodes: DependencyGraphNode[];
  edges: DependencyGraphEdge[];
  /** Findings about the nodes shown. */
  findings: DependencyGraphFinding[];
  /** True when more nodes exist beyond `depth`. */
  truncated: boolean;
  builtAt: string | null;
}
