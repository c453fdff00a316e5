import { PagerDutyDesiredState } from './generatePagerDuty';
import { PagerDutyClient } from './client';
import {
  PagerDutyResource,
  comparePagerDuty,
  isPagerDutyPlaceholder,
  pagerDutyPlaceholderObjects,
} from './comparePagerDuty';
import {
  PagerDutyRequestKind,
  pagerDutyRequestBodies,
} from './pagerDutyContract';
import { PagerDutyScheduleLayerObject } from './pagerDutyObjects';
import { ObservedPagerDuty } from './observePagerDuty';

/** One field a step changes, as normalised text. @public */
export interface PagerDutyFieldChange {
  /** The field as PagerDuty names it within the object: `escalation_rules[0].escalation_delay_in_minutes`. */
  field: string;
  from: string;
  to: string;
}

/** What applying does to one object of the desired state. @public */
export interface PagerDutyApplyStep {
  resource: PagerDutyResource;
  action: 'create' | 'update' | 'unchanged';
  /** The object's name in the desired state (by which NthLayer knows it). */
  name: string;
  /** For a schedule: its index in the desired state's `schedules`. */
  index?: number;
  /** The PagerDuty id of the object to update or left unchanged. */
  id?: string;
  /** For an update, the fields that change; empty otherwise. */
  changes: PagerDutyFieldChange[];
}

/** The steps, in the order they are applied: team, schedules, escalation policy, service. @public */
export interface PagerDutyApplyPlan {
  steps: PagerDutyApplyStep[];
}

/** What {@link applyPagerDutyPlan} did. @public */
export interface PagerDutyApplyResult {
  steps: Array<{
    resource: PagerDutyResource;
    name: string;
    index?: number;
    action: 'created' | 'updated' | 'unchanged';
    id: string;
  }>;
  /** The writes sent, in order. */
  requests: Array<{ method: 'POST' | 'PUT'; path: string }>;
}

/** Options of {@link applyPagerDutyPlan}. @public */
export interface PagerDutyApplyOptions {
  /**
   * PagerDuty user ids for the user placeholders (`nthlayer:user:<team>:<n>`) of schedule
   * layers NthLayer creates. Layers that already exist keep their users.
   */
  userIds?: Record<string, string>;
}

/** The reads and writes {@link applyPagerDutyPlan} makes. @public */
export type PagerDutyWriter = Pick<
  PagerDutyClient,
  | 'getSchedule'
  | 'getEscalationPolicy'
  | 'getService'
  | 'getTeam'
  | 'createTeam'
  | 'updateTeam'
  | 'createSchedule'
  | 'updateSchedule'
  | 'createEscalationPolicy'
  | 'updateEscalationPolicy'
  | 'createService'
  | 'updateService'
>;

type Body = Record<string, unknown>;
const asBody = (value: unknown): Body =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Body)
    : {};
const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];
const nameOf = (body: unknown): string => String(asBody(body).name ?? '');

/** The desired state's objects in apply order, with the names NthLayer knows them by. */
function objectsOf(desired: PagerDutyDesiredState) {
  return [
    { resource: 'team' as const, name: nameOf(desired.team.team) },
    ...desired.schedules.map((s, index) => ({
      resource: 'schedule' as const,
      name: nameOf(s.schedule),
      index,
    })),
    {
      resource: 'escalation_policy' as const,
      name: nameOf(desired.escalation_policy.escalation_policy),
    },
    { resource: 'service' as const, name: nameOf(desired.service.service) },
  ];
}

/**
 * The plan to make PagerDuty match the desired state: per object (team, each schedule,
 * escalation policy, service, in that order) `create` when PagerDuty has none, `update`
 * with the fields that differ (from / to, as {@link comparePagerDuty} compares them), or
 * `unchanged`. Pure; `observed` is read with {@link observePagerDuty}.
 *
 * @public
 */
