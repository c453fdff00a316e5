import {
  Finding,
  NthlayerService,
  SloDefinition,
  SloWindow,
  parseCalendarWindow,
  parseSloWindow,
} from '@nthlayer/backstage-plugin-common';
import { DependencyInput } from '../types';
import { WHOLE_PART, conflictFinding, fileFinding } from './fileFindings';
import {
  ServiceFile,
  ServiceFileDependency,
  ServiceFileGate,
  ServiceFilePagerDuty,
  ServiceFileSlo,
} from './serviceFileTypes';

/** Result of {@link applyServiceFile}. @public */
export interface ApplyServiceFileResult {
  /** The entity's service with the file's SLOs applied; identity unchanged. */
  service: NthlayerService;
  /** The given catalog dependencies with the file's SLAs, criticality and technology, plus the file's own. */
  dependencies: DependencyInput[];
  findings: Finding[];
  /** Deploy gate thresholds of the file, if it declares any. */
  gate?: ServiceFileGate;
  /** PagerDuty settings of the file, if any (the entity's own annotations take precedence). */
  pagerduty?: ServiceFilePagerDuty;
}

/** Name part of an entity ref: `group:default/team-a` → `team-a`. @public */
export function entityRefName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).replace(/^[^:]*:/, '');
}

function toWindow(text: string | undefined, current: SloWindow): SloWindow {
  if (!text) return current;
  const zone = current.calendar?.timeZone ?? 'UTC';
  return parseSloWindow(text) ?? parseCalendarWindow(text, zone) ?? current;
}

function toSlo(slo: ServiceFileSlo, current: SloWindow): SloDefinition {
  return {
    name: slo.kind,
    kind: slo.kind,
    targetPercent: slo.targetPercent,
    window: toWindow(slo.window, current),
    ...(slo.latency ? { latency: slo.latency } : {}),
    ...(slo.customSli ? { customSli: slo.customSli } : {}),
    source: 'service-file',
  };
}

function applySlos(service: NthlayerService, file: ServiceFile, findings: Finding[]): SloDefinition[] {
  const slos = [...service.slos];
  const fallbackWindow = slos[0]?.window ?? { text: '30d', minutes: 43200 };
  for (const fileSlo of file.slos) {
    if (fileSlo.kind === 'latency' && service.type !== 'api') {
      findings.push(
        fileFinding(
          fileSlo.path,
          WHOLE_PART,
          'a latency SLO only on services of type api',
          `Ignored: ${service.name} is a ${service.type}, which has no request latency histogram.`,
          'warning',
        ),
      );
      continue;
    }
    const index = slos.findIndex(s => s.kind === fileSlo.kind);
    const current = index >= 0 ? slos[index] : undefined;
    const slo = toSlo(fileSlo, current?.window ?? fallbackWindow);
    if (index >= 0) slos[index] = slo;
    else slos.push(slo);
  }
  return slos;
}

function checkIdentity(service: NthlayerService, file: ServiceFile, findings: Finding[]) {
  const prefix = file.format === 'opensrm' ? 'metadata' : 'service';
  const keep = 'The catalog entity stays the source of identity; the file\'s value is not used.';
  if (file.name !== undefined && file.name !== service.name) {
    findings.push(conflictFinding(`${prefix}.name`, service.name, 'metadata.name', keep));
  }
  const team = service.owner ? entityRefName(service.owner) : undefined;
  if (file.team !== undefined && file.team !== team) {
    findings.push(conflictFinding(`${prefix}.team`, team ?? '(none)', 'spec.owner', keep));
  }
  if (file.tier !== undefined && file.tier !== service.tier) {
    findings.push(conflictFinding(`${prefix}.tier`, String(service.tier), 'nthlayer.dev/tier', keep));
  }
  if (file.type !== undefined && file.type !== service.type) {
    const path = file.format === 'opensrm' ? 'spec.type' : 'service.type';
    findings.push(conflictFinding(path, service.type, 'nthlayer.dev/type', keep));
  }
}

function fileOnlyDependency(dep: ServiceFileDependency): DependencyInput {
  return {
    ref: `external:${dep.name}`,
    name: dep.name,
    kind: dependencyKind(dep),
    ...(dep.technology ? { technology: dep.technology } : {}),
    ...(dep.slaPercent !== undefined ? { availabilityPercent: dep.slaPercent } : {}),
    ...(dep.critical !== undefined ? { critical: dep.critical } : {}),
  };
}

function dependencyKind(dep: ServiceFileDependency): DependencyInput['kind'] {
  if (dep.category === 'service') return 'component';
  if (dep.category === 'external') return 'external';
  return 'resource';
}

/**
 * Merges the file's dependencies into the catalog's, matched by name: the file adds SLAs,
 * criticality and technology; dependencies only the file knows are added with an
 * `external:<name>` ref.
 */
export function mergeDependencies(
  catalog: DependencyInput[],
  fileDeps: ServiceFileDependency[],
  findings: Finding[],
  relationNames: Set<string>,
): DependencyInput[] {
  const merged = catalog.map(d => ({ ...d }));
  for (const dep of fileDeps) {
    const match = merged.find(d => d.name.toLowerCase() === dep.name.toLowerCase());
    if (!match) {
      merged.push(fileOnlyDependency(dep));
      const known = relationNames.size === 0 || relationNames.has(dep.name.toLowerCase());
      if (!known && dep.category === 'service') {
        findings.push(
          fileFinding(
            dep.path,
            WHOLE_PART,
            'service dependencies declared in the entity\'s spec.dependsOn',
            'It is used for generation, but the catalog does not know this relation.',
            'warning',
          ),
        );
      }
      continue;
    }
    if (dep.technology && match.kind === 'resource') match.technology = dep.technology;
    if (dep.slaPercent !== undefined) match.availabilityPercent = dep.slaPercent;
    if (dep.critical !== undefined) match.critical = dep.critical;
  }
  return merged;
}

/**
 * Applies a parsed service file to the service built from its catalog entity (DESIGN §2).
 *
 * @remarks
 * The entity stays the source of identity (name, owner, tier, type, relations): when the
 * file disagrees, that is a warning finding and the entity wins. The file adds or overrides
 * the SLOs (targets, latency thresholds, windows), the dependencies' SLAs, criticality and
 * technology, and supplies deploy gate thresholds, PagerDuty settings and a runbook URL
 * when the entity has none.
 *
 * @param catalogDependencies - the dependencies resolved from the catalog, if any.
 * @public
 */
export function applyServiceFile(
  service: NthlayerService,
  file: ServiceFile,
  catalogDependencies: DependencyInput[] = [],
): ApplyServiceFileResult {
  const findings: Finding[] = [];
  checkIdentity(service, file, findings);
  const applied: NthlayerService = {
    ...service,
    slos: applySlos(service, file, findings),
    runbookUrl: service.runbookUrl ?? file.runbookUrl,
  };
  const dependencies = mergeDependencies(
    catalogDependencies,
    file.dependencies,
    findings,
    new Set(
      [...catalogDependencies.map(d => d.name), ...service.dependsOn.map(entityRefName)].map(n =>
        n.toLowerCase(),
      ),
    ),
  );
  return {
    service: applied,
    dependencies,
    findings,
    ...(file.gate ? { gate: file.gate } : {}),
    ...(file.pagerduty ? { pagerduty: file.pagerduty } : {}),
  };
}
