import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { Document, LineCounter, Scalar, isScalar, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import {
  GatePolicy,
  GateRule,
  PolicyLoadError,
  compileCondition,
  cutForMessage,
  isConditionError,
  isValidTimeZone,
} from '@nthlayer/backstage-plugin-common';

/** A loaded `ReliabilityPolicy`. @public */
export type ReliabilityPolicy = GatePolicy;

/** What one source gave: the policies it holds and what was rejected. @public */
export interface PolicyLoadResult {
  policies: ReliabilityPolicy[];
  errors: PolicyLoadError[];
}

const MAX_SOURCE_BYTES = 256 * 1024;
const name = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
const label = z.string().min(1).max(64);
const localDateTime = z
  .string()
  .refine(v => DateTime.fromISO(v, { zone: 'UTC' }).isValid, 'an ISO 8601 date or date-time such as 2026-12-20T18:00');

const schema = z
  .object({
    apiVersion: z.literal('nthlayer.dev/v1'),
    kind: z.literal('ReliabilityPolicy'),
    metadata: z.object({ name, description: z.string().max(2000).optional() }).passthrough(),
    spec: z
      .object({
        selector: z
          .object({
            tiers: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).optional(),
            types: z.array(z.enum(['api', 'worker', 'stream'])).optional(),
            owners: z.array(z.string().min(1)).optional(),
            systems: z.array(z.string().min(1)).optional(),
            entityRefs: z.array(z.string().min(1)).optional(),
          })
          .strict()
          .default({}),
        timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Berlin').default('UTC'),
        failClosed: z.boolean().default(false),
        rules: z
          .array(
            z
              .object({
                name,
                condition: z.string(),
                action: z.enum(['block', 'warn', 'require_approval', 'notify']),
                message: z.string().max(500).optional(),
                exceptions: z.array(label).max(20).default([]),
              })
              .strict(),
          )
          .max(100)
          .default([]),
        freezeWindows: z
          .array(
            z
              .object({
                name,
                start: localDateTime,
                end: localDateTime,
                timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
                message: z.string().max(500).optional(),
                exceptions: z.array(label).max(20).default([]),
              })
              .strict(),
          )
          .max(100)
          .default([]),
      })
      .strict(),
  })
  .strict();

/**
 * Reads the `ReliabilityPolicy` documents of one source (YAML, several documents allowed).
 * Each bad document is rejected with its line, column and reason (YAML syntax, schema, a CEL
 * syntax or type error in a condition, unknown variables); the others still load. Nothing is
 * evaluated.
 *
 * @public
 */
export function parsePolicies(source: string, text: string): PolicyLoadResult {
  const errors: PolicyLoadError[] = [];
  const policies: ReliabilityPolicy[] = [];
  if (Buffer.byteLength(text, 'utf8') > MAX_SOURCE_BYTES) {
    return { policies, errors: [{ source, line: 0, column: 0, reason: `larger than ${MAX_SOURCE_BYTES} bytes` }] };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const documents = Array.isArray(docs) ? docs : [docs];
  for (const doc of documents) {
    const at = (offset: number) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
    if (doc.errors.length) {
      const e = doc.errors[0];
      errors.push({ source, ...at(e.pos[0]), reason: cutForMessage(e.message.split('\n')[0], 300) });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 0 });
    if (value === null || value === undefined) continue; // an empty document
    const parsed = schema.safeParse(value);
    const policyName = typeof value?.metadata?.name === 'string' ? cutForMessage(value.metadata.name, 128) : undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const node = nodeAt(doc, issue.path);
      errors.push({
        source,
        ...at(node?.range?.[0] ?? doc.range[0]),
        ...(policyName ? { policy: policyName } : {}),
        reason: `${issue.path.length ? issue.path.join('.') : 'document'}: ${cutForMessage(issue.message, 300)}`,
      });
      continue;
    }
    const spec = parsed.data.spec;
    const rules: GateRule[] = [];
    let failed = false;
    spec.rules.forEach((rule, i) => {
      if (failed) return;
      const compiled = compileCondition(rule.condition);
      if (isConditionError(compiled)) {
        const node = nodeAt(doc, ['spec', 'rules', i, 'condition']);
        errors.push({
          source,
          ...at(conditionOffset(text, node, compiled.offset)),
          policy: parsed.data.metadata.name,
          reason: `rule ${rule.name}: ${compiled.reason}`,
        });
        failed = true;
        return;
      }
      rules.push({ ...rule, compiled });
    });
    const badWindow = spec.freezeWindows.findIndex(w => !(localTime(w.start, w.timeZone ?? spec.timeZone) < localTime(w.end, w.timeZone ?? spec.timeZone)));
    if (!failed && badWindow >= 0) {
      const node = nodeAt(doc, ['spec', 'freezeWindows', badWindow, 'end']);
      errors.push({ source, ...at(node?.range?.[0] ?? doc.range[0]), policy: parsed.data.metadata.name, reason: `freeze window ${spec.freezeWindows[badWindow].name}: end must be after start` });
      failed = true;
    }
    if (failed) continue;
    // The document as written, without the `---` that separates it from the previous one.
    const raw = text.slice(doc.range[0], doc.range[2]).replace(/^---[^\n]*\n/, '');
    policies.push({
      name: parsed.data.metadata.name,
      source,
      hash: createHash('sha256').update(raw).digest('hex'),
      selector: spec.selector,
      timeZone: spec.timeZone,
      failClosed: spec.failClosed,
      rules,
      freezeWindows: spec.freezeWindows.map(w => ({ ...w, timeZone: w.timeZone ?? spec.timeZone })),
    });
  }
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const p of policies) {
    if (seen.has(p.name) && !duplicated.has(p.name)) {
      duplicated.add(p.name);
      errors.push({ source, line: 0, column: 0, policy: p.name, reason: `two policies are named ${p.name}; names must be unique` });
    }
    seen.add(p.name);
  }
  return { policies: policies.filter(p => !duplicated.has(p.name)), errors };
}

/** A freeze window bound as a Unix time in milliseconds. */
function localTime(value: string, timeZone: string): number {
  return DateTime.fromISO(value, { zone: timeZone }).toMillis();
}

function nodeAt(doc: Document, path: Array<string | number>): { range?: [number, number, number] } | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}

/** The file offset of `offset` inside the condition scalar `node`. */
function conditionOffset(text: string, node: { range?: [number, number, number] } | undefined, offset: number): number {
  if (!node?.range) return 0;
  const start = node.range[0];
  if (!isScalar(node)) return start;
  const type = (node as Scalar).type;
  if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) return start + 1 + offset;
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    // Content starts on the line after the indicator, at its indentation.
    const firstContent = text.indexOf('\n', start) + 1;
    const indent = /^[ ]*/.exec(text.slice(firstContent))![0].length;
    const value = String((node as Scalar).value);
    const before = value.slice(0, offset);
    const lines = before.split('\n');
    let lineStart = firstContent;
    for (let i = 0; i < lines.length - 1; i++) lineStart = text.indexOf('\n', lineStart) + 1;
    return lineStart + indent + lines[lines.length - 1].length;
  }
  return start + offset;
}