export function planPagerDutyApply(
  desired: PagerDutyDesiredState,
  observed: ObservedPagerDuty,
): PagerDutyApplyPlan {
  const { differences } = comparePagerDuty(desired, observed);
  const observedId = (
    resource: PagerDutyResource,
    index?: number,
  ): string | undefined => {
    if (resource === 'team') return observed.team?.id;
    if (resource === 'schedule') return observed.schedules[index!]?.id;
    if (resource === 'escalation_policy') return observed.escalationPolicy?.id;
    return observed.service?.id;
  };
  return {
    steps: objectsOf(desired).map((object): PagerDutyApplyStep => {
      const index = 'index' in object ? object.index : undefined;
      const id = observedId(object.resource, index);
      const where = index === undefined ? {} : { index };
      if (!id)
        return {
          resource: object.resource,
          action: 'create',
          name: object.name,
          ...where,
          changes: [],
        };
      const changes = differences
        .filter(d => d.resource === object.resource && d.index === index)
        .map(d => ({ field: d.field, from: d.actual, to: d.expected }));
      return {
        resource: object.resource,
        action: changes.length > 0 ? 'update' : 'unchanged',
        name: object.name,
        ...where,
        id,
        changes,
      };
    }),
  };
}

const DONE = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
} as const;

/** Thrown before anything is written when the plan cannot be applied as it stands. @public */
export class PagerDutyApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PagerDutyApplyError';
  }
}

/** Replaces every placeholder string in `value`. */
function resolveDeep(value: unknown, resolve: (id: string) => string): unknown {
  if (typeof value === 'string')
    return isPagerDutyPlaceholder(value) ? resolve(value) : value;
  if (Array.isArray(value)) return value.map(v => resolveDeep(v, resolve));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]),
    );
  }
  return value;
}

/** The placeholders left in `value`. */
function placeholdersIn(
  value: unknown,
  found = new Set<string>(),
): Set<string> {
  if (typeof value === 'string' && isPagerDutyPlaceholder(value))
    found.add(value);
  else if (Array.isArray(value)) value.forEach(v => placeholdersIn(v, found));
  else if (value && typeof value === 'object')
    Object.values(value).forEach(v => placeholdersIn(v, found));
  return found;
}

/** Checks a body against the contract before it is sent. */
function checked<T>(kind: PagerDutyRequestKind, what: string, body: T): T {
  const left = [...placeholdersIn(body)];
  if (left.length > 0) {
    throw new PagerDutyApplyError(
      `${what}: unresolved placeholders ${left.join(', ')}`,
    );
  }
  const result = pagerDutyRequestBodies[kind].safeParse(body);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new PagerDutyApplyError(
      `${what}: the request body breaks PagerDuty's contract (${issues})`,
    );
  }
  return body;
}

/**
 * The schedule to send: the desired schedule, each layer updating the layer of its
 * position (its id) and keeping that layer's users when the desired users are
 * placeholders; layers that do not exist yet take their users from `userIds`.
 */
function scheduleBody(
  desired: Body,
  observedLayers: PagerDutyScheduleLayerObject[],
  userIds: Record<string, string>,
  unresolved: Set<string>,
): Body {
  const { id: _id, ...schedule } = desired;
  const layers = asList(desired.schedule_layers).map((value, j) => {
    const layer = asBody(value);
    const { id: _layerId, ...rest } = layer;
    const existing = observedLayers[j];
    const users = asList(layer.users).map(u =>
      String(asBody(asBody(u).user).id ?? ''),
    );
    let ids = users;
    if (users.some(isPagerDutyPlaceholder)) {
      const kept = (existing?.users ?? [])
        .map(u => u?.user?.id)
        .filter((id): id is string => typeof id === 'string');
      if (existing && kept.length > 0) ids = kept;
      else {
        ids = users.map(id =>
          isPagerDutyPlaceholder(id) ? userIds[id] ?? id : id,
        );
        ids.filter(isPagerDutyPlaceholder).forEach(id => unresolved.add(id));
      }
    }
    return {
      ...rest,
      ...(existing?.id ? { id: existing.id } : {}),
      users: ids.map(id => ({ user: { id, type: 'user_reference' } })),
    };
  });
  return 'schedule_layers' in desired
    ? { ...schedule, schedule_layers: layers }
    : schedule;
}

