import { Finding, NTHLAYER_ANNOTATIONS, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';

/** The annotation every service-file finding is about. */
export const SERVICE_FILE_ANNOTATION = NTHLAYER_ANNOTATIONS.serviceFile;

/** A line and column in the service file, 1-based. */
export interface FilePosition {
  line: number;
  col: number;
}

/** Finds where a path such as `resources[1].spec.objective` is written in the file. */
export type FileLocator = (path: string) => FilePosition | undefined;

let currentLocator: FileLocator | undefined;

/**
 * Runs `read` with findings located in the file being read: {@link fileFinding} and
 * {@link conflictFinding} add the line and column of their path. Synchronous on purpose:
 * the locator is set only for the duration of the call.
 */
export function withFileLocator<T>(locate: FileLocator, read: () => T): T {
  const previous = currentLocator;
  currentLocator = locate;
  try {
    return read();
  } finally {
    currentLocator = previous;
  }
}

/**
 * `resources[0].spec (line 7, column 5)`: the path, cut, and where the file writes it.
 *
 * @remarks
 * The service file is read with the backend's integration credentials, so findings name
 * keys and positions only, never the file's values (DESIGN: issue 13).
 */
function where(path: string): string {
  const position = currentLocator?.(path);
  const shown = cutForMessage(path);
  return position ? `${shown} (line ${position.line}, column ${position.col})` : shown;
}

/** Pass as the value of {@link fileFinding} when the finding is about the whole part at the path. */
export const WHOLE_PART: unique symbol = Symbol('the part at the path');

/**
 * What kind of value the file has at a path, without its content: `a string of 12
 * characters`, `a list of 3 items`, `a mapping with keys name, tier`. Keys are names and
 * are shown (cut); values are not.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isMapping(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty mapping' : `a mapping with keys ${cutForMessage(keys.join(', '))}`;
  }
  return `a ${typeof value}`;
}

/** `resources[1].spec.objective` from path segments. */
export function joinPath(base: string, segments: ReadonlyArray<string | number>): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path ? `${path}.${segment}` : segment;
  }, base);
}

/**
 * A finding about one part of a service file: its path and position, what kind of value
 * is there (never the value itself) and what is accepted.
 */
export function fileFinding(
  path: string,
  value: unknown,
  accepted: string,
  consequence: string,
  severity: Finding['severity'] = 'error',
): Finding {
  const at = where(path);
  const kind = value === WHOLE_PART ? '' : ` (${describeValue(value)})`;
  return {
    severity,
    annotation: SERVICE_FILE_ANNOTATION,
    value: at,
    accepted,
    message: `${SERVICE_FILE_ANNOTATION}: ${at} is not valid${kind}; expected ${accepted}. ${consequence}`,
  };
}

/**
 * A conflict between the service file and the catalog entity (never resolved by guessing).
 * Names the entity's value, which its owner can see, but not the file's.
 */
export function conflictFinding(
  path: string,
  entityValue: string,
  source: string,
  consequence: string,
): Finding {
  const at = where(path);
  const entity = cutForMessage(entityValue);
  return {
    severity: 'warning',
    annotation: SERVICE_FILE_ANNOTATION,
    value: at,
    accepted: `the value of the catalog entity (${source}): ${entity}`,
    message: `${SERVICE_FILE_ANNOTATION}: ${at} differs from the entity's ${source} "${entity}". ${consequence}`,
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
