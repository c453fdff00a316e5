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
  const custom = new Map<string, QueryBatch>();
  const singles: QueryBatch[] = [];
  for (const service of services) {
    for (const slo of service.slos) {
      const sharedKey = sliBatchKey(service, slo, { ignoreWindow: true });
      // The entity's own queries (custom SLIs) are grouped by their text: SLOs that ask the
      // very same counters over the same window share one query pair.
      if (options.batch !== false && sliCandidateFor(service, slo).custom) {
        const key = sliBatchKey(service, slo, { ignoreWindow: options.ignoreWindow });
        let batch = custom.get(key);
        if (!batch) {
          batch = {
            key: `${sharedKey}|custom`,
            instance: service.prometheusInstance,
            members: [],
            byService: false,
            label: sliBatchLabel(service, slo),
            queries: range => serviceSliQueries(service, slo, range),
          };
          custom.set(key, batch);
        }
        batch.members.push({ service, slo });
        continue;
      }
      if (!service.defaultSelector || options.batch === false) {
        singles.push({
          key: `${sharedKey}|${service.selector}|${service.entityRef}`,
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
          key: sharedKey,
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
  return [...batches.values(), ...custom.values(), ...singles];
}
