import { Finding, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import {
  FileLocator,
  FilePosition,
  SERVICE_FILE_ANNOTATION,
  WHOLE_PART,
  fileFinding,
  isMapping,
  joinPath,
  withFileLocator,
} from './fileFindings';
import { readLegacyFile } from './legacyFormat';
import { readOpenSrmFile } from './openSrmFormat';
import { ParseServiceFileResult, ServiceFile } from './serviceFileTypes';

const ACCEPTED_FILE =
  'an NthLayer service file: a legacy `service:` + `resources:` document, or OpenSRM (apiVersion srm/v1, kind ServiceReliabilityManifest)';

function yamlFinding(message: string, position?: FilePosition): Finding {
  const where = position ? `line ${position.line}, column ${position.col}` : 'YAML';
  // The first line of the parser's message: what is wrong, without the excerpt of the file.
  const what = cutForMessage(message.split('\n')[0]);
  return {
    severity: 'error',
    annotation: SERVICE_FILE_ANNOTATION,
    value: `${where}: ${what}`,
    accepted: 'a valid YAML document',
    message: `${SERVICE_FILE_ANNOTATION}: the file is not valid YAML (${where}: ${what}). Nothing in it is used.`,
  };
}

/** Identity of a mapping key, as the `yaml` library's `uniqueKeys` compares scalar keys. */
function keyId(key: unknown): string | undefined {
  if (key === null || key === undefined) return 'null:';
  if (!isScalar(key)) return undefined;
  return `${typeof key.value}:${String(key.value)}`;
}

/**
 * One pass over the document: the first duplicate key of any mapping (with a set per
 * mapping, where `uniqueKeys: true` compares every key with every earlier one: 20,000 keys
 * took seconds) and where each path of the file is written, for positions in findings.
 */
function indexDocument(
  contents: unknown,
  position: (offset: number) => FilePosition,
): { duplicate?: { key: string; at: FilePosition }; paths: Map<string, FilePosition> } {
  const paths = new Map<string, FilePosition>();
  let duplicate: { key: string; at: FilePosition } | undefined;
  const at = (node: unknown) =>
    isNode(node) && node.range ? position(node.range[0]) : undefined;
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const id = keyId(pair.key);
        if (id !== undefined && seen.has(id) && !duplicate) {
          duplicate = { key: String(isScalar(pair.key) ? pair.key.value : null), at: at(pair.key) ?? { line: 1, col: 1 } };
        }
        if (id !== undefined) seen.add(id);
        if (!isScalar(pair.key)) continue;
        const childPath = joinPath(path, [String(pair.key.value)]);
        const where = at(pair.value) ?? at(pair.key);
        if (where) paths.set(childPath, where);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const childPath = joinPath(path, [i]);
        const where = at(item);
        if (where) paths.set(childPath, where);
        walk(item, childPath);
      });
    }
  };
  walk(contents, '');
  return { duplicate, paths };
}

/** The position of a path, or of its nearest written parent (a missing field's mapping). */
function locator(paths: Map<string, FilePosition>): FileLocator {
  return path => {
    let current = path;
    while (current) {
      const found = paths.get(current);
      if (found) return found;
      const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
      if (cut <= 0) return undefined;
      current = current.slice(0, cut);
    }
    return undefined;
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
        WHOLE_PART,
        `one ${slo.kind} SLO per service`,
        `Only the first ${slo.kind} SLO of the file is used; this one is ignored.`,
        'warning',
      ),
    );
    return false;
  });
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
  const lineCounter = new LineCounter();
  const position = (offset: number): FilePosition => lineCounter.linePos(offset);
  let doc: unknown;
  let paths: Map<string, FilePosition>;
  try {
    // uniqueKeys is checked by indexDocument in linear time; the library's check is quadratic.
    const parsed = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: false, lineCounter });
    if (parsed.errors.length > 0) {
      const error = parsed.errors[0];
      return { file: null, findings: [yamlFinding(error.message, error.linePos?.[0])] };
    }
    const index = indexDocument(parsed.contents, position);
    if (index.duplicate) {
      const message = `Map keys must be unique: "${cutForMessage(index.duplicate.key)}" is repeated`;
      return { file: null, findings: [yamlFinding(message, index.duplicate.at)] };
    }
    paths = index.paths;
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { file: null, findings: [yamlFinding(String((error as Error).message ?? error))] };
  }
  return withFileLocator(locator(paths), () => readDocument(doc, findings));
}

function readDocument(doc: unknown, findings: Finding[]): ParseServiceFileResult {
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
    findings.push(fileFinding('(document)', doc, ACCEPTED_FILE, 'Nothing in it is used.'));
    return { file: null, findings };
  }
  keepOneSloPerKind(file, findings);
  return { file, findings };
}
