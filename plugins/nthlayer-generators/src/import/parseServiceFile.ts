import { Finding } from '@nthlayer/backstage-plugin-common';
import { parseDocument } from 'yaml';
import { SERVICE_FILE_ANNOTATION, fileFinding, isMapping } from './fileFindings';
import { readLegacyFile } from './legacyFormat';
import { readOpenSrmFile } from './openSrmFormat';
import { ParseServiceFileResult, ServiceFile } from './serviceFileTypes';

const ACCEPTED_FILE =
  'an NthLayer service file: a legacy `service:` + `resources:` document, or OpenSRM (apiVersion srm/v1, kind ServiceReliabilityManifest)';

function yamlFinding(message: string, line?: number): Finding {
  const where = line ? `line ${line}` : 'YAML';
  return {
    severity: 'error',
    annotation: SERVICE_FILE_ANNOTATION,
    value: `${where}: ${message.split('\n')[0]}`,
    accepted: 'a valid YAML document',
    message: `${SERVICE_FILE_ANNOTATION}: the file is not valid YAML (${where}: ${message.split('\n')[0]}). Nothing in it is used.`,
  };
}

/** Keeps the first SLO of each kind: the service model has one availability and one latency SLO. */
function keepOneSloPerKind(file: ServiceFile, findings: Finding[]) {
  const seen = new Set<string>();
  file.slos = file.slos.filter(slo => {
    if (!seen.has(slo.kind)) {
      seen.add(slo.kind);
      return true;
    }
    findings.push(
      fileFinding(
        slo.path,
        slo.name,
        `one ${slo.kind} SLO per service`,
        `Only the first ${slo.kind} SLO of the file is used; this one is ignored.`,
        'warning',
      ),
    );
    return false;
  });
  for (const slo of file.slos.filter(s => s.customQuery)) {
    findings.push(
      fileFinding(
        slo.path,
        slo.name,
        'SLIs derived from the service selector and the conventions of its type',
        'The file\'s own PromQL is not used; set nthlayer.dev/prometheus-selector if the series are labelled differently.',
        'warning',
      ),
    );
  }
}

/**
 * Parses an NthLayer `service.yaml` in either format of DESIGN §2: legacy (`service:` +
 * `resources:` of kinds SLO, Dependencies, PagerDuty, DeploymentGate, Observability) or
 * OpenSRM (`apiVersion: srm/v1`, `kind: ServiceReliabilityManifest`).
 *
 * @remarks
 * Never throws. Every malformed part becomes a finding on the `nthlayer.dev/service-file`
 * annotation naming the path in the file, the offending value and what is accepted; the
 * valid parts are still returned. `file` is null only when the text is not a service file.
 *
 * @public
 */
export function parseServiceFile(yamlText: string): ParseServiceFileResult {
  const findings: Finding[] = [];
  let doc: unknown;
  try {
    const parsed = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
    if (parsed.errors.length > 0) {
      const error = parsed.errors[0];
      return { file: null, findings: [yamlFinding(error.message, error.linePos?.[0]?.line)] };
    }
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { file: null, findings: [yamlFinding(String((error as Error).message ?? error))] };
  }
  if (!isMapping(doc)) {
    findings.push(fileFinding('(document)', doc, ACCEPTED_FILE, 'Nothing in it is used.'));
    return { file: null, findings };
  }
  let file: ServiceFile;
  if (doc.apiVersion === 'srm/v1' || doc.kind === 'ServiceReliabilityManifest') {
    file = readOpenSrmFile(doc, findings);
  } else if (doc.service !== undefined || doc.resources !== undefined) {
    file = readLegacyFile(doc, findings);
  } else {
    findings.push(
      fileFinding('(document)', Object.keys(doc).join(', '), ACCEPTED_FILE, 'Nothing in it is used.'),
    );
    return { file: null, findings };
  }
  keepOneSloPerKind(file, findings);
  return { file, findings };
}
