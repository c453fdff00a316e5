import { DriftSeverity } from '@nthlayer/backstage-plugin-common';
import { PagerDutyDesiredState } from './generatePagerDuty';
import {
  ObservedPagerDuty,
  ObservedPagerDutyReference,
  ObservedPagerDutySchedule,
  canonicalJson,
  scheduledActionText,
} from './observePagerDuty';

/**
 * The comparison of a desired PagerDuty state with what runs, shared by the drift check
 * ({@link diffPagerDuty}) and the apply plan ({@link planPagerDutyApply}), so that what
 * the plan changes is exactly what drift reports.
 *
 * Compared, for the fields the desired state sets:
 *
 * - service: `name`, `description` (info); `status` (warning; `warning` and `critical`
 *   are `active` with open incidents, so equal to `active`); `escalation_policy`,
 *   `incident_urgency_rule` (`type`, `urgency`, the urgency during and outside support
 *   hours), `support_hours`, `scheduled_actions`, `acknowledgement_timeout`,
 *   `auto_resolve_timeout` (warning);
 * - escalation policy: `description`, `on_call_handoff_notifications`, `teams` (info);
 *   `num_loops`, the number of rules, each rule's `escalation_delay_in_minutes` and
 *   `targets` (warning);
 * - each schedule: `description`, layer `name` (info); `time_zone`, the number of layers,
 *   each layer's `rotation_virtual_start` (as an instant), `rotation_turn_length_seconds`,
 *   `users` and `restrictions` (warning);
 * - the team: only whether it exists. It is shared by all services of the owner, and its
 *   description names the service whose desired state created it: comparing it would
 *   make every other service of the team drift.
 *
 * Never compared: the names by which objects were found (equal by construction), ids,
 * `self`, `html_url`, `summary`, `created_at` and every other field PagerDuty assigns or
 * the desired state does not set; a layer's `start` (PagerDuty moves it when a layer is
 * edited; the rotation is fixed by `rotation_virtual_start`); anything that refers to a
 * placeholder PagerDuty id NthLayer cannot know (`nthlayer:user:…`: the layer's `users`
 * are then not compared). References to placeholders of objects of the desired state
 * (`nthlayer:schedule:…`, `nthlayer:team:…`, `nthlayer:escalation_policy:…`) are compared
 * by the name of that object: equal when PagerDuty refers to the object of that name.
 */

/** An object of the desired state. @public */
export type PagerDutyResource =
  | 'team'
  | 'schedule'
  | 'escalation_policy'
  | 'service';

/** One field that differs. @public */
export interface PagerDutyDifference {
  resource: PagerDutyResource;
  /** The schedule's index in the desired state's `schedules`. */
  index?: number;
  /** The object's path in the desired state: `team`, `schedules[0]`, `escalation_policy`, `service`. */
  object: string;
  /** The field within the object, as PagerDuty names it: `escalation_rules[0].targets`. */
  field: string;
  /** Normalised text of what NthLayer generates. */
  expected: string;
  /** Normalised text of what runs. */
  actual: string;
  severity: DriftSeverity;
}

/** An object of the desired state that PagerDuty does not have. @public */
export interface PagerDutyMissingObject {
  resource: PagerDutyResource;
  index?: number;
  object: string;
  name: string;
  severity: DriftSeverity;
}

/** The result of {@link comparePagerDuty}. @public */
export interface PagerDutyComparison {
  missing: PagerDutyMissingObject[];
  differences: PagerDutyDifference[];
}

type Body = Record<string, unknown>;
type Ref = { id?: unknown; type?: unknown };

const NONE = '(none)';
const PLACEHOLDER = /^nthlayer:(team|user|schedule|escalation_policy):/;

/** True for an `nthlayer:<kind>:<key>` placeholder id. @public */
export function isPagerDutyPlaceholder(id: unknown): boolean {
  return typeof id === 'string' && PLACEHOLDER.test(id);
}

const asBody = (value: unknown): Body =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Body)
    : {};
