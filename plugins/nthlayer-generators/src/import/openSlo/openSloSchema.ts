import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import fs from 'fs';
import path from 'path';
import { cutForMessage } from '@nthlayer/backstage-plugin-common';
import { generatorsPackageRoot } from '../../technology/catalogue';

const SCHEMA_BASE = 'https://openslo.com/schemas/v1';
const ROOT_ID = `${SCHEMA_BASE}/openslo.schema.json`;

/** The part of the schema each kind's branch of the root schema refers to. */
const KIND_PARTS: Record<string, string> = {
  AlertCondition: 'alertcondition-spec',
  AlertNotificationTarget: 'alertnotificationtarget-spec',
  AlertPolicy: 'alertpolicy-spec',
  DataSource: 'datasource-spec',
  Service: 'service-spec',
  SLI: 'sli-spec',
  SLO: 'slo-spec',
};

/** At most this many errors are named per document. */
const ERRORS_SHOWN = 3;

interface Validators {
  /** The shipped root schema: the verdict. */
  root: ValidateFunction;
  /** The root's branch for one kind (general part + the kind's part): precise errors. */
  byKind: Map<string, ValidateFunction>;
  /** The general part alone, for documents of an unknown kind. */
  general: ValidateFunction;
}

let validators: Validators | undefined;

function load(): Validators {
  const dir = path.join(generatorsPackageRoot(), 'data', 'openslo-v1-schema');
  const files = [
    path.join(dir, 'openslo.schema.json'),
    ...fs
      .readdirSync(path.join(dir, 'parts'))
      .filter(f => f.endsWith('.json'))
      .sort()
      .map(f => path.join(dir, 'parts', f)),
  ];
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const file of files) ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')));
  const root = ajv.getSchema(ROOT_ID);
  const general = ajv.getSchema(`${SCHEMA_BASE}/parts/general.schema.json`);
  if (!root || !general) throw new Error(`the OpenSLO schema is incomplete in ${dir}`);
  const byKind = new Map<string, ValidateFunction>();
  for (const [kind, part] of Object.entries(KIND_PARTS)) {
    byKind.set(
      kind,
      ajv.compile({
        allOf: [{ $ref: `${SCHEMA_BASE}/parts/general.schema.json` }, { $ref: `${SCHEMA_BASE}/parts/${part}.schema.json` }],
      }),
    );
  }
  return { root, byKind, general };
}

/**
 * Loads the bundled OpenSLO v1 JSON schema once (the only I/O of the import); throws when
 * the package's `data/openslo-v1-schema` cannot be read.
 *
 * @public
 */
export function loadOpenSloSchema(): void {
  validators ??= load();
}

/** `/spec/objectives/0/target` → `spec.objectives[0].target`. */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((p, s) => {
      if (/^\d+$/.test(s)) return `${p}[${s}]`;
      return p ? `${p}.${s}` : s;
    }, '');
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  let text = error.message ?? 'is not valid';
  if (Array.isArray(params.allowedValues)) text += ` (${params.allowedValues.join(', ')})`;
  else if (error.keyword === 'const') text += ` (${String(params.allowedValue)})`;
  return `${fieldPath(error.instancePath) || '(document)'} ${cutForMessage(text, 100)}`;
}

/** Errors that only summarise others (a failed branch), named when nothing else is. */
const SUMMARY = new Set(['oneOf', 'anyOf', 'allOf', 'if']);

/**
 * Validates one document against the shipped OpenSLO v1 schema. Returns the errors, at most
 * three, one per field path (e.g. `spec.objectives[0].target must be < 1`); empty when valid.
 *
 * @remarks
 * The verdict is the root schema's. Its errors are taken from the branch of the document's
 * kind, as the root's `oneOf` reports every other kind's mismatch too.
 *
 * @public
 */
export function openSloSchemaErrors(doc: unknown): string[] {
  loadOpenSloSchema();
  const { root, byKind, general } = validators!;
  if (root(doc)) return [];
  const kind = (doc as { kind?: unknown }).kind;
  const precise = (typeof kind === 'string' && byKind.get(kind)) || general;
  const errors = precise(doc) ? root.errors ?? [] : precise.errors ?? [];
  const specific = errors.filter(e => !SUMMARY.has(e.keyword));
  const shown = new Map<string, string>();
  for (const error of specific.length > 0 ? specific : errors) {
    if (!shown.has(error.instancePath)) shown.set(error.instancePath, describeError(error));
  }
  const list = [...shown.values()];
  return list.length > 0 ? list.slice(0, ERRORS_SHOWN) : ['(document) does not match the schema'];
}
