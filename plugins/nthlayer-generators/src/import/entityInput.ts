import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  Finding,
  NTHLAYER_ANNOTATIONS,
  NthlayerService,
  ServiceModelOptions,
  parseNthlayerService,
  parseSelector,
  parseTier,
} from '@nthlayer/backstage-plugin-common';
import { DependencyInput, GeneratorInput } from '../types';
import { applyServiceFile, entityRefName } from './applyServiceFile';
import { ServiceFile, ServiceFileGate } from './serviceFileTypes';

/** The PagerDuty plugin's annotation naming an entity's PagerDuty service. @public */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty.com/service-id';
/** The PagerDuty plugin's annotation carrying an Events API integration key. @public */
export const PAGERDUTY_INTEGRATION_KEY_ANNOTATION = 'pagerduty.com/integration-key';

/** What {@link generatorInputFromEntity} needs besides the entity. @public */
export interface EntityInputOptions {
  /** Tier defaults, time zone and the configured Prometheus instances (as the backend reads them). */
  model: ServiceModelOptions;
  /** The entities of `dependsOn`, in its order; `undefined` where the catalog has none. */
  dependencyEntities: ReadonlyArray<Entity | undefined>;
  /**
   * The entity's service file, already read and parsed, with the findings of reading and
   * parsing it (they are reported in that order, after the entity's own).
   */
  serviceFile?: { file?: ServiceFile | null; findings: Finding[] };
  /** SLIs resolved from the metric families the service exports; replace the tier defaults' queries. */
  sli?: NthlayerService['sli'];
}

/** What {@link generatorInputFromEntity} returns. @public */
export interface EntityInputResult {
  /** Null when the entity is not NthLayer-managed or its annotations cannot make a service. */
  input: GeneratorInput | null;
  findings: Finding[];
  /** Deploy gate thresholds of the service file, when it declares them. */
  gate?: ServiceFileGate;
}

/**
 * The generator input of a catalog entity: its service model (DESIGN §2), owner team,
 * dependencies resolved from their own entities (technology and selector of Resources, tier
 * and availability target of managed Components), PagerDuty annotations and the optional
 * service file. Pure; the backend's artifacts, drift and gates and the scaffolder's
 * `nthlayer:generate` all build their input here.
 *
 * @public
 */
export function generatorInputFromEntity(entity: Entity, options: EntityInputOptions): EntityInputResult {
  const parsed = parseNthlayerService(entity, options.model);
  const findings = [...parsed.findings];
  if (!parsed.service) return { input: null, findings };
  const sli = options.sli;
  let service = sli && Object.keys(sli).length ? { ...parsed.service, sli } : parsed.service;
  let dependencies = service.dependsOn.map((ref, i) =>
    dependencyInput(ref, options.dependencyEntities[i], options.model, findings),
  );
  const annotations = entity.metadata.annotations ?? {};
  const pagerduty: NonNullable<GeneratorInput['pagerduty']> = {
    serviceId: annotations[PAGERDUTY_SERVICE_ID_ANNOTATION],
    integrationKey: annotations[PAGERDUTY_INTEGRATION_KEY_ANNOTATION],
  };
  let gate: ServiceFileGate | undefined;
  if (options.serviceFile) {
    findings.push(...options.serviceFile.findings);
    const file = options.serviceFile.file;
    if (file) {
      const applied = applyServiceFile(service, file, dependencies);
      findings.push(...applied.findings);
      service = applied.service;
      dependencies = applied.dependencies;
      pagerduty.serviceId ??= applied.pagerduty?.serviceId;
      pagerduty.integrationKey ??= applied.pagerduty?.integrationKey;
      gate = applied.gate;
    }
  }
  return {
    input: {
      service,
      team: service.owner ? entityRefName(service.owner) : 'unknown',
      dependencies,
      ...(pagerduty.serviceId || pagerduty.integrationKey ? { pagerduty } : {}),
    },
    findings,
    ...(gate ? { gate } : {}),
  };
}

/** One dependency of the service from its catalog entity (absent entities keep ref and name only). */
function dependencyInput(
  ref: string,
  entity: Entity | undefined,
  model: ServiceModelOptions,
  findings: Finding[],
): DependencyInput {
  const { kind, name } = parseEntityRef(ref);
  if (kind.toLocaleLowerCase('en-US') === 'resource') {
    const spec = entity?.spec as { type?: unknown } | undefined;
    const technology =
      entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.technology] ??
      (typeof spec?.type === 'string' ? spec.type : undefined);
    const selector = resourceSelector(ref, entity, findings);
    return {
      ref,
      name,
      kind: 'resource',
      ...(technology ? { technology: technology.trim().toLowerCase() } : {}),
      ...(selector ? { selector } : {}),
    };
  }
  const dependency: DependencyInput = { ref, name, kind: 'component' };
  const rawTier = entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier];
  const tier = rawTier ? parseTier(rawTier) : undefined;
  if (entity && tier) {
    dependency.tier = tier;
    const availability = parseNthlayerService(entity, model).service?.slos.find(s => s.kind === 'availability');
    if (availability) dependency.availabilityPercent = availability.targetPercent;
  }
  return dependency;
}

/** `nthlayer.dev/prometheus-selector` of a Resource: the matchers of its own series. */
function resourceSelector(ref: string, entity: Entity | undefined, findings: Finding[]): string | undefined {
  const raw = entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.prometheusSelector];
  if (raw === undefined) return undefined;
  const selector = parseSelector(raw);
  if (!selector) {
    findings.push({
      severity: 'warning',
      annotation: NTHLAYER_ANNOTATIONS.prometheusSelector,
      value: raw,
      accepted: 'label matchers such as instance="orders-db:9187" or {job="postgres",instance=~"orders-db.*"}',
      message: `${ref}: nthlayer.dev/prometheus-selector "${raw}" is not a list of label matchers; its technology alerts watch every instance of the exporter.`,
    });
  }
  return selector;
}