const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];
const nameOf = (body: Body): string => String(body.name ?? '');

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (
    Array.isArray(value) &&
    value.every(v => typeof v === 'string' || typeof v === 'number')
  ) {
    return value.length === 0 ? NONE : value.join(', ');
  }
  return canonicalJson(value);
}

const LABELS: Record<string, string> = {
  team: 'team',
  schedule: 'schedule',
  escalation_policy: 'escalation policy',
  user: 'user',
  service: 'service',
};
const refKind = (type: unknown) =>
  String(type ?? '')
    .replace(/_reference$/, '')
    .replace(/_v3$/, '');

/**
 * The desired objects each placeholder stands for: `nthlayer:team:…` the team,
 * `nthlayer:escalation_policy:…` the escalation policy, `nthlayer:schedule:…` the schedule
 * whose name the placeholder's meaning quotes (else the schedule of the same position).
 * User placeholders stand for no object of the desired state and are left out.
 *
 * @public
 */
export function pagerDutyPlaceholderObjects(
  desired: PagerDutyDesiredState,
): Map<string, { resource: PagerDutyResource; name: string; index?: number }> {
  const result = new Map<
    string,
    { resource: PagerDutyResource; name: string; index?: number }
  >();
  const meanings = desired.nthlayer.placeholders ?? {};
  const scheduleNames = desired.schedules.map(s => nameOf(asBody(s.schedule)));
  const ids = new Set<string>(Object.keys(meanings));
  // Placeholders used without a meaning are resolved too.
  for (const rule of asList(
    asBody(desired.escalation_policy.escalation_policy).escalation_rules,
  )) {
    for (const target of asList(asBody(rule).targets)) {
      const id = asBody(target).id;
      if (typeof id === 'string' && isPagerDutyPlaceholder(id)) ids.add(id);
    }
  }
  let scheduleOrder = 0;
  for (const id of ids) {
    const kind = PLACEHOLDER.exec(id)?.[1];
    if (kind === 'team')
      result.set(id, {
        resource: 'team',
        name: nameOf(asBody(desired.team.team)),
      });
    if (kind === 'escalation_policy') {
      result.set(id, {
        resource: 'escalation_policy',
        name: nameOf(asBody(desired.escalation_policy.escalation_policy)),
      });
    }
    if (kind === 'schedule') {
      const meaning = meanings[id] ?? '';
      const quoted = scheduleNames.findIndex(
        n => n !== '' && meaning.includes(`"${n}"`),
      );
      const index = quoted >= 0 ? quoted : scheduleOrder;
      scheduleOrder += 1;
      if (index < scheduleNames.length) {
        result.set(id, {
          resource: 'schedule',
          name: scheduleNames[index],
          index,
        });
      }
    }
  }
  return result;
}

/** Keys (for equality) and texts (for people) of references. */
class References {
  readonly #placeholders: ReturnType<typeof pagerDutyPlaceholderObjects>;
  /** Ids of observed objects of the desired state, to the key of that object. */
  readonly #known = new Map<string, { key: string; text: string }>();

  constructor(desired: PagerDutyDesiredState, observed: ObservedPagerDuty) {
    this.#placeholders = pagerDutyPlaceholderObjects(desired);
    const know = (
      id: string | undefined,
      resource: PagerDutyResource,
      name: string,
    ) => {
      if (id) this.#known.set(`${resource}:${id}`, this.#named(resource, name));
    };
    know(observed.team?.id, 'team', nameOf(asBody(desired.team.team)));
    know(
      observed.escalationPolicy?.id,
      'escalation_policy',
      nameOf(asBody(desired.escalation_policy.escalation_policy)),
    );
    desired.schedules.forEach((s, i) =>
      know(observed.schedules[i]?.id, 'schedule', nameOf(asBody(s.schedule))),
    );
  }

