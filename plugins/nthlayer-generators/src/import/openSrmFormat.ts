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
import { WHOLE_PART, fileFinding, isMapping, joinPath, validateFields } from './fileFindings';
import {
  ServiceFile,
  ServiceFileDependency,
  ServiceFileDependencyCategory,
  ServiceFileSlo,
} from './serviceFileTypes';
import { customSliFromFile } from './fileCustomSli';

const DEPENDENCY_TYPES: Record<string, ServiceFileDependencyCategory> = {
  database: 'database',
  cache: 'cache',
  queue: 'queue',
  messaging: 'queue',
  stream: 'queue',
  service: 'service',
  api: 'external',
  external: 'external',
};

const text = z.string({ invalid_type_error: 'a string' });

function readSlo(name: string, raw: unknown, path: string, findings: Finding[]): ServiceFileSlo | undefined {
  if (!isMapping(raw)) {
    findings.push(fileFinding(path, raw, 'a mapping {target, window, percentile, query}', 'This SLO is ignored.'));
    return undefined;
  }
  const isLatency = name === 'latency' || raw.percentile !== undefined || raw.unit !== undefined;
  if (!isLatency && name !== 'availability') {
    findings.push(
      fileFinding(
        path,
        WHOLE_PART,
        'an SLO named availability, or latency (any SLO with a percentile)',
        'This SLO is ignored.',
        'warning',
      ),
    );
    return undefined;
  }
  const f = validateFields(
    raw,
    {
      target: isLatency ? positiveSchema : percentSchema,
      window: windowSchema,
      percentile: percentileSchema,
      unit: z.enum(['ms', 's'], { errorMap: () => ({ message: 'ms or s' }) }),
      query: text,
    },
    path,
    findings,
    ['target'],
  );
  if (f.target === undefined) return undefined;
  const customSli = f.query === undefined
    ? undefined
    : customSliFromFile(
        isLatency ? 'latency' : 'availability',
        isLatency ? { latency: { query: f.query, path: `${path}.query` } } : { ratio: { query: f.query, path: `${path}.query` } },
        path,
        findings,
      );
  const base = { name, window: f.window, ...(customSli ? { customSli } : {}), path };
  if (!isLatency) return { ...base, kind: 'availability', targetPercent: f.target };
  // OpenSRM: `target` is the latency threshold, the percentile the share of fast requests.
  const percentile = f.percentile ?? 95;
  return {
    ...base,
    kind: 'latency',
    targetPercent: percentile,
    latency: { percentile, thresholdMs: f.target * (f.unit === 's' ? 1000 : 1) },
  };
}

function readDependency(raw: unknown, path: string, findings: Finding[]): ServiceFileDependency | undefined {
  if (!isMapping(raw)) {
    findings.push(fileFinding(path, raw, 'a mapping {name, type, critical}', 'It is ignored.'));
    return undefined;
  }
  const f = validateFields(
    raw,
    {
      name: nameSchema,
      type: z.string({ invalid_type_error: 'a string' }),
      critical: z.boolean({ invalid_type_error: 'true or false' }),
      criticality: text,
      database_type: text,
      technology: text,
      sla: percentSchema,
      slo: z.object({ availability: percentSchema }).passthrough(),
    },
    path,
    findings,
    ['name'],
  );
  if (!f.name) return undefined;
  const type = f.type?.trim().toLowerCase();
  let category: ServiceFileDependencyCategory = type ? DEPENDENCY_TYPES[type] : 'service';
  if (!category) {
    findings.push(
      fileFinding(`${path}.type`, f.type, Object.keys(DEPENDENCY_TYPES).join(', '), 'Read as a service.', 'warning'),
    );
    category = 'service';
  }
  const resource = category !== 'service' && category !== 'external';
  return {
    name: f.name,
    category,
    technology: resource ? normalizeTechnology(f.technology ?? f.database_type) : undefined,
    critical: f.critical ?? isCriticalLevel(f.criticality),
    slaPercent: f.slo?.availability ?? f.sla,
    path,
  };
}

