import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NTHLAYER_ANNOTATIONS as A } from './annotations';
import { ACCEPTED_LATENCY, parseLatencyObjective } from './latency';
import { ACCEPTED_SELECTOR, defaultSelector, parseSelector } from './selector';
import { ACCEPTED_TIERS, DEFAULT_TIERS, TierDefaults, parseTier } from './tiers';
import {
  Finding,
  LatencyThreshold,
  NthlayerService,
  ServiceTier,
  ServiceType,
  SloDefinition,
  SloWindow,
} from './types';
import { ACCEPTED_WINDOWS, parseSloWindow } from './window';
import { isValidTimeZone, parseCalendarWindow } from './calendar';
import { ACCEPTED_RUNBOOK_URL, parseRunbookUrl } from './runbook';
import { ACCEPTED_CUSTOM_SLI_QUERY, CustomSli, checkCustomSliQuery } from './sli/custom';
import { SLI_INTENTS, SLI_PRESETS, SliPresetId, sliPreset } from './sli/intents';
import { cutForMessage } from './text';

/** @public */
export interface ServiceModelOptions {
  /** Tier defaults, usually DEFAULT_TIERS merged with app-config `nthlayer.tiers`. */
  tiers?: Record<ServiceTier, TierDefaults>;
  /** Time zone of calendar windows when the entity names none. Default `UTC`. */
  defaultTimeZone?: string;
  /** Names of the configured Prometheus instances; the first is the default. */
  prometheusInstances?: string[];
}

/** @public */
export interface ServiceModelResult {
  /** Null when the entity is not NthLayer-managed or its tier is unusable. */
  service: NthlayerService | null;
  findings: Finding[];
}

const SERVICE_TYPES: ServiceType[] = ['api', 'worker', 'stream'];

/** True when the entity carries `nthlayer.dev/tier`. @public */
export function isNthlayerEntity(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[A.tier]);
}

function finding(
  annotation: string,
  value: string,
  accepted: string,
  consequence: string,
  severity: Finding['severity'] = 'error',
): Finding {
  const shown = cutForMessage(value);
  return {
    severity,
    annotation,
    value: shown,
    accepted,
    message: `${annotation}: "${shown}" is not valid; expected ${accepted}. ${consequence}`,
  };
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

function specRefs(entity: Entity, field: string, defaultKind: string): string[] {
  const raw = (entity.spec as Record<string, unknown> | undefined)?.[field];
  let list: unknown[] = [];
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === 'string') list = [raw];
  const refs: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') continue;
    try {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(item, {
            defaultKind,
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      );
    } catch {
      // A malformed ref is the catalog's own error to report; skip it here.
    }
  }
  return refs;
}

/**
 * Turns a catalog entity into an NthLayer service (DESIGN §2). Never throws on bad
 * annotation values: each becomes a finding and the default applies where one exists.
 *
 * @public
 */
