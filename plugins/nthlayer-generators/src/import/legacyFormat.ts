import { Finding } from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';
import {
  isCriticalLevel,
  nameSchema,
  normalizeTechnology,
  percentSchema,
  percentileSchema,
  positiveSchema,
  runbookSchema,
  serviceTypeSchema,
  tierSchema,
  windowSchema,
} from './fieldSchemas';
import { customSliFromFile } from './fileCustomSli';
import { fileFinding, isMapping, joinPath, validateFields } from './fileFindings';
import {
  ServiceFile,
  ServiceFileDependency,
  ServiceFileDependencyCategory,
  ServiceFileSlo,
} from './serviceFileTypes';

/** Resource kinds of the legacy format (DESIGN §2). */
export const LEGACY_KINDS = ['SLO', 'Dependencies', 'PagerDuty', 'DeploymentGate', 'Observability'];

/** Dependency lists of a `Dependencies` resource; the aliases appear in older files. */
const DEPENDENCY_LISTS: Record<string, ServiceFileDependencyCategory> = {
  databases: 'database',
  caches: 'cache',
  queues: 'queue',
  message_queues: 'queue',
  messaging: 'queue',
  services: 'service',
  external_apis: 'external',
};

const optionalText = z.string({ invalid_type_error: 'a string' });
const indicatorFields = {
  type: z.enum(['availability', 'latency'], {
    errorMap: () => ({ message: 'availability or latency' }),
  }),
  percentile: percentileSchema,
  threshold_ms: positiveSchema,
  query: optionalText,
  latency_query: optionalText,
  success_ratio: z.object(
    { good_query: optionalText, total_query: optionalText },
    { invalid_type_error: 'a mapping with good_query and total_query' },
  ),
};

function readSlo(name: string, spec: Record<string, unknown>, path: string, findings: Finding[]) {
  const fields = validateFields(
    spec,
    { objective: percentSchema, window: windowSchema },
    `${path}.spec`,
    findings,
    ['objective'],
  );
  const indicators: Array<{ raw: Record<string, unknown>; path: string }> = [];
  if (isMapping(spec.indicator)) indicators.push({ raw: spec.indicator, path: `${path}.spec.indicator` });
  if (Array.isArray(spec.indicators)) {
    spec.indicators.forEach((raw, i) => {
      if (isMapping(raw)) indicators.push({ raw, path: `${path}.spec.indicators[${i}]` });
    });
  }
  const indicator = indicators[0];
  const ind = indicator
    ? validateFields(indicator.raw, indicatorFields, indicator.path, findings)
    : {};
  if (fields.objective === undefined) return undefined;
  const isLatency =
    ind.type === 'latency' ||
    (ind.type === undefined && (ind.threshold_ms !== undefined || /latency/i.test(name)));
  const slo: ServiceFileSlo = {
    name,
    kind: isLatency ? 'latency' : 'availability',
    targetPercent: fields.objective,
    window: fields.window,
    path,
  };
  const at = indicator?.path ?? `${path}.spec.indicator`;
  const customSli = customSliFromFile(
    slo.kind,
    {
      ...(ind.success_ratio?.good_query !== undefined
        ? { good: { query: ind.success_ratio.good_query, path: `${at}.success_ratio.good_query` } }
        : {}),
      ...(ind.success_ratio?.total_query !== undefined
        ? { total: { query: ind.success_ratio.total_query, path: `${at}.success_ratio.total_query` } }
        : {}),
      ...(ind.query !== undefined ? { ratio: { query: ind.query, path: `${at}.query` } } : {}),
      ...(ind.latency_query !== undefined ? { latency: { query: ind.latency_query, path: `${at}.latency_query` } } : {}),
    },
    at,
    findings,
  );
  if (customSli) slo.customSli = customSli;
  if (isLatency) {
    if (ind.threshold_ms === undefined) {
      findings.push(
        fileFinding(
          `${indicator?.path ?? `${path}.spec.indicator`}.threshold_ms`,
          undefined,
          'the latency threshold in milliseconds, e.g. 500',
          'This latency SLO is ignored.',
        ),
      );
      return undefined;
    }
    slo.latency = { percentile: ind.percentile ?? 95, thresholdMs: ind.threshold_ms };
  }
  return slo;
}

