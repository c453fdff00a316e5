import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { GateRuleResult, GateVerdict } from '@nthlayer/backstage-plugin-common';

/**
 * Pure formatting and validation for the deploy gate card. No clock: callers pass `now`.
 */

const VERDICT_RANK: Record<GateVerdict, number> = {
  allow: 0,
  warn: 1,
  block: 2,
};

/** The rules that decided the verdict first (block, then warn), the rest after, each in order. */
export function sortRules(rules: GateRuleResult[]): GateRuleResult[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort(
      (a, b) =>
        (VERDICT_RANK[b.rule.verdict] ?? 0) -
          (VERDICT_RANK[a.rule.verdict] ?? 0) || a.index - b.index,
    )
    .map(({ rule }) => rule);
}

/** How a rule's condition came out: `fired`, `not met`, `exempt` (deploy label) or `error`. */
export function resultLabel(result: GateRuleResult['result']): string {
  switch (result) {
    case 'true':
      return 'fired';
    case 'false':
      return 'not met';
    default:
      return result;
  }
}

function isRatioName(name: string): boolean {
  return /remaining|budget/i.test(name);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toFixed(3)));
}

/**
 * A value a rule read, for people: ratios (names with `remaining` or `budget`) as percentages
 * with one decimal (`0.042` → `4.2 %`), other numbers with at most three decimals, `unknown`
 * for a missing value; lists and objects item by item.
 */
export function formatValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return 'unknown';
  if (typeof value === 'number') {
    return isRatioName(name) && Number.isFinite(value)
      ? `${(value * 100).toFixed(1)} %`
      : formatNumber(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return `[${value.map(item => formatValue(name, item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return 'unknown';
    return `{${entries
      .map(([key, item]) => `${key}: ${formatValue(`${name}.${key}`, item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/**
 * A rule's values as `[path, text]` lines: nested objects flattened to dotted paths
 * (`budget.remaining = 15.1 %`, `burn.1h = 0.2`), a list of dependencies as their names with
 * their remaining budget and tier (`auth-api 79.9 % (tier 1)`), everything else as
 * {@link formatValue} writes it.
 */
export function flattenValues(values: Record<string, unknown>): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  const walk = (path: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) walk(`${path}.${key}`, item);
      return;
    }
    if (Array.isArray(value) && value.length > 0 && value.every(v => v && typeof v === 'object' && 'name' in v)) {
      const items = value.map(v => {
        const d = v as { name: unknown; remaining?: unknown; tier?: unknown };
        const remaining = typeof d.remaining === 'number' ? `${(d.remaining * 100).toFixed(1)} %` : 'unknown';
        const tier = d.tier === null || d.tier === undefined ? '' : ` (tier ${d.tier})`;
        return `${String(d.name)} ${remaining}${tier}`;
      });
      lines.push([path, items.join(', ')]);
      return;
    }
    lines.push([path, formatValue(path, value)]);
  };
  for (const [name, value] of Object.entries(values)) walk(name, value);
  return lines;
}

/** `jane` for `user:default/jane`; any other principal (`service:ci`, other namespaces) as is. */
export function formatPrincipal(principal: string | null | undefined): string {
  if (!principal) return 'unknown';
  try {
    const ref = parseEntityRef(principal);
    if (
      ref.kind.toLocaleLowerCase('en-US') === 'user' &&
      ref.namespace.toLocaleLowerCase('en-US') === 'default' &&
      principal.includes(':')
    ) {
      return ref.name;
    }
  } catch {
    // not an entity ref: shown as is
  }
  return principal;
}

/** `1 Mar 2026, 14:00` in `timeZone` (default: the browser's); `never` for null. */
export function formatTime(
  iso: string | null | undefined,
  timeZone?: string,
): string {
  if (!iso) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(time);
}

/** The expiry choices of the override dialog: hours, or a date and time picked. */
export type ExpiryChoice = '1' | '4' | '24' | 'custom';

export const EXPIRY_CHOICES: Array<{ value: ExpiryChoice; label: string }> = [
  { value: '1', label: '1 hour' },
  { value: '4', label: '4 hours' },
  { value: '24', label: '24 hours' },
  { value: 'custom', label: 'Custom date and time' },
];

/** Shortest reason the dialog accepts (after trimming). */
export const MIN_REASON_LENGTH = 10;

/** What is wrong with the override form, per field; empty when it can be sent. */
export interface OverrideFormProblems {
  reason?: string;
  expiresAt?: string;
}

/**
 * Checks the override form and computes the expiry (ISO 8601): `now` plus the hours
 * chosen, or the custom local date-time (`YYYY-MM-DDTHH:mm`), which must be in the future.
 * The backend checks the upper bound (`nthlayer.gates.maxOverrideDuration`).
 */
export function checkOverrideForm(
  form: { reason: string; expiry: ExpiryChoice; customAt: string },
  now: Date,
): { problems: OverrideFormProblems; expiresAt?: string } {
  const problems: OverrideFormProblems = {};
  const reason = form.reason.trim();
  if (reason.length < MIN_REASON_LENGTH) {
    problems.reason = `Give a reason of at least ${MIN_REASON_LENGTH} characters (${reason.length} so far).`;
  }
  let expiresAt: string | undefined;
  if (form.expiry === 'custom') {
    const time = form.customAt ? new Date(form.customAt).getTime() : NaN;
    if (Number.isNaN(time)) {
      problems.expiresAt = 'Pick the date and time the override ends.';
    } else if (time <= now.getTime()) {
      problems.expiresAt = 'The override must end in the future.';
    } else {
      expiresAt = new Date(time).toISOString();
    }
  } else {
    expiresAt = new Date(
      now.getTime() + Number(form.expiry) * 3_600_000,
    ).toISOString();
  }
  return { problems, expiresAt: problems.expiresAt ? undefined : expiresAt };
}

/** The message to show for a failed request: the backend's own when it gave one. */
export function requestErrorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    const message = error.cause?.message || error.message;
    if (error.statusCode === 403) {
      return `You may not change this entity's gate: ${message}`;
    }
    return message;
  }
  return error instanceof Error ? error.message : String(error);
}