export function parseNthlayerService(
  entity: Entity,
  options: ServiceModelOptions = {},
): ServiceModelResult {
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const annotations = entity.metadata.annotations ?? {};
  const findings: Finding[] = [];
  const rawTier = annotations[A.tier];
  if (rawTier === undefined) return { service: null, findings };

  const tier = parseTier(rawTier);
  if (!tier) {
    findings.push(
      finding(A.tier, rawTier, ACCEPTED_TIERS, 'No SLOs can be derived without a tier.'),
    );
    return { service: null, findings };
  }
  const defaults = tiers[tier];

  let type: ServiceType = 'api';
  const rawType = annotations[A.type];
  if (rawType !== undefined) {
    const t = rawType.trim().toLowerCase() as ServiceType;
    if (SERVICE_TYPES.includes(t)) type = t;
    else
      findings.push(
        finding(A.type, rawType, SERVICE_TYPES.join(', '), 'Using the default "api".'),
      );
  }

  const timeZone = readTimeZone(annotations[A.timeZone], options.defaultTimeZone ?? 'UTC', findings);
  const window = readWindow(annotations[A.sloWindow], defaults, timeZone, findings);
  const prometheusInstance = readInstance(
    annotations[A.prometheusInstance],
    options.prometheusInstances ?? ['default'],
    findings,
  );
  const slos: SloDefinition[] = [
    availabilitySlo(annotations[A.sloAvailability], defaults, window, findings),
  ];
  const latency = readLatency(annotations[A.sloLatency], defaults, type, findings);
  if (latency) {
    slos.push({
      name: 'latency',
      kind: 'latency',
      targetPercent: latency.threshold.percentile,
      window,
      latency: latency.threshold,
      source: latency.source,
    });
  }

  const name = entity.metadata.name;
  let selector = defaultSelector(name);
  const rawSelector = annotations[A.prometheusSelector];
  if (rawSelector !== undefined) {
    const parsed = parseSelector(rawSelector);
    if (parsed) selector = parsed;
    else
      findings.push(
        finding(
          A.prometheusSelector,
          rawSelector,
          ACCEPTED_SELECTOR,
          `Using the default ${defaultSelector(name)}.`,
        ),
      );
  }

  const pinnedPreset = readSliPreset(annotations[A.sliPreset], type, findings);
  const customSli = readCustomSli(annotations, findings);

  const dependsOn = relationTargets(entity, RELATION_DEPENDS_ON);
  const owners = relationTargets(entity, RELATION_OWNED_BY);
  const service: NthlayerService = {
    entityRef: stringifyEntityRef(entity),
    name,
    tier,
    type,
    owner: owners[0] ?? specRefs(entity, 'owner', 'group')[0],
    dependsOn: dependsOn.length
      ? dependsOn
      : specRefs(entity, 'dependsOn', 'component'),
    selector,
    defaultSelector: selector === defaultSelector(name),
    prometheusInstance,
    runbookUrl: readRunbookUrl(annotations[A.runbookUrl], findings),
    ...(pinnedPreset ? { sliPreset: pinnedPreset } : {}),
    ...(customSli ? { customSli } : {}),
    slos,
  };
  return { service, findings };
}

function readCustomSli(annotations: Record<string, string>, findings: Finding[]): CustomSli | undefined {
  const raw = { good: annotations[A.sliGood], bad: annotations[A.sliBad], total: annotations[A.sliTotal] };
  if (raw.good === undefined && raw.bad === undefined && raw.total === undefined) return undefined;
  const consequence = 'The availability SLI is measured from the resolved metrics instead.';
  const checked: Partial<CustomSli> = {};
  let ok = true;
  for (const [key, annotation] of [['good', A.sliGood], ['bad', A.sliBad], ['total', A.sliTotal]] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    const result = checkCustomSliQuery(value);
    if ('problem' in result) {
      ok = false;
      findings.push({ ...finding(annotation, value, ACCEPTED_CUSTOM_SLI_QUERY, consequence), message: `${annotation}: "${cutForMessage(value)}" ${result.problem}. ${consequence}` });
    } else checked[key] = result.query;
  }
  if (raw.total === undefined || (raw.good === undefined) === (raw.bad === undefined)) {
    findings.push(
      finding(
        raw.total === undefined ? A.sliTotal : A.sliGood,
        raw.total === undefined ? '' : `${raw.good ?? ''}${raw.bad ?? ''}`,
        `${A.sliTotal} together with exactly one of ${A.sliGood} and ${A.sliBad}`,
        consequence,
      ),
    );
    return undefined;
  }
  return ok ? (checked as CustomSli) : undefined;
}

function readSliPreset(raw: string | undefined, type: ServiceType, findings: Finding[]): SliPresetId | undefined {
  if (raw === undefined) return undefined;
  const preset = sliPreset(raw.trim());
  const accepted = `one of ${SLI_PRESETS.map(p => p.id).join(', ')}`;
  if (!preset) {
    findings.push(finding(A.sliPreset, raw, accepted, 'The metric family is resolved from what Prometheus has.'));
    return undefined;
  }
  const missing = SLI_INTENTS[type].filter(intent => !preset.candidates.some(c => c.intent === intent));
  if (missing.length) {
    findings.push(
      finding(
        A.sliPreset,
        raw,
        `a preset with ${SLI_INTENTS[type].join(' and ')} metrics for a ${type} service`,
        `${preset.id} has no ${missing.join(' or ')} metrics; the metric family is resolved from what Prometheus has.`,
      ),
    );
    return undefined;
  }
  return preset.id;
}