  #named(resource: string, name: string) {
    return {
      key: `${resource}:name:${name}`,
      text: `${LABELS[resource] ?? resource} "${name}"`,
    };
  }

  /** The desired reference, or undefined when it is a placeholder nothing can resolve. */
  desired(ref: Ref): { key: string; text: string } | undefined {
    const kind = refKind(ref.type);
    const id = String(ref.id ?? '');
    if (isPagerDutyPlaceholder(id)) {
      const object = this.#placeholders.get(id);
      return object ? this.#named(object.resource, object.name) : undefined;
    }
    return (
      this.#known.get(`${kind}:${id}`) ?? {
        key: `${kind}:id:${id}`,
        text: `${LABELS[kind] ?? kind} ${id}`,
      }
    );
  }

  observed(ref: ObservedPagerDutyReference): { key: string; text: string } {
    const known = this.#known.get(`${ref.type}:${ref.id}`);
    if (known) return known;
    const label = LABELS[ref.type] ?? ref.type;
    return {
      key: `${ref.type}:id:${ref.id}`,
      text: ref.name
        ? `${label} "${ref.name}" (${ref.id})`
        : `${label} ${ref.id}`,
    };
  }
}

/** The texts of a list of references, sorted; undefined when one cannot be resolved. */
function desiredRefs(refs: References, list: unknown[]) {
  const resolved = list.map(r => refs.desired(asBody(r)));
  if (resolved.some(r => r === undefined)) return undefined;
  return resolved.map(r => r!).sort((a, b) => (a.key < b.key ? -1 : 1));
}

