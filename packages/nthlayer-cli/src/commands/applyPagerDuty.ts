import { cutForMessage } from '@nthlayer/backstage-plugin-common';
import {
  PagerDutyAmbiguousNameError,
  PagerDutyApiError,
  PagerDutyApplyError,
  PagerDutyApplyPlan,
  PagerDutyApplyResult,
  PagerDutyApplyStep,
  PagerDutyDesiredState,
  applyPagerDutyPlan,
  isPagerDutyPlaceholder,
  observePagerDuty,
  pagerDutyPlaceholderObjects,
  planPagerDutyApply,
} from '@nthlayer/backstage-plugin-generators';
import { formatFinding } from '../findings';
import { isUnusable, loadServiceArtifacts } from '../serviceArtifacts';
import { Log } from './backendApi';
import { DEFAULT_PAGERDUTY_URL, pagerDutyClient, parseBaseUrl, parseTimeout, shownUrl } from './targets';

/** Options of {@link applyPagerDutyCommand}, as commander hands them over. */
export interface ApplyPagerDutyOptions {
  /** PagerDuty REST API key; `PAGERDUTY_TOKEN` when absent. */
  pagerdutyToken?: string;
  /** Default `https://api.pagerduty.com`. */
  pagerdutyUrl?: string;
  /** `From` header of writes: the e-mail of a PagerDuty user. */
  from?: string;
  /** PagerDuty user ids for the schedules' on-call members, in order, or `PLACEHOLDER=ID`. */
  userId?: string[];
  dryRun?: boolean;
  format?: string;
  runbookUrl?: string;
  /** Per-request timeout in ms (default 30,000). */
  timeout?: string;
}

/** 0 applied or nothing to change, 1 changes pending (`--dry-run`), 2 invalid input or refused, 3 PagerDuty failed. */
export type ApplyPagerDutyExit = 0 | 1 | 2 | 3;

type Body = Record<string, unknown>;
const asBody = (value: unknown): Body =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};

const NOUN: Record<PagerDutyApplyStep['resource'], string> = {
  team: 'team',
  schedule: 'schedule',
  escalation_policy: 'escalation policy',
  service: 'service',
};

/** The user placeholders of a desired state in member order (`…:1`, `…:2`, …). */
function userPlaceholders(desired: PagerDutyDesiredState): string[] {
  const member = (id: string) => Number(/:(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return Object.keys(desired.nthlayer.placeholders ?? {})
    .filter(id => id.startsWith('nthlayer:user:'))
    .sort((a, b) => member(a) - member(b) || a.localeCompare(b));
}

/**
 * `--user-id` values as the `userIds` of the apply: each `PLACEHOLDER=ID` for that
 * placeholder, every other value for the next on-call member in order.
 */
export function parseUserIds(values: string[], desired: PagerDutyDesiredState): Record<string, string> | string {
  const placeholders = userPlaceholders(desired);
  const ids: Record<string, string> = {};
  const positional: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    const [key, id] = eq >= 0 ? [value.slice(0, eq), value.slice(eq + 1)] : [undefined, value];
    if (!/^[A-Za-z0-9]+$/.test(id)) {
      return `--user-id ${JSON.stringify(cutForMessage(value, 80))}: a PagerDuty user id is letters and digits, e.g. PABC123`;
    }
    if (key === undefined) positional.push(id);
    else if (!placeholders.includes(key)) {
      return `--user-id ${JSON.stringify(cutForMessage(value, 80))}: ${JSON.stringify(cutForMessage(key, 80))} is not a user placeholder of ${desired.nthlayer.service} (${placeholders.join(', ') || 'none'})`;
    } else ids[key] = id;
  }
  const free = placeholders.filter(p => !(p in ids));
  if (positional.length > free.length) {
    return `${positional.length} --user-id value(s) for ${free.length} on-call member(s) of ${desired.nthlayer.team} (${free.join(', ') || 'none left'})`;
  }
  positional.forEach((id, i) => (ids[free[i]] = id));
  return ids;
}

/** The desired body of a step's object, without the id NthLayer does not send. */
function desiredBody(desired: PagerDutyDesiredState, step: PagerDutyApplyStep): Body {
  const bodies: Record<PagerDutyApplyStep['resource'], () => unknown> = {
    team: () => desired.team.team,
    schedule: () => desired.schedules[step.index!].schedule,
    escalation_policy: () => desired.escalation_policy.escalation_policy,
    service: () => desired.service.service,
  };
  const { id: _id, ...rest } = asBody(bodies[step.resource]());
  return rest;
}

/** Every field a create sets, as `path: value`, references by the name of what they refer to. */
function createdFields(body: Body, desired: PagerDutyDesiredState, userIds: Record<string, string>): string[] {
  const objects = pagerDutyPlaceholderObjects(desired);
  const reference = (ref: Body): string => {
    const id = String(ref.id);
    const kind = String(ref.type ?? '').replace(/_reference$/, '');
    const object = objects.get(id);
    if (object) return `${NOUN[object.resource]} "${object.name}" (created or found above)`;
    if (id.startsWith('nthlayer:user:')) {
      return userIds[id] ? `user ${userIds[id]} (${id}, --user-id)` : `user ${id} (needs --user-id)`;
    }
    return `${kind.replace(/_/g, ' ')} ${id}`;
  };
  const lines: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.every(v => typeof v !== 'object' || v === null)) {
        lines.push(`${path}: ${value.length ? value.map(String).join(', ') : '(none)'}`);
      } else value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (value && typeof value === 'object') {
      const object = value as Body;
      if (typeof object.id === 'string' && /_reference$/.test(String(object.type ?? ''))) {
        lines.push(`${path}: ${reference(object)}`);
        return;
      }
      // `{ user: { id, type: 'user_reference' } }` of a layer's users is one reference.
      const keys = Object.keys(object);
      if (keys.length === 1 && asBody(object[keys[0]]).type === `${keys[0]}_reference`) {
        lines.push(`${path}: ${reference(asBody(object[keys[0]]))}`);
        return;
      }
      for (const [key, v] of Object.entries(object)) {
        if (path === '' && key === 'type') continue;
        walk(v, path ? `${path}.${key}` : key);
      }
      return;
    }
    lines.push(`${path}: ${value === null || value === undefined ? '(none)' : String(value)}`);
  };
  walk(body, '');
  return lines;
}

