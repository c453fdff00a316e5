import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ArtifactValidation,
  EntityArtifactsValidationResponse,
} from '@nthlayer/backstage-plugin-common';
import {
  LintFinding,
  disabledChecks,
  lintRuleFile,
  ruleSelectors,
  seriesFindings,
} from '@nthlayer/backstage-plugin-generators';
import { ArtifactService } from './ArtifactService';

/** Artifact kinds that are Prometheus rule files. */
const RULE_KINDS = new Set(['prometheus-rules', 'technology-alerts']);

/** Where `promql/series` looks series up: one Prometheus instance. */
export interface SeriesSource {
  name: string;
  /** True when series matching `match` exist in [start, end]. */
  hasSeries(match: string, start: Date, end: Date): Promise<boolean>;
}

/** How long a series answer is reused: opening the tab again does not ask Prometheus again. */
const ANSWER_TTL_MS = 60_000;
const MAX_ANSWERS = 20_000;

/**
 * Checks an entity's generated rule files the way `nthlayer lint --prometheus` does: the
 * offline pint-style checks (with the service selector for the SLO rules) and `promql/series`
 * against the entity's own Prometheus instance. An unreachable Prometheus leaves the offline
 * findings and says so; it never fails the request.
 */
export class ArtifactValidator {
  readonly #answers = new Map<string, { at: number; exists: Promise<boolean> }>();

  constructor(
    private readonly deps: {
      artifacts: ArtifactService;
      /** The series source of a Prometheus instance name; undefined: the default instance. */
      seriesSource: (instance?: string) => SeriesSource;
      /** How far back a series counts as existing, as a duration and in seconds. */
      lookback: { text: string; seconds: number };
      scrapeInterval: string;
      now?: () => Date;
    },
  ) {}

  async validate(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityArtifactsValidationResponse> {
    const { entityRef, artifacts, service } = await this.deps.artifacts.generate(ref, credentials);
    if (!service) {
      throw new NotFoundError(`${entityRef} is not managed by NthLayer (no nthlayer.dev/tier): nothing to validate`);
    }
    const now = (this.deps.now ?? (() => new Date()))();
    const source = this.deps.seriesSource(service.prometheusInstance);
    const start = new Date(now.getTime() - this.deps.lookback.seconds * 1000);
    const prometheus: EntityArtifactsValidationResponse['prometheus'] = {
      instance: source.name,
      status: 'checked',
      lookback: this.deps.lookback.text,
    };
    const results: ArtifactValidation[] = [];
    for (const artifact of artifacts.filter(a => RULE_KINDS.has(a.kind))) {
      const findings: LintFinding[] = lintRuleFile(artifact.content, {
        scrapeInterval: this.deps.scrapeInterval,
        serviceSelector: artifact.kind === 'prometheus-rules' ? service.selector : undefined,
      });
      if (prometheus.status === 'checked' && !disabledChecks(artifact.content).has('promql/series')) {
        try {
          findings.push(
            ...(await seriesFindings(
              ruleSelectors(artifact.content),
              match => this.#hasSeries(source, match, start, now),
              { lookback: this.deps.lookback.text, source: `Prometheus "${source.name}"` },
            )),
          );
        } catch (error) {
          prometheus.status = 'unreachable';
          prometheus.error = (error as Error).message;
        }
      }
      results.push({ id: artifact.id, filename: artifact.filename, findings });
    }
    return { entityRef, checkedAt: now.toISOString(), prometheus, artifacts: results };
  }

  /** Answers of the last minute are reused; failures are not kept. */
  #hasSeries(source: SeriesSource, match: string, start: Date, now: Date): Promise<boolean> {
    const key = `${source.name}\u0000${match}`;
    const known = this.#answers.get(key);
    if (known && now.getTime() - known.at < ANSWER_TTL_MS) return known.exists;
    if (this.#answers.size >= MAX_ANSWERS) this.#answers.clear();
    const exists = source.hasSeries(match, start, now);
    this.#answers.set(key, { at: now.getTime(), exists });
    exists.catch(() => {
      if (this.#answers.get(key)?.exists === exists) this.#answers.delete(key);
    });
    return exists;
  }
}