function observedRefs(refs: References, list: ObservedPagerDutyReference[]) {
  return list
    .map(r => refs.observed(r))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

const sameRefs = (a: Array<{ key: string }>, b: Array<{ key: string }>) =>
  a.length === b.length && a.every((r, i) => r.key === b[i].key);
const refText = (list: Array<{ text: string }>) =>
  list.length === 0 ? NONE : list.map(r => r.text).join(', ');

const sameInstant = (a: unknown, b: unknown) =>
  typeof a === 'string' &&
  typeof b === 'string' &&
  !Number.isNaN(Date.parse(a)) &&
  Date.parse(a) === Date.parse(b);

const enabled = (status: string) =>
  status === 'warning' || status === 'critical' ? 'active' : status;
const timeout = (value: unknown) =>
  value === null || value === undefined || value === 0 ? 'off' : show(value);

/** Compares a desired PagerDuty state with what runs; pure. @public */
export function comparePagerDuty(
  desired: PagerDutyDesiredState,
  observed: ObservedPagerDuty,
): PagerDutyComparison {
  const missing: PagerDutyMissingObject[] = [];
  const differences: PagerDutyDifference[] = [];
  const refs = new References(desired, observed);
  const differ = (
    resource: PagerDutyResource,
    object: string,
    index: number | undefined,
    field: string,
    expected: string,
    actual: string,
    severity: DriftSeverity,
    equal = expected === actual,
  ) => {
    if (equal) return;
    differences.push({
      resource,
      ...(index === undefined ? {} : { index }),
      object,
      field,
      expected,
      actual,
      severity,
    });
  };

  // The team: whether it exists.
  const team = asBody(desired.team.team);
  if (!observed.team)
    missing.push({
      resource: 'team',
      object: 'team',
      name: nameOf(team),
      severity: 'warning',
    });

  // The schedules.
  desired.schedules.forEach((body, index) => {
    const d = asBody(body.schedule);
    const o = observed.schedules[index];
    const object = `schedules[${index}]`;
    if (!o) {
      missing.push({
        resource: 'schedule',
        index,
        object,
        name: nameOf(d),
        severity: 'warning',
      });
      return;
    }
    compareSchedule(d, o, (field, expected, actual, severity, equal) =>
      differ(
        'schedule',
        object,
        index,
        field,
        expected,
        actual,
        severity,
        equal,
      ),
    );
  });

  // The escalation policy.
  const policy = asBody(desired.escalation_policy.escalation_policy);
  const observedPolicy = observed.escalationPolicy;
  if (!observedPolicy) {
    missing.push({
      resource: 'escalation_policy',
      object: 'escalation_policy',
      name: nameOf(policy),
      severity: 'critical',
    });
  } else {
    const field = (
      f: string,
      expected: string,
      actual: string,
      severity: DriftSeverity,
      equal?: boolean,
    ) =>
      differ(
        'escalation_policy',
        'escalation_policy',
        undefined,
        f,
        expected,
        actual,
        severity,
        equal,
      );
    if ('description' in policy)
      field(
        'description',
        show(policy.description),
        show(observedPolicy.description),
        'info',
      );
    if ('num_loops' in policy)
      field(
        'num_loops',
        show(policy.num_loops),
        show(observedPolicy.numLoops ?? 0),
        'warning',
      );
    if ('on_call_handoff_notifications' in policy) {
      field(
        'on_call_handoff_notifications',
        show(policy.on_call_handoff_notifications),
        show(observedPolicy.onCallHandoffNotifications ?? 'if_has_services'),
        'info',
      );
    }
    const rules = asList(policy.escalation_rules).map(asBody);
    field(
      'escalation_rules.length',
      String(rules.length),
      String(observedPolicy.rules.length),
      'warning',
    );
    rules.forEach((rule, i) => {
      const o = observedPolicy.rules[i];
      if (!o) return;
      field(
        `escalation_rules[${i}].escalation_delay_in_minutes`,
        show(rule.escalation_delay_in_minutes),
        show(o.delayMinutes),
        'warning',
      );
      const expected = desiredRefs(refs, asList(rule.targets));
      if (expected) {
        const actual = observedRefs(refs, o.targets);
        field(
          `escalation_rules[${i}].targets`,
          refText(expected),
          refText(actual),
          'warning',
          sameRefs(expected, actual),
        );
      }
    });
    if ('teams' in policy) {
      const expected = desiredRefs(refs, asList(policy.teams));
      if (expected) {
        const actual = observedRefs(refs, observedPolicy.teams);
        field(
          'teams',
          refText(expected),
          refText(actual),
          'info',
          sameRefs(expected, actual),
        );
      }
    }
  }

  // The service.
  const service = asBody(desired.service.service);
  const o = observed.service;
  if (!o) {
    missing.push({
      resource: 'service',
      object: 'service',
      name: nameOf(service),
      severity: 'critical',
    });
    return { missing, differences };
  }
  const field = (
    f: string,
    expected: string,
    actual: string,
    severity: DriftSeverity,
    equal?: boolean,
  ) =>
    differ(
      'service',
      'service',
      undefined,
      f,
      expected,
      actual,
      severity,
      equal,
    );
  if ('name' in service)
    field('name', show(service.name), show(o.name), 'info');
  if ('description' in service)
    field(
      'description',
      show(service.description),
      show(o.description),
      'info',
    );
  if (typeof service.status === 'string') {
    field(
      'status',
      service.status,
      show(o.status),
      'warning',
      enabled(service.status) === enabled(o.status ?? ''),
    );
  }
  if ('escalation_policy' in service) {
    const expected = refs.desired(asBody(service.escalation_policy));
    if (expected) {
      const actual = o.escalationPolicy
        ? refs.observed(o.escalationPolicy)
        : { key: NONE, text: NONE };
      field(
        'escalation_policy',
        expected.text,
        actual.text,
        'warning',
        expected.key === actual.key,
      );
    }
  }
  if ('incident_urgency_rule' in service) {
    const rule = asBody(service.incident_urgency_rule);
    const type = String(rule.type ?? 'constant');
    field(
      'incident_urgency_rule.type',
      type,
      show(o.urgencyRule.type ?? 'constant'),
      'warning',
    );
    if (type === 'constant') {
      field(
        'incident_urgency_rule.urgency',
        show(rule.urgency ?? 'high'),
        show(o.urgencyRule.urgency ?? 'high'),
        'warning',
      );
    }
    for (const [key, observedKey] of [
      ['during_support_hours', 'duringSupportHours'],
      ['outside_support_hours', 'outsideSupportHours'],
    ] as const) {
      if (!(key in rule)) continue;
      const d = asBody(rule[key]);
      const ob = o.urgencyRule[observedKey];
      field(
        `incident_urgency_rule.${key}.type`,
        show(d.type ?? 'constant'),
        show(ob ? ob.type ?? 'constant' : null),
        'warning',
      );
      field(
        `incident_urgency_rule.${key}.urgency`,
        show(d.urgency ?? 'high'),
        show(ob ? ob.urgency ?? 'high' : null),
        'warning',
      );
    }
  }
  if (service.support_hours) {
    const d = asBody(service.support_hours);
    const h = o.supportHours;
    const days = (list: unknown[]) =>
      show([...list].map(Number).sort((a, b) => a - b));
    if ('type' in d)
      field('support_hours.type', show(d.type), show(h?.type), 'warning');
    if ('time_zone' in d)
      field(
        'support_hours.time_zone',
        show(d.time_zone),
        show(h?.timeZone),
        'warning',
      );
    if ('days_of_week' in d)
      field(
        'support_hours.days_of_week',
        days(asList(d.days_of_week)),
        days(h?.daysOfWeek ?? []),
        'warning',
      );
    if ('start_time' in d)
      field(
        'support_hours.start_time',
        show(d.start_time),
        show(h?.startTime),
        'warning',
      );
    if ('end_time' in d)
      field(
        'support_hours.end_time',
        show(d.end_time),
        show(h?.endTime),
        'warning',
      );
  }
  if ('scheduled_actions' in service) {
    const expected = asList(service.scheduled_actions)
      .map(a => scheduledActionText(asBody(a)))
      .sort();
    field(
      'scheduled_actions',
      show(expected),
      show([...o.scheduledActions].sort()),
      'warning',
    );
  }
  if ('acknowledgement_timeout' in service) {
    field(
      'acknowledgement_timeout',
      timeout(service.acknowledgement_timeout),
      timeout(o.acknowledgementTimeout),
      'warning',
    );
  }
  if ('auto_resolve_timeout' in service) {
    field(
      'auto_resolve_timeout',
      timeout(service.auto_resolve_timeout),
      timeout(o.autoResolveTimeout),
      'warning',
    );
  }
  return { missing, differences };
}

function compareSchedule(
  d: Body,
  o: ObservedPagerDutySchedule,
  field: (
    f: string,
    expected: string,
    actual: string,
    severity: DriftSeverity,
    equal?: boolean,
  ) => void,
): void {
  if ('description' in d)
    field('description', show(d.description), show(o.description), 'info');
  if ('time_zone' in d)
    field('time_zone', show(d.time_zone), show(o.timeZone), 'warning');
  if (!('schedule_layers' in d)) return;
  const layers = asList(d.schedule_layers).map(asBody);
  field(
    'schedule_layers.length',
    String(layers.length),
    String(o.layers.length),
    'warning',
  );
  layers.forEach((layer, j) => {
    const ol = o.layers[j];
    if (!ol) return;
    const at = `schedule_layers[${j}]`;
    if ('name' in layer)
      field(`${at}.name`, show(layer.name), show(ol.name), 'info');
    field(
      `${at}.rotation_virtual_start`,
      show(layer.rotation_virtual_start),
      show(ol.rotationVirtualStart),
      'warning',
      sameInstant(layer.rotation_virtual_start, ol.rotationVirtualStart),
    );
    field(
      `${at}.rotation_turn_length_seconds`,
      show(layer.rotation_turn_length_seconds),
      show(ol.rotationTurnLengthSeconds),
      'warning',
    );
    const userIds = asList(layer.users).map(u => asBody(asBody(u).user).id);
    if (!userIds.some(isPagerDutyPlaceholder)) {
      field(
        `${at}.users`,
        show(userIds.map(String)),
        show(ol.userIds),
        'warning',
      );
    }
    const restrictions = asList(layer.restrictions).map(canonicalJson).sort();
    field(
      `${at}.restrictions`,
      show(restrictions),
      show([...ol.restrictions].sort()),
      'warning',
    );
  });
}
