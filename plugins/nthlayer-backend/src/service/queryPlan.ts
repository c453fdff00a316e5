import {
  NthlayerService,
  SliQueries,
  SloDefinition,
  batchedSliQueries,
  serviceSliQueries,
  sliBatchKey,
  sliBatchLabel,
  sliCandidateFor,
} from '@nthlayer/backstage-plugin-common';

export interface SloRef {
  service: NthlayerService;
  slo: SloDefinition;
}

/** A set of SLOs measured together with one good/total query pair per range. */
export interface QueryBatch {
  /** Identifies the SLI definition (metric, selector, threshold, instance), not the window. */
  key: string;
  instance: string;
  members: SloRef[];
  /** Batched queries are keyed by the service label; single ones have one member. */
  byService: boolean;
  /** The label batched results are keyed by (its value is the member's service name). */
  label: string;
  /** The good/total queries over a PromQL range. */
  queries(range: string): SliQueries;
}

/**
 * Groups SLOs so the number of queries depends on the SLO kinds, types, windows and
 * thresholds, not on the number of services. `ignoreWindow` groups for burn rates (which
 * use fixed short windows). `batch: false` gives the naive one-query-per-SLO plan, for
 * benchmarks.
 */
export function planQueryBatches(
  services: NthlayerService[],
  options: { ignoreWindow?: boolean; batch?: boolean } = {},
): QueryBatch[] {
  const batches = new Map<string, QueryBatch>();
  const singles: QueryBatch[] = [];
  for (const service of services) {
    for (const slo of service.slos) {
      // The entity's own queries (custom SLIs) share nothing: one query pair each.
      if (!service.defaultSelector || options.batch === false || sliCandidateFor(service, slo).custom) {
        singles.push({
          key: `${sliBatchKey(service, slo, { ignoreWindow: true })}|${service.selector}|${service.entityRef}`,
          instance: service.prometheusInstance,
          members: [{ service, slo }],
          byService: false,
          label: sliBatchLabel(service, slo),
          queries: range => serviceSliQueries(service, slo, range),
        });
        continue;
      }
      const key = sliBatchKey(service, slo, { ignoreWindow: options.ignoreWindow });
      let batch = batches.get(key);
      if (!batch) {
        batch = {
          key: sliBatchKey(service, slo, { ignoreWindow: true }),
          instance: service.prometheusInstance,
          members: [],
          byService: true,
          label: sliBatchLabel(service, slo),
          queries: range => batchedSliQueries(service, slo, range),
        };
        batches.set(key, batch);
      }
      batch.members.push({ service, slo });
    }
  }
  return [...batches.values(), ...singles];
}
