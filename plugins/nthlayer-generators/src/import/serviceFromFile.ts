import {
  Finding,
  NTHLAYER_ANNOTATIONS,
  ServiceModelOptions,
  parseNthlayerService,
} from '@nthlayer/backstage-plugin-common';
import { GeneratorInput } from '../types';
import { applyServiceFile } from './applyServiceFile';
import { fileFinding } from './fileFindings';
import { ServiceFile, ServiceFileGate } from './serviceFileTypes';

/** Result of {@link serviceInputFromFile}. @public */
export interface ServiceInputFromFileResult {
  /** Null when the file lacks a name or a tier. */
  input: GeneratorInput | null;
  gate?: ServiceFileGate;
  findings: Finding[];
}

type EntityLike = Parameters<typeof parseNthlayerService>[0];

/**
 * Builds the generator input from a service file alone, without a catalog: the "works Day 1
 * in Git" mode of the CLI. Identity (name, team, tier, type) and dependencies come from the
 * file; defaults are the tier defaults of DESIGN §2.
 *
 * @public
 */
export function serviceInputFromFile(
  file: ServiceFile,
  options: ServiceModelOptions = {},
): ServiceInputFromFileResult {
  const findings: Finding[] = [];
  const prefix = file.format === 'opensrm' ? 'metadata' : 'service';
  if (!file.name) {
    findings.push(fileFinding(`${prefix}.name`, undefined, 'the service name', 'Nothing can be generated.'));
  }
  if (!file.tier) {
    findings.push(
      fileFinding(`${prefix}.tier`, undefined, 'critical, standard, low or tier-1..3', 'Nothing can be generated.'),
    );
  }
  if (!file.team) {
    findings.push(
      fileFinding(`${prefix}.team`, undefined, 'the owning team', 'Artifacts are labelled team "unknown".', 'warning'),
    );
  }
  if (!file.name || !file.tier) return { input: null, findings };

  const annotations: Record<string, string> = {
    [NTHLAYER_ANNOTATIONS.tier]: String(file.tier),
    [NTHLAYER_ANNOTATIONS.type]: file.type ?? 'api',
  };
  if (file.runbookUrl) annotations[NTHLAYER_ANNOTATIONS.runbookUrl] = file.runbookUrl;
  const entity: EntityLike = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: file.name, namespace: 'default', annotations },
    spec: { type: 'service', ...(file.team ? { owner: `group:default/${file.team}` } : {}) },
  };
  const base = parseNthlayerService(entity, options);
  findings.push(...base.findings);
  if (!base.service) return { input: null, findings };

  const applied = applyServiceFile(base.service, file);
  findings.push(...applied.findings);
  const pagerduty = applied.pagerduty;
  return {
    input: {
      service: applied.service,
      team: file.team ?? 'unknown',
      dependencies: applied.dependencies,
      ...(pagerduty?.serviceId || pagerduty?.integrationKey
        ? { pagerduty: { serviceId: pagerduty.serviceId, integrationKey: pagerduty.integrationKey } }
        : {}),
    },
    ...(applied.gate ? { gate: applied.gate } : {}),
    findings,
  };
}
