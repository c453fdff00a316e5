/**
 * PagerDuty's published OpenAPI file, for cross-checks in tests only (test helper, not
 * exported). The file (github.com/PagerDuty/api-schema, reference/REST/openapiv3.json) may
 * not be copied into this repository: `NTHLAYER_PAGERDUTY_OPENAPI` names a copy, else the
 * shared reference copy next to the working tree (`../shared/reference/pagerduty-openapi/`)
 * is used when it exists. Machines without it (CI) leave the cross-checks out.
 */
import Ajv, { ValidateFunction } from 'ajv';
import fs from 'fs';
import path from 'path';
import { isPagerDutyDateTime } from '../pagerDutyContract';
import { isKnownTimeZone } from '../pagerDutyPolicy';

const ENV = 'NTHLAYER_PAGERDUTY_OPENAPI';
const SHARED_COPY = path.join(
  'shared',
  'reference',
  'pagerduty-openapi',
  'rest-openapiv3.json',
);

/** `shared/reference/...` in the working directory or one of its parents (the tree's sibling). */
function sharedCopy(): string | undefined {
  let dir = process.cwd();
  for (let level = 0; level < 8; level++) {
    const candidate = path.join(dir, SHARED_COPY);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The OpenAPI file to cross-check with, or undefined when there is none. */
export function pagerDutyOpenApiFile(): string | undefined {
  const configured = process.env[ENV];
  if (configured) return path.resolve(configured);
  return sharedCopy();
}

/** Validators of the JSON response bodies of the file's operations. */
export function pagerDutyResponseValidators(file: string) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!doc?.paths || !doc?.components) {
    throw new Error(
      `${file} is not an OpenAPI document (no paths or components)`,
    );
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', isPagerDutyDateTime);
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('partial-time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('url', s => URL.canParse(s));
  ajv.addFormat('uri', s => URL.canParse(s));
  ajv.addFormat('email', /^[^@\s]+@[^@\s]+$/);
  ajv.addFormat('activesupport-time-zone', isKnownTimeZone);
  ajv.addFormat('tzinfo', isKnownTimeZone);
  ajv.addSchema(
    { $id: 'pagerduty', components: doc.components, paths: doc.paths },
    'pagerduty',
  );
  const escape = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
  const cache = new Map<string, ValidateFunction>();
  return (
    apiPath: string,
    method: string,
    status: number,
  ): ValidateFunction => {
    const key = `${method} ${apiPath} ${status}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let response = doc.paths[apiPath]?.[method]?.responses?.[String(status)];
    let pointer = `pagerduty#/paths/${escape(
      apiPath,
    )}/${method}/responses/${status}`;
    if (response?.$ref) {
      pointer = `pagerduty${response.$ref}`;
      response = response.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce(
          (node: any, part: string) =>
            node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          doc,
        );
    }
    if (!response?.content?.['application/json']?.schema) {
      throw new Error(
        `${file} has no JSON response ${status} for ${method.toUpperCase()} ${apiPath}`,
      );
    }
    const validate = ajv.compile({
      $ref: `${pointer}/content/application~1json/schema`,
    });
    cache.set(key, validate);
    return validate;
  };
}