/** User placeholders of schedules to create that have no id: the apply would refuse them. */
function missingUserIds(desired: PagerDutyDesiredState, plan: PagerDutyApplyPlan, userIds: Record<string, string>): string[] {
  const missing = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string' && value.startsWith('nthlayer:user:') && isPagerDutyPlaceholder(value) && !userIds[value]) {
      missing.add(value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const step of plan.steps) {
    if (step.resource === 'schedule' && step.action === 'create') visit(desiredBody(desired, step));
  }
  return [...missing].sort();
}

function stepTitle(step: { resource: PagerDutyApplyStep['resource']; name: string; id?: string }): string {
  return `${NOUN[step.resource]} "${step.name}"${step.id ? ` (${step.id})` : ''}`;
}

function planText(
  desired: PagerDutyDesiredState,
  plan: PagerDutyApplyPlan,
  userIds: Record<string, string>,
  where: string,
): string[] {
  const lines = [`PagerDuty plan for ${desired.nthlayer.service} (${desired.nthlayer.entityRef}) at ${where}:`];
  for (const step of plan.steps) {
    lines.push(`  ${step.action.padEnd(9)} ${stepTitle(step)}`);
    if (step.action === 'create') {
      lines.push(...createdFields(desiredBody(desired, step), desired, userIds).map(l => `      + ${l}`));
    }
    for (const change of step.changes) lines.push(`      ~ ${change.field}: ${change.from} → ${change.to}`);
  }
  const count = (action: PagerDutyApplyStep['action']) => plan.steps.filter(s => s.action === action).length;
  lines.push(`plan: ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged`);
  return lines;
}

function resultText(result: PagerDutyApplyResult): string[] {
  const lines = result.steps.map(s => `  ${s.action.padEnd(9)} ${stepTitle(s)}`);
  const count = (action: string) => result.steps.filter(s => s.action === action).length;
  lines.push(
    `applied: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged; ${result.requests.length} write(s) sent`,
  );
  return lines;
}

/**
 * `nthlayer apply pagerduty <service-file>`: the plan to make PagerDuty match the desired
 * state NthLayer generates for the service (team, schedules, escalation policy, service),
 * field by field, then — without `--dry-run` — its idempotent apply: creates and updates,
 * never deletes. Exit 0 applied or nothing to change, 1 changes pending with `--dry-run`, 2
 * invalid input or refused before any write, 3 PagerDuty unreachable or answering an error.
 */
