import { Finding, NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';

/** The annotation every service-file finding is about. */
export const SERVICE_FILE_ANNOTATION = NTHLAYER_ANNOTATIONS.serviceFile;

/** Short, verbatim text of a value for a finding. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return value.length > 120 ? `${value.slice(0, 117)}...` : value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `resources[1].spec.objective` from path segments. */
export function joinPath(base: string, segments: ReadonlyArray<string | number>): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path ? `${path}.${segment}` : segment;
  }, base);
}

/** A finding about one part of a service file. */
export function fileFinding(
  path: string,
  value: unknown,
  accepted: string,
  consequence: string,
  severity: Finding['severity'] = 'error',
): Finding {
  const shown = showValue(value);
  return {
    severity,
    annotation: SERVICE_FILE_ANNOTATION,
    value: `${path}: ${shown}`,
    accepted,
    message: `${SERVICE_FILE_ANNOTATION}: ${path} = ${shown} is not valid; expected ${accepted}. ${consequence}`,
  };
}

/** A conflict between the service file and the catalog entity (never resolved by guessing). */
export function conflictFinding(
  path: string,
  fileValue: unknown,
  entityValue: string,
  source: string,
  consequence: string,
): Finding {
  const shown = showValue(fileValue);
  return {
    severity: 'warning',
    annotation: SERVICE_FILE_ANNOTATION,
    value: `${path}: ${shown}`,
    accepted: `the value of the catalog entity (${source}): ${entityValue}`,
    message: `${SERVICE_FILE_ANNOTATION}: ${path} is "${shown}" but the entity's ${source} is "${entityValue}". ${consequence}`,
  };
}

function valueAt(root: unknown, segments: ReadonlyArray<string | number>): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Validates one part of the file; each zod issue becomes a finding with the offending path
 * and value, and the part is dropped (undefined) when invalid.
 */
export function validatePart<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  path: string,
  findings: Finding[],
  consequence = 'This part of the file is ignored.',
): z.infer<T> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    findings.push(
      fileFinding(
        joinPath(path, issue.path),
        valueAt(value, issue.path),
        issue.message,
        consequence,
      ),
    );
  }
  return undefined;
}

/** True for a plain YAML mapping. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Validates the fields of a mapping one by one, so one bad field drops only itself.
 * Fields absent from the mapping are skipped unless listed in `required`.
 */
export function validateFields<S extends Record<string, z.ZodTypeAny>>(
  value: Record<string, unknown>,
  schemas: S,
  path: string,
  findings: Finding[],
  required: ReadonlyArray<keyof S> = [],
): { [K in keyof S]?: z.infer<S[K]> } {
  const out: { [K in keyof S]?: z.infer<S[K]> } = {};
  for (const key of Object.keys(schemas) as Array<keyof S & string>) {
    if (value[key] === undefined || value[key] === null) {
      if (required.includes(key)) {
        const message = schemas[key].safeParse(undefined).error?.issues[0]?.message;
        findings.push(
          fileFinding(joinPath(path, [key]), undefined, message ?? 'a value', 'This part of the file is ignored.'),
        );
      }
      continue;
    }
    out[key] = validatePart(schemas[key], value[key], joinPath(path, [key]), findings);
  }
  return out;
}
