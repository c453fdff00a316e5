import { ServiceTier, parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { promqlSyntaxErrors } from '../lint/promqlSyntax';
import { CatalogueRule } from './catalogue';
import { scopeSelectors } from './scopeSelectors';
import { technologyAlertName } from './technologyMap';

/** Severities each tier keeps (DESIGN §3). @public */
export const TIER_SEVERITIES: Record<ServiceTier, ReadonlyArray<string>> = {
  1: ['critical', 'warning', 'info'],
  2: ['critical', 'warning'],
  3: ['critical'],
};

/**
 * Catalogue rules Prometheus itself rejects, by catalogue service and rule name, with
 * promtool's reason (kept in step with `CONVERSION.md` by `conversionReport.test.ts`).
 */
export const PROMTOOL_REJECTED: Record<string, string> = {};

/** The `for` every converted alert gets at least (a single evaluation never fires). */
export const MIN_TECHNOLOGY_FOR = '1m';

/** Where a converted rule goes and what it is labelled with. */
export interface ConversionContext {
  serviceName: string;
  team: string;
  tier: ServiceTier;
  dependency: string;
  /** Catalogue service name, e.g. `PostgreSQL`. */
  catalogueService: string;
  runbookUrl?: string;
  /** Label matchers of the dependency's own series, added to every selector. */
  selector?: string;
}

/** A catalogue rule converted into a Prometheus alerting rule, or why it was not. */
export type ConversionOutcome =
  | { converted: true; rule: Record<string, unknown> }
  | { converted: false; reason: string };

const PLACEHOLDER = /"my-[^"]*"/;

function isZeroDuration(value: string | undefined): boolean {
  // Any spelling of zero (`0`, `00`, `0m`, `0h0m`) gets the minimum.
  return !value || parsePrometheusDuration(String(value), { numberAsSeconds: true }) === 0;
}

/** Runbook anchor of a rule: `Postgresql down` → `postgresql-down`. */
function anchor(ruleName: string): string {
  return ruleName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Verdicts per catalogue rule object: parsing every query with the PromQL grammar is the
 * costly part of a conversion, and a loaded catalogue never changes.
 */
const verdicts = new WeakMap<CatalogueRule, { service: string; reason: string | undefined }>();

/** Why a catalogue rule cannot be used as is, or undefined when it can. */
export function unconvertibleReason(
  catalogueService: string,
  rule: CatalogueRule,
): string | undefined {
  const cached = verdicts.get(rule);
  if (cached && cached.service === catalogueService) return cached.reason;
  const reason = computeUnconvertibleReason(catalogueService, rule);
  verdicts.set(rule, { service: catalogueService, reason });
  return reason;
}

function computeUnconvertibleReason(
  catalogueService: string,
  rule: CatalogueRule,
): string | undefined {
  const query = String(rule.query ?? '').trim();
  if (!query) return 'no query';
  const placeholder = PLACEHOLDER.exec(query);
  if (placeholder)
    return `needs a site-specific value (placeholder ${placeholder[0]} in the query)`;
  if (/^\s*replace\b/i.test(rule.comments ?? '')) {
    return `needs a site-specific value (${
      String(rule.comments)
        .trim()
        .split(/(?<=\.)\s/)[0]
    })`;
  }
  const syntax = promqlSyntaxErrors(query);
  if (syntax.length) return `PromQL syntax: ${syntax[0]}`;
  const rejected = PROMTOOL_REJECTED[`${catalogueService}/${rule.name}`];
  if (rejected) return `rejected by promtool check rules: ${rejected}`;
  return undefined;
}

/**
 * Converts one catalogue rule: CamelCase alert name prefixed by the technology, the
 * service's labels plus `dependency`, `for` raised to at least 1m, summary, description and
 * runbook_url annotations, selectors scoped to the dependency when it has a selector. Tier
 * filtering is the caller's.
 */
export function convertCatalogueRule(
  rule: CatalogueRule,
  ctx: ConversionContext,
): ConversionOutcome {
  const reason = unconvertibleReason(ctx.catalogueService, rule);
  if (reason) return { converted: false, reason };
  const alert = technologyAlertName(ctx.catalogueService, rule.name);
  const annotations: Record<string, string> = {
    summary: `${rule.name} (${ctx.dependency}, a dependency of ${ctx.serviceName})`,
    description: `${String(
      rule.description ?? rule.name,
    ).trim()}\n  VALUE = {{ $value }}\n  LABELS = {{ $labels }}`,
  };
  if (ctx.runbookUrl)
    annotations.runbook_url = `${ctx.runbookUrl}#${anchor(rule.name)}`;
  return {
    converted: true,
    rule: {
      alert,
      expr: ctx.selector
        ? scopeSelectors(String(rule.query).trim(), ctx.selector)
        : String(rule.query).trim(),
      for: isZeroDuration(rule.for) ? MIN_TECHNOLOGY_FOR : String(rule.for),
      labels: {
        severity: rule.severity,
        service: ctx.serviceName,
        team: ctx.team,
        tier: String(ctx.tier),
        dependency: ctx.dependency,
      },
      annotations,
    },
  };
}