/**
 * Applies a plan of {@link planPagerDutyApply}: creates and updates, in dependency order —
 * the team, the schedules, the escalation policy (referring to the schedules' and the
 * team's ids), the service (referring to the policy's id) — and returns what it did.
 *
 * - It never deletes anything, and touches no object that is not in the desired state.
 * - It updates only objects it identifies as NthLayer's: the service of the
 *   `pagerduty.com/service-id` annotation, or an object whose name is the desired state's
 *   name for it (team, schedule, escalation policy, service). Each object to update is read
 *   first and its name (or the annotated id) checked again; names PagerDuty holds more than
 *   once are refused when the state is observed.
 * - The team is only ever created: it is shared by all services of the owner.
 * - Updates send the desired fields; a service's `status` only when the plan changes it
 *   (PagerDuty reports open incidents as status); existing schedule layers keep their
 *   users when the desired users are placeholders.
 * - Idempotent: after it, a new plan of the same desired state is all `unchanged`; an
 *   `unchanged` step sends nothing.
 * - Before any write it checks that the plan is of this desired state, that every user
 *   placeholder of a layer to create has an id in `userIds`, and every schedule body
 *   against the contract; every body is checked against the zod schemas of
 *   `pagerDutyContract.ts` before it is sent. A failure there throws
 *   {@link PagerDutyApplyError}.
 *
 * @public
 */
