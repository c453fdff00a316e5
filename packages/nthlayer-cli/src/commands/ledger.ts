import { EntityLedgerResponse, EntitySlosResponse, cutForMessage, parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { BackendOptions, Log, getFromBackend } from './backendApi';
import { correlateMarkdown, correlateText, ledgerMarkdown, ledgerText } from './ledgerOutput';

/** Options of `nthlayer ledger` and `nthlayer correlate`, as commander hands them over. */
export interface LedgerCommandOptions extends BackendOptions {
  /** `text` (default), `json` or `markdown`. */
  format?: string;
  /** ledger: the slice of the SLO window (default: each SLO's own window). */
  window?: string;
  /** correlate: how far back (default 7d). */
  last?: string;
}

const FORMATS = ['text', 'json', 'markdown'] as const;
/** Reading the ledger is not permission-gated: a 403 comes from the token's access restrictions. */
const FORBIDDEN =
  'reading the ledger needs no NthLayer permission, only a token the backend accepts for the nthlayer plugin: check its accessRestrictions in backend.auth.externalAccess';

/** `kind:namespace/name`; a bare `name` is a Component in `default`, `kind:name` in `default`. */
export function entityPath(ref: string): string | undefined {
  const match = /^(?:([A-Za-z][\w-]*):)?(?:([\w.-]+)\/)?([\w.-]+)$/.exec(ref.trim());
  if (!match) return undefined;
  const [, kind = 'component', namespace = 'default', name] = match;
  return [kind.toLowerCase(), namespace, name].map(encodeURIComponent).join('/');
}

function checkWindow(value: string | undefined, option: string, log: Log): boolean {
  if (value === undefined) return true;
  const ms = parsePrometheusDuration(value);
  if (ms === undefined || ms < 3_600_000 || ms > 90 * 86_400_000) {
    log.err(`${option} must be a duration from 1h to 90d such as 7d or 30d, got "${cutForMessage(value, 40)}"`);
    return false;
  }
  return true;
}

async function readLedger(
  entity: string,
  window: string | undefined,
  options: LedgerCommandOptions,
  log: Log,
  failure: string,
): Promise<{ ledger: EntityLedgerResponse; slos: EntitySlosResponse } | undefined> {
  const path = entityPath(entity);
  if (!path) {
    log.err(`ENTITY must be an entity ref such as component:default/payment-api, got "${cutForMessage(entity, 80)}"`);
    return undefined;
  }
  const call = { failure, forbidden: FORBIDDEN };
  const ledgerBody = await getFromBackend(`api/nthlayer/v1/entities/${path}/ledger`, { window }, options, log, call);
  if (ledgerBody === undefined) return undefined;
  const slosText = await getFromBackend(`api/nthlayer/v1/entities/${path}/slos`, {}, options, log, call);
  if (slosText === undefined) return undefined;
  try {
    return { ledger: JSON.parse(ledgerBody), slos: JSON.parse(slosText) };
  } catch {
    log.err(`${failure}: the backend's answer is not JSON`);
    return undefined;
  }
}

/**
 * `nthlayer ledger ENTITY`: the error-budget ledger — per SLO the total, burned and remaining
 * budget, a bar, the forecast and what burned it (deploys, incidents, dependencies,
 * unattributed, the baseline) — from `GET .../ledger` and `.../slos` of the NthLayer backend.
 * Exit 0 with the ledger, 3 without one (unreachable, 401/403/404, a usage error).
 */
export async function ledgerCommand(entity: string, options: LedgerCommandOptions, log: Log): Promise<0 | 3> {
  const format = options.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    log.err(`--format must be text, json or markdown, got "${cutForMessage(format, 40)}"`);
    return 3;
  }
  if (!checkWindow(options.window, '--window', log)) return 3;
  const read = await readLedger(entity, options.window, options, log, 'no ledger');
  if (!read) return 3;
  if (format === 'json') log.out(`${JSON.stringify(read.ledger, null, 2)}\n`);
  else if (format === 'markdown') log.out(ledgerMarkdown(read.ledger, read.slos.slos));
  else log.out(ledgerText(read.ledger, read.slos.slos));
  return 0;
}

/**
 * `nthlayer correlate ENTITY --last 7d`: the service's deploys in that time with their impact
 * (high, medium, low or clean), confidence and the budget they burned. Exit 0 when none burned
 * with medium or high confidence, 1 with a medium one, 2 with a high one (a CI step can stop on
 * it), 3 without an answer.
 */
export async function correlateCommand(entity: string, options: LedgerCommandOptions, log: Log): Promise<0 | 1 | 2 | 3> {
  const format = options.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    log.err(`--format must be text, json or markdown, got "${cutForMessage(format, 40)}"`);
    return 3;
  }
  const last = options.last ?? '7d';
  if (!checkWindow(last, '--last', log)) return 3;
  const read = await readLedger(entity, last, options, log, 'no correlation');
  if (!read) return 3;
  const { deployments, entityRef } = read.ledger;
  if (format === 'json') log.out(`${JSON.stringify({ entityRef, window: last, deployments }, null, 2)}\n`);
  else if (format === 'markdown') log.out(correlateMarkdown(entityRef, last, deployments));
  else log.out(correlateText(entityRef, last, deployments));
  const burning = deployments.filter(d => d.burnedMinutes > 0);
  if (burning.some(d => d.impact === 'high')) return 2;
  if (burning.some(d => d.impact === 'medium')) return 1;
  return 0;
}