function readDependencies(spec: Record<string, unknown>, path: string, findings: Finding[]) {
  const out: ServiceFileDependency[] = [];
  for (const [list, items] of Object.entries(spec)) {
    const category = DEPENDENCY_LISTS[list];
    const listPath = joinPath(`${path}.spec`, [list]);
    if (!category) {
      findings.push(
        fileFinding(listPath, items, Object.keys(DEPENDENCY_LISTS).join(', '), 'This list is ignored.', 'warning'),
      );
      continue;
    }
    if (!Array.isArray(items)) {
      findings.push(fileFinding(listPath, items, 'a list of {name, type, criticality, sla}', 'This list is ignored.'));
      continue;
    }
    items.forEach((item, i) => {
      const itemPath = joinPath(listPath, [i]);
      if (!isMapping(item)) {
        findings.push(fileFinding(itemPath, item, 'a mapping {name, type, criticality, sla}', 'It is ignored.'));
        return;
      }
      const f = validateFields(
        item,
        {
          name: nameSchema,
          type: nameSchema,
          criticality: z.enum(['critical', 'high', 'medium', 'low'], {
            errorMap: () => ({ message: 'critical, high, medium or low' }),
          }),
          sla: percentSchema,
        },
        itemPath,
        findings,
        ['name'],
      );
      if (!f.name) return;
      out.push({
        name: f.name,
        category,
        technology: category === 'service' || category === 'external' ? undefined : normalizeTechnology(f.type),
        critical: isCriticalLevel(f.criticality),
        slaPercent: f.sla,
        path: itemPath,
      });
    });
  }
  return out;
}

function readResource(
  resource: unknown,
  path: string,
  file: ServiceFile,
  findings: Finding[],
) {
  if (!isMapping(resource)) {
    findings.push(fileFinding(path, resource, 'a mapping {kind, name, spec}', 'It is ignored.'));
    return;
  }
  const kind = resource.kind;
  if (typeof kind !== 'string' || !LEGACY_KINDS.includes(kind)) {
    findings.push(
      fileFinding(`${path}.kind`, kind, LEGACY_KINDS.join(', '), 'This resource is ignored.', 'warning'),
    );
    return;
  }
  const spec = resource.spec ?? {};
  if (!isMapping(spec)) {
    findings.push(fileFinding(`${path}.spec`, spec, 'a mapping', 'This resource is ignored.'));
    return;
  }
  const name = typeof resource.name === 'string' ? resource.name : kind.toLowerCase();
  if (kind === 'SLO') {
    const slo = readSlo(name, spec, path, findings);
    if (slo) file.slos.push(slo);
  } else if (kind === 'Dependencies') {
    file.dependencies.push(...readDependencies(spec, path, findings));
  } else if (kind === 'DeploymentGate') {
    const thresholds = isMapping(spec.thresholds) ? spec.thresholds : {};
    if (spec.thresholds !== undefined && !isMapping(spec.thresholds)) {
      findings.push(fileFinding(`${path}.spec.thresholds`, spec.thresholds, 'a mapping {warning, blocking}', 'Ignored.'));
    }
    const t = validateFields(
      thresholds,
      { warning: percentSchema, blocking: percentSchema },
      `${path}.spec.thresholds`,
      findings,
    );
    file.gate = { warningPercent: t.warning, blockingPercent: t.blocking };
  } else if (kind === 'PagerDuty') {
    const p = validateFields(
      spec,
      {
        service_id: nameSchema,
        integration_key: nameSchema,
        service_key: nameSchema,
        escalation_policy: nameSchema,
        urgency: nameSchema,
      },
      `${path}.spec`,
      findings,
    );
    file.pagerduty = {
      serviceId: p.service_id,
      integrationKey: p.integration_key ?? p.service_key,
      escalationPolicy: p.escalation_policy,
      urgency: p.urgency,
    };
  }
  // Observability: metric lists and labels are informational for NthLayer's generators.
}

/** Reads a legacy `service:` + `resources:` file; never throws. */
export function readLegacyFile(doc: Record<string, unknown>, findings: Finding[]): ServiceFile {
  const file: ServiceFile = { format: 'legacy', slos: [], dependencies: [] };
  if (isMapping(doc.service)) {
    const s = validateFields(
      doc.service,
      {
        name: nameSchema,
        team: nameSchema,
        tier: tierSchema,
        type: serviceTypeSchema,
        runbook_url: runbookSchema,
        runbook: runbookSchema,
      },
      'service',
      findings,
    );
    Object.assign(file, { name: s.name, team: s.team, tier: s.tier, type: s.type });
    file.runbookUrl = s.runbook_url ?? s.runbook;
  } else {
    findings.push(
      fileFinding('service', doc.service, 'a mapping {name, team, tier, type}', 'Identity is taken from elsewhere.'),
    );
  }
  const resources = doc.resources ?? [];
  if (!Array.isArray(resources)) {
    findings.push(fileFinding('resources', resources, 'a list of {kind, name, spec}', 'No resources are read.'));
    return file;
  }
  resources.forEach((resource, i) => readResource(resource, `resources[${i}]`, file, findings));
  return file;
}
