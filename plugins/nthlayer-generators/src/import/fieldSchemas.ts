import {
  ACCEPTED_RUNBOOK_URL,
  ACCEPTED_TIERS,
  ACCEPTED_WINDOWS,
  ServiceType,
  parseCalendarWindow,
  parseRunbookUrl,
  parseSloWindow,
  parseTier,
} from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';

/** What a percentage field accepts. */
export const ACCEPTED_PERCENT = 'a percentage greater than 0 and less than 100, e.g. 99.95';

const SERVICE_TYPES: ServiceType[] = ['api', 'worker', 'stream'];

/** `99.9`, `"99.9"` or `"99.9%"` as a number; anything else is left for zod to reject. */
function numeric(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().replace(/%$/, '');
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : value;
}

/** A percentage strictly between 0 and 100. */
export const percentSchema = z.preprocess(
  numeric,
  z
    .number({ invalid_type_error: ACCEPTED_PERCENT, required_error: ACCEPTED_PERCENT })
    .gt(0, ACCEPTED_PERCENT)
    .lt(100, ACCEPTED_PERCENT),
);

/** A positive number (thresholds, latency). */
export const positiveSchema = z.preprocess(
  numeric,
  z.number({ invalid_type_error: 'a positive number' }).positive('a positive number'),
);

/** A tier: 1-3, `tier-1..3`, `critical`, `standard`, `low`. */
export const tierSchema = z
  .union([z.string(), z.number()], { errorMap: () => ({ message: ACCEPTED_TIERS }) })
  .transform((value, ctx) => {
    const tier = parseTier(String(value));
    if (!tier) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${ACCEPTED_TIERS}, or tier-1..3` });
      return z.NEVER;
    }
    return tier;
  });

/** A service type. */
export const serviceTypeSchema = z
  .string({ invalid_type_error: SERVICE_TYPES.join(', ') })
  .transform((value, ctx) => {
    const type = value.trim().toLowerCase() as ServiceType;
    if (!SERVICE_TYPES.includes(type)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: SERVICE_TYPES.join(', ') });
      return z.NEVER;
    }
    return type;
  });

/** An SLO window NthLayer understands (rolling or calendar). */
export const windowSchema = z
  .string({ invalid_type_error: ACCEPTED_WINDOWS })
  .refine(
    text => Boolean(parseSloWindow(text) ?? parseCalendarWindow(text, 'UTC')),
    ACCEPTED_WINDOWS,
  );

/** A non-empty name. */
export const nameSchema = z
  .string({ invalid_type_error: 'a non-empty string', required_error: 'a non-empty string' })
  .trim()
  .min(1, 'a non-empty string');

/** A percentile: `95`, `99.9`, `p99`. */
export const percentileSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const n = Number(String(value).trim().replace(/^p/i, ''));
    if (!(n >= 50 && n < 100)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'a percentile between 50 and 99.99, e.g. 95 or p99',
      });
      return z.NEVER;
    }
    return n;
  });

const TECHNOLOGY_ALIASES: Record<string, string> = {
  postgres: 'postgresql',
  pg: 'postgresql',
  psql: 'postgresql',
  mongo: 'mongodb',
  elastic: 'elasticsearch',
  es: 'elasticsearch',
  rabbit: 'rabbitmq',
  memcache: 'memcached',
};

/** Lower-cased technology with common aliases resolved (`postgres` → `postgresql`). */
export function normalizeTechnology(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const lower = value.trim().toLowerCase();
  return TECHNOLOGY_ALIASES[lower] ?? lower;
}

/** `critical`/`high` criticality marks a dependency critical for the availability ceiling. */
export function isCriticalLevel(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return ['critical', 'high'].includes(value.trim().toLowerCase());
}

/** A runbook base URL: one http(s) URL of bounded length, as `nthlayer.dev/runbook-url`. */
export const runbookSchema = z
  .string({ invalid_type_error: ACCEPTED_RUNBOOK_URL })
  .transform((value, ctx) => {
    const url = parseRunbookUrl(value);
    if (url === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: ACCEPTED_RUNBOOK_URL });
      return z.NEVER;
    }
    return url;
  });