export async function applyPagerDutyPlan(
  client: PagerDutyWriter,
  desired: PagerDutyDesiredState,
  plan: PagerDutyApplyPlan,
  options: PagerDutyApplyOptions = {},
): Promise<PagerDutyApplyResult> {
  const objects = objectsOf(desired);
  const mismatch =
    plan.steps.length !== objects.length
      ? `${plan.steps.length} steps for ${objects.length} objects`
      : plan.steps
          .map((step, i) => ({ step, object: objects[i] }))
          .find(
            ({ step, object }) =>
              step.resource !== object.resource || step.name !== object.name,
          );
  if (mismatch) {
    const detail =
      typeof mismatch === 'string'
        ? mismatch
        : `${mismatch.step.resource} "${mismatch.step.name}" where ${mismatch.object.resource} "${mismatch.object.name}" is expected`;
    throw new PagerDutyApplyError(
      `The plan is not of the desired state of ${desired.nthlayer.service}: ${detail}`,
    );
  }
  for (const step of plan.steps) {
    if (step.action !== 'create' && !step.id) {
      throw new PagerDutyApplyError(
        `The plan's ${step.resource} "${step.name}" step (${step.action}) has no id`,
      );
    }
  }

  // Checks before any write: identity of what is updated, schedule bodies, user placeholders.
  const userIds = options.userIds ?? {};
  const unresolved = new Set<string>();
  const scheduleBodies = new Map<number, Body>();
  for (const step of plan.steps) {
    if (step.action !== 'update') continue;
    const id = step.id!;
    const refuse = (actual: string) => {
      throw new PagerDutyApplyError(
        `${step.resource} ${id} is named "${actual}", not "${step.name}": NthLayer updates only its own objects`,
      );
    };
    if (step.resource === 'schedule') {
      const current = await client.getSchedule(id);
      if (current.name !== step.name) refuse(String(current.name));
      const body = scheduleBody(
        asBody(desired.schedules[step.index!].schedule),
        current.schedule_layers ?? [],
        userIds,
        unresolved,
      );
      scheduleBodies.set(step.index!, body);
    } else if (step.resource === 'escalation_policy') {
      const current = await client.getEscalationPolicy(id);
      if (current.name !== step.name) refuse(String(current.name));
    } else if (step.resource === 'service') {
      const current = await client.getService(id);
      if (
        current.name !== step.name &&
        id !== desired.nthlayer.existingServiceId
      )
        refuse(String(current.name));
    } else {
      const current = await client.getTeam(id);
      if (current.name !== step.name) refuse(String(current.name));
    }
  }
  for (const step of plan.steps) {
    if (step.resource === 'schedule' && step.action === 'create') {
      scheduleBodies.set(
        step.index!,
        scheduleBody(
          asBody(desired.schedules[step.index!].schedule),
          [],
          userIds,
          unresolved,
        ),
      );
    }
  }
  const writing = (resource: PagerDutyResource) =>
    plan.steps.some(s => s.resource === resource && s.action !== 'unchanged');
  const others = [
    writing('team') ? desired.team : undefined,
    writing('escalation_policy') ? desired.escalation_policy : undefined,
    writing('service') ? desired.service : undefined,
  ];
  for (const id of placeholdersIn(others)) {
    if (id.startsWith('nthlayer:user:') && !userIds[id]) unresolved.add(id);
  }
  if (unresolved.size > 0) {
    throw new PagerDutyApplyError(
      `PagerDuty user ids are needed for ${[...unresolved]
        .sort()
        .join(', ')} (pass them as userIds); nothing was written`,
    );
  }
  for (const body of scheduleBodies.values()) {
    checked('schedule', `schedule "${nameOf(body)}"`, { schedule: body });
  }

  // The writes, in dependency order.
  const result: PagerDutyApplyResult = { steps: [], requests: [] };
  const ids = {
    team: undefined as string | undefined,
    schedules: [] as string[],
    policy: undefined as string | undefined,
  };
  const placeholderObjects = pagerDutyPlaceholderObjects(desired);
  const resolve = (placeholder: string): string => {
    const object = placeholderObjects.get(placeholder);
    let id: string | undefined = userIds[placeholder];
    if (object?.resource === 'team') id = ids.team;
    if (object?.resource === 'schedule') id = ids.schedules[object.index!];
    if (object?.resource === 'escalation_policy') id = ids.policy;
    return id ?? placeholder;
  };
  const done = (
    step: PagerDutyApplyStep,
    id: string,
    method?: 'POST' | 'PUT',
    path?: string,
  ) => {
    result.steps.push({
      resource: step.resource,
      name: step.name,
      ...(step.index === undefined ? {} : { index: step.index }),
      action: DONE[step.action],
      id,
    });
    if (method && path) result.requests.push({ method, path });
    return id;
  };

  for (const step of plan.steps) {
    if (step.action === 'unchanged') {
      const id = done(step, step.id!);
      if (step.resource === 'team') ids.team = id;
      if (step.resource === 'schedule') ids.schedules[step.index!] = id;
      if (step.resource === 'escalation_policy') ids.policy = id;
      continue;
    }
    if (step.resource === 'team') {
      const { id: _id, ...team } = asBody(desired.team.team);
      const body = checked('team', `team "${step.name}"`, { team });
      ids.team =
        step.action === 'create'
          ? done(step, (await client.createTeam(body)).id, 'POST', '/teams')
          : done(
              step,
              (await client.updateTeam(step.id!, body)).id,
              'PUT',
              `/teams/${step.id}`,
            );
    } else if (step.resource === 'schedule') {
      const body = { schedule: scheduleBodies.get(step.index!)! };
      ids.schedules[step.index!] =
        step.action === 'create'
          ? done(
              step,
              (await client.createSchedule(body)).id,
              'POST',
              '/schedules',
            )
          : done(
              step,
              (await client.updateSchedule(step.id!, body)).id,
              'PUT',
              `/schedules/${step.id}`,
            );
    } else if (step.resource === 'escalation_policy') {
      const { id: _id, ...policy } = asBody(
        resolveDeep(desired.escalation_policy.escalation_policy, resolve),
      );
      const body = checked(
        'escalationPolicy',
        `escalation policy "${step.name}"`,
        { escalation_policy: policy },
      );
      ids.policy =
        step.action === 'create'
          ? done(
              step,
              (await client.createEscalationPolicy(body)).id,
              'POST',
              '/escalation_policies',
            )
          : done(
              step,
              (await client.updateEscalationPolicy(step.id!, body)).id,
              'PUT',
              `/escalation_policies/${step.id}`,
            );
    } else {
      const {
        id: _id,
        status,
        ...service
      } = asBody(resolveDeep(desired.service.service, resolve));
      const sendStatus =
        step.action === 'create' ||
        step.changes.some(c => c.field === 'status');
      const fields =
        sendStatus && status !== undefined ? { ...service, status } : service;
      if (step.action === 'create') {
        const body = checked('createService', `service "${step.name}"`, {
          service: fields,
        });
        done(step, (await client.createService(body)).id, 'POST', '/services');
      } else {
        const body = checked('updateService', `service "${step.name}"`, {
          service: fields,
        });
        done(
          step,
          (await client.updateService(step.id!, body)).id,
          'PUT',
          `/services/${step.id}`,
        );
      }
    }
  }
  return result;
}
