import {
  NthlayerService,
  SLI_INTENTS,
  SliCandidate,
  SliIntent,
  SliResolution,
  resolveSliIntent,
  sliCandidateFor,
  sliIntentOf,
} from '@nthlayer/backstage-plugin-common';
import { PrometheusRegistry } from './PrometheusRegistry';
import { TtlCache } from './TtlCache';

/** How long what Prometheus has is trusted before it is asked again. */
const DEFAULT_TTL_MS = 10 * 60_000;
/** A series counts as existing when it had samples this far back. */
const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Resolves which metric family each service's SLIs are measured from: for every intent its
 * type needs, the first candidate (SLI_PRESETS order, or the pinned preset) whose series
 * exist on the service's Prometheus. Index only: services with the default selector are
 * answered from one `label/<serviceLabel>/values?match[]=<metric>` request per instance and
 * candidate (which services export it), cached for `ttlMs`; a custom selector asks
 * `/api/v1/series` for that selector (cached too). A failing Prometheus fails the resolution
 * of that instance's services (the engine keeps their previous sources).
 */
export class SliResolver {
  readonly #labelValues: TtlCache<Set<string>>;
  readonly #series: TtlCache<boolean>;

  constructor(
    private readonly deps: {
      prometheus: PrometheusRegistry;
      ttlMs?: number;
      lookbackMs?: number;
      clock?: () => Date;
    },
  ) {
    const ttlMs = deps.ttlMs ?? DEFAULT_TTL_MS;
    this.#labelValues = new TtlCache({ ttlMs, maxEntries: 1_000 });
    this.#series = new TtlCache({ ttlMs, maxEntries: 50_000 });
  }

  /** Index requests sent so far (for the benchmark and tests). */
  requests = 0;

  /** Every intent of the service resolved, in SLI_INTENTS order. */
  async resolve(service: NthlayerService): Promise<SliResolution[]> {
    return Promise.all(
      SLI_INTENTS[service.type].map(intent => {
        // The entity's own queries are not resolved: they are what it is measured from.
        const slos = service.slos.filter(slo => sliIntentOf(service, slo) === intent);
        const custom = slos.length > 0 && slos.every(slo => sliCandidateFor(service, slo).custom);
        return custom
          ? Promise.resolve<SliResolution>({
              intent,
              chosen: sliCandidateFor(service, slos[0]),
              tried: [],
            })
          : resolveSliIntent(
              intent,
              service.name,
              (selector, candidate) =>
                this.#exists(service, candidate, selector),
              {
                pinned: service.sliPreset,
                serviceMatcher: service.defaultSelector
                  ? undefined
                  : service.selector,
              },
            );
      }),
    );
  }

  /** The service with `sli` set from its resolutions (intents nothing was found for keep the convention). */
  static apply(
    service: NthlayerService,
    resolutions: SliResolution[],
  ): NthlayerService {
    const sli: Partial<Record<SliIntent, SliCandidate>> = {};
    for (const r of resolutions) if (r.chosen) sli[r.intent] = r.chosen;
    return { ...service, sli };
  }

  async #exists(
    service: NthlayerService,
    candidate: SliCandidate,
    selector: string,
  ): Promise<boolean> {
    const instance = service.prometheusInstance;
    if (!service.defaultSelector) {
      return this.#series.get(`${instance}\u0000${selector}`, () => {
        const { start, end } = this.#range();
        this.requests++;
        return this.deps.prometheus
          .get(instance)
          .hasSeries(selector, start, end);
      });
    }
    const name =
      candidate.intent === 'latency'
        ? `${candidate.metric}_bucket`
        : candidate.metric;
    const match = candidate.extraMatchers
      ? `${name}{${candidate.extraMatchers}}`
      : name;
    const values = await this.#labelValues.get(
      `${instance}\u0000${candidate.serviceLabel}\u0000${match}`,
      async () => {
        const { start, end } = this.#range();
        this.requests++;
        return new Set(
          await this.deps.prometheus
            .get(instance)
            .labelValues(candidate.serviceLabel, match, start, end),
        );
      },
    );
    return values.has(service.name);
  }

  #range(): { start: Date; end: Date } {
    const end = this.deps.clock?.() ?? new Date();
    return {
      start: new Date(
        end.getTime() - (this.deps.lookbackMs ?? DEFAULT_LOOKBACK_MS),
      ),
      end,
    };
  }
}