export async function applyPagerDutyCommand(
  serviceFile: string,
  options: ApplyPagerDutyOptions,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ApplyPagerDutyExit> {
  const format = options.format ?? 'text';
  if (!['text', 'json'].includes(format)) {
    log.err(`--format must be text or json, got "${cutForMessage(format, 40)}"`);
    return 2;
  }
  const timeoutMs = parseTimeout(options.timeout);
  if (!timeoutMs) {
    log.err(`--timeout ${JSON.stringify(cutForMessage(options.timeout ?? '', 40))} is not a positive number of milliseconds`);
    return 2;
  }
  const baseUrl = parseBaseUrl(options.pagerdutyUrl ?? DEFAULT_PAGERDUTY_URL);
  if (!baseUrl) {
    log.err(`--pagerduty-url ${JSON.stringify(cutForMessage(options.pagerdutyUrl ?? '', 200))} is not an http(s) URL`);
    return 2;
  }
  const token = options.pagerdutyToken ?? env.PAGERDUTY_TOKEN;
  if (!token) {
    log.err('a PagerDuty REST API key is required: --pagerduty-token T or PAGERDUTY_TOKEN');
    return 2;
  }
  if (options.from !== undefined && !/^[^\s@]+@[^\s@]+$/.test(options.from)) {
    log.err(`--from ${JSON.stringify(cutForMessage(options.from, 80))} is not an e-mail address (PagerDuty's From header names a user by e-mail)`);
    return 2;
  }
  const loaded = await loadServiceArtifacts(serviceFile, { kinds: ['pagerduty'], runbookUrl: options.runbookUrl });
  loaded.findings.forEach(f => log.err(formatFinding(f)));
  if (isUnusable(loaded)) {
    log.err(loaded.reason);
    return 2;
  }
  const artifact = loaded.artifacts.find(a => a.kind === 'pagerduty');
  if (!artifact) {
    log.err(`${serviceFile}: no PagerDuty desired state was generated`);
    return 2;
  }
  const desired = JSON.parse(artifact.content) as PagerDutyDesiredState;
  const userIds = parseUserIds(options.userId ?? [], desired);
  if (typeof userIds === 'string') {
    log.err(userIds);
    return 2;
  }

  const where = shownUrl(baseUrl);
  const client = pagerDutyClient({ token, baseUrl, timeoutMs, from: options.from });
  let plan: PagerDutyApplyPlan;
  try {
    const observed = await observePagerDuty(client, desired);
    const annotated = desired.nthlayer.existingServiceId;
    if (annotated && !observed.service) {
      log.err(
        `${serviceFile} names the PagerDuty service ${annotated}, which PagerDuty at ${where} does not have (404): ` +
          'fix its service id, or remove it to let NthLayer create the service. Nothing was written.',
      );
      return 2;
    }
    plan = planPagerDutyApply(desired, observed);
  } catch (error) {
    return failure(error, log, 'nothing was written');
  }

  const pending = plan.steps.some(s => s.action !== 'unchanged');
  const document: Record<string, unknown> = {
    service: desired.nthlayer.service,
    entityRef: desired.nthlayer.entityRef,
    pagerdutyUrl: where,
    dryRun: !!options.dryRun,
    plan,
  };
  const print = (exitCode: ApplyPagerDutyExit, lines: string[]) => {
    if (format === 'json') log.out(JSON.stringify({ ...document, exitCode }, null, 2));
    else log.out(lines.join('\n'));
    return exitCode;
  };
  const shown = planText(desired, plan, userIds, where);
  if (!pending) return print(0, [...shown, `nothing to change: PagerDuty matches the desired state of ${desired.nthlayer.service}`]);
  if (options.dryRun) {
    const missing = missingUserIds(desired, plan, userIds);
    document.missingUserIds = missing;
    return print(1, [
      ...shown,
      ...(missing.length ? [`apply needs PagerDuty user ids for ${missing.join(', ')}: --user-id ID (repeatable, in this order)`] : []),
      'dry run: nothing was written',
    ]);
  }
  let result: PagerDutyApplyResult;
  try {
    result = await applyPagerDutyPlan(client, desired, plan, { userIds });
  } catch (error) {
    if (format === 'text') log.out(shown.join('\n'));
    else log.out(JSON.stringify({ ...document, error: (error as Error).message }, null, 2));
    return failure(error, log, 'some writes may have been sent; run it again: it continues from what exists');
  }
  document.result = result;
  return print(0, [...shown, ...resultText(result)]);
}

function failure(error: unknown, log: Log, written: string): 2 | 3 {
  if (error instanceof PagerDutyApplyError) {
    const hint = /user ids are needed/.test(error.message)
      ? ' — give them with --user-id ID (repeatable, one per on-call member in order) or --user-id PLACEHOLDER=ID'
      : '';
    log.err(`not applied: ${error.message}${hint}`);
    return 2;
  }
  if (error instanceof PagerDutyAmbiguousNameError) {
    log.err(`not applied: ${error.message} Nothing was written.`);
    return 2;
  }
  if (error instanceof PagerDutyApiError) {
    log.err(`PagerDuty failed: ${error.message}; ${written}`);
    return 3;
  }
  throw error;
}