function readSpec(spec: Record<string, unknown>, file: ServiceFile, findings: Finding[]) {
  const s = validateFields(spec, { type: serviceTypeSchema }, 'spec', findings);
  file.type = s.type;
  if (spec.slos !== undefined) {
    if (!isMapping(spec.slos)) {
      findings.push(fileFinding('spec.slos', spec.slos, 'a mapping of SLO name to {target, window}', 'No SLOs are read.'));
    } else {
      for (const [name, raw] of Object.entries(spec.slos)) {
        const slo = readSlo(name, raw, joinPath('spec.slos', [name]), findings);
        if (slo) file.slos.push(slo);
      }
    }
  }
  if (spec.dependencies !== undefined) {
    if (!Array.isArray(spec.dependencies)) {
      findings.push(fileFinding('spec.dependencies', spec.dependencies, 'a list of {name, type, critical}', 'No dependencies are read.'));
    } else {
      spec.dependencies.forEach((raw, i) => {
        const dep = readDependency(raw, `spec.dependencies[${i}]`, findings);
        if (dep) file.dependencies.push(dep);
      });
    }
  }
  if (isMapping(spec.ownership)) {
    const o = validateFields(spec.ownership, { team: nameSchema, runbook: runbookSchema }, 'spec.ownership', findings);
    file.team = file.team ?? o.team;
    file.runbookUrl = o.runbook;
    if (isMapping(spec.ownership.pagerduty)) {
      const p = validateFields(
        spec.ownership.pagerduty,
        { service_id: nameSchema, integration_key: nameSchema, escalation_policy_id: nameSchema },
        'spec.ownership.pagerduty',
        findings,
      );
      file.pagerduty = { serviceId: p.service_id, integrationKey: p.integration_key, escalationPolicy: p.escalation_policy_id };
    }
  }
  const gates = isMapping(spec.deployment) ? spec.deployment.gates : undefined;
  if (isMapping(gates) && isMapping(gates.error_budget)) {
    // OpenSRM writes budget thresholds as ratios: 0.10 blocks below 10 % remaining.
    const ratio = z.number({ invalid_type_error: 'a ratio between 0 and 1, e.g. 0.10' }).gt(0, 'a ratio between 0 and 1, e.g. 0.10').lt(1, 'a ratio between 0 and 1, e.g. 0.10');
    const g = validateFields(
      gates.error_budget,
      { threshold: ratio, warning: ratio, enabled: z.boolean({ invalid_type_error: 'true or false' }) },
      'spec.deployment.gates.error_budget',
      findings,
    );
    if (g.enabled !== false) {
      file.gate = {
        blockingPercent: g.threshold === undefined ? undefined : +(g.threshold * 100).toFixed(6),
        warningPercent: g.warning === undefined ? undefined : +(g.warning * 100).toFixed(6),
      };
    }
  }
}

/** Reads an OpenSRM `srm/v1` ServiceReliabilityManifest; never throws. */
export function readOpenSrmFile(doc: Record<string, unknown>, findings: Finding[]): ServiceFile {
  const file: ServiceFile = { format: 'opensrm', slos: [], dependencies: [] };
  if (doc.apiVersion !== 'srm/v1') {
    findings.push(fileFinding('apiVersion', doc.apiVersion, 'srm/v1', 'Read as srm/v1 anyway.', 'warning'));
  }
  if (doc.kind !== 'ServiceReliabilityManifest') {
    findings.push(fileFinding('kind', doc.kind, 'ServiceReliabilityManifest', 'Read as one anyway.', 'warning'));
  }
  if (isMapping(doc.metadata)) {
    const m = validateFields(doc.metadata, { name: nameSchema, team: nameSchema, tier: tierSchema }, 'metadata', findings);
    Object.assign(file, { name: m.name, team: m.team, tier: m.tier });
  } else {
    findings.push(fileFinding('metadata', doc.metadata, 'a mapping {name, team, tier}', 'Identity is taken from elsewhere.'));
  }
  if (isMapping(doc.spec)) readSpec(doc.spec, file, findings);
  else findings.push(fileFinding('spec', doc.spec, 'a mapping {type, slos, dependencies, ownership, deployment}', 'Nothing else is read.'));
  return file;
}
