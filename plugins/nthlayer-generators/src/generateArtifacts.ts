import { Finding } from '@nthlayer/backstage-plugin-common';
import { generateGrafanaDashboard } from './grafana';
import { generateOpenSlo } from './openslo';
import { generatePagerDuty } from './pagerduty';
import { generatePrometheusRules } from './prometheus';
import { AlertCatalogue, generateTechnologyAlerts } from './technology';
import { ArtifactKind, GeneratorInput, GeneratorResult } from './types';

/** Options of {@link generateArtifacts}. @public */
export interface GenerateArtifactsOptions {
  /** The awesome-prometheus-alerts catalogue (`loadAlertCatalogue()`), for technology alerts. */
  catalogue: AlertCatalogue;
  /** Only these kinds; all by default. */
  kinds?: ArtifactKind[];
}

/** Every artifact kind, in the order they are generated and listed. @public */
export const ARTIFACT_KINDS: ArtifactKind[] = [
  'prometheus-rules',
  'technology-alerts',
  'openslo',
  'grafana-dashboard',
  'pagerduty',
];

/**
 * Runs every generator on one service: SLO recording and burn-rate alert rules, technology
 * alerts for its dependencies, OpenSLO, the Grafana dashboard and the PagerDuty desired
 * state. Artifacts are listed in {@link ARTIFACT_KINDS} order and findings merged.
 *
 * @remarks
 * Pure like the generators it calls. A generator that throws (a bug, not bad input) does not
 * stop the others: it becomes an error finding about that artifact kind.
 *
 * @public
 */
export function generateArtifacts(
  input: GeneratorInput,
  options: GenerateArtifactsOptions,
): GeneratorResult {
  const generators: Record<ArtifactKind, (i: GeneratorInput) => GeneratorResult> = {
    'prometheus-rules': i => generatePrometheusRules(i),
    'technology-alerts': i => generateTechnologyAlerts(i, options.catalogue),
    openslo: generateOpenSlo,
    'grafana-dashboard': generateGrafanaDashboard,
    pagerduty: generatePagerDuty,
  };
  const kinds = ARTIFACT_KINDS.filter(k => !options.kinds || options.kinds.includes(k));
  const result: GeneratorResult = { artifacts: [], findings: [] };
  const seen = new Set<string>();
  for (const kind of kinds) {
    let part: GeneratorResult;
    try {
      part = generators[kind](input);
    } catch (error) {
      result.findings.push(generatorFailure(kind, input, error));
      continue;
    }
    for (const artifact of part.artifacts) {
      if (seen.has(artifact.id)) continue;
      seen.add(artifact.id);
      result.artifacts.push(artifact);
    }
    for (const finding of part.findings) {
      if (!result.findings.some(f => sameFinding(f, finding))) result.findings.push(finding);
    }
  }
  return result;
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.annotation === b.annotation && a.value === b.value && a.message === b.message;
}

function generatorFailure(kind: ArtifactKind, input: GeneratorInput, error: unknown): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    severity: 'error',
    annotation: 'nthlayer.dev/tier',
    value: kind,
    accepted: 'a service model every generator can process',
    message: `The ${kind} artifact of ${input.service.name} could not be generated: ${reason}. The other artifacts are unaffected.`,
  };
}