function readRunbookUrl(raw: string | undefined, findings: Finding[]): string | undefined {
  if (raw === undefined) return undefined;
  const url = parseRunbookUrl(raw);
  if (url === undefined) {
    findings.push(
      finding(A.runbookUrl, raw, ACCEPTED_RUNBOOK_URL, 'Alerts get no runbook_url annotation.'),
    );
  }
  return url;
}

function readTimeZone(raw: string | undefined, fallback: string, findings: Finding[]): string {
  if (raw === undefined) return fallback;
  if (isValidTimeZone(raw.trim())) return raw.trim();
  findings.push(
    finding(A.timeZone, raw, 'an IANA time zone, e.g. Europe/Berlin or UTC', `Using ${fallback}.`),
  );
  return fallback;
}

function readInstance(raw: string | undefined, instances: string[], findings: Finding[]): string {
  if (raw === undefined || instances.includes(raw.trim())) return raw?.trim() ?? instances[0];
  findings.push(
    finding(
      A.prometheusInstance,
      raw,
      `the name of a configured Prometheus instance: ${instances.join(', ')}`,
      `Using "${instances[0]}".`,
    ),
  );
  return instances[0];
}

function readWindow(
  raw: string | undefined,
  defaults: TierDefaults,
  timeZone: string,
  findings: Finding[],
): SloWindow {
  const parse = (text: string) => parseSloWindow(text) ?? parseCalendarWindow(text, timeZone);
  const fallback = parse(defaults.window) ?? { text: '30d', minutes: 43200 };
  if (raw === undefined) return fallback;
  const parsed = parse(raw);
  if (parsed) return parsed;
  findings.push(
    finding(A.sloWindow, raw, ACCEPTED_WINDOWS, `Using the default ${fallback.text}.`),
  );
  return fallback;
}

function availabilitySlo(
  raw: string | undefined,
  defaults: TierDefaults,
  window: SloWindow,
  findings: Finding[],
): SloDefinition {
  const base = { name: 'availability', kind: 'availability' as const, window };
  if (raw !== undefined) {
    const trimmed = raw.trim().replace(/%$/, '');
    const value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : NaN;
    if (value > 0 && value < 100) {
      return { ...base, targetPercent: value, source: 'annotation' };
    }
    findings.push(
      finding(
        A.sloAvailability,
        raw,
        'a percentage greater than 0 and less than 100, e.g. 99.95',
        `Using the tier default ${defaults.availabilityPercent}.`,
      ),
    );
  }
  return { ...base, targetPercent: defaults.availabilityPercent, source: 'tier-default' };
}

function readLatency(
  raw: string | undefined,
  defaults: TierDefaults,
  type: ServiceType,
  findings: Finding[],
): { threshold: LatencyThreshold; source: SloDefinition['source'] } | undefined {
  if (type !== 'api') {
    if (raw !== undefined)
      findings.push(
        finding(
          A.sloLatency,
          raw,
          'a latency objective only on services of type api',
          `Ignored: a ${type} has no request latency histogram.`,
          'warning',
        ),
      );
    return undefined;
  }
  if (raw !== undefined) {
    const parsed = parseLatencyObjective(raw);
    if (parsed) return { threshold: parsed, source: 'annotation' };
    findings.push(
      finding(A.sloLatency, raw, ACCEPTED_LATENCY, `Using the tier default ${defaults.latency}.`),
    );
  }
  const fallback = parseLatencyObjective(defaults.latency);
  return fallback ? { threshold: fallback, source: 'tier-default' } : undefined;
}
