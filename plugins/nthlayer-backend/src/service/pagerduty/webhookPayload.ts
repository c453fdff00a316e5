import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** The incident of a PagerDuty v3 webhook event, as NthLayer stores it. @public */
export interface PagerDutyWebhookIncident {
  id: string;
  /** The incident number (`#1234`), unique in the account. */
  number: number | null;
  title: string | null;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: string | null;
  /** The priority's name (`P1`; its id when it has no name), or null. */
  priority: string | null;
  serviceId: string;
  /** ISO time the incident was created. */
  createdAt: string;
  /** ISO time it was resolved: `data.resolved_at` when sent, else `occurred_at` of an `incident.resolved` event. */
  resolvedAt?: string;
  /** The incident in PagerDuty's web app. */
  url: string | null;
}

/** A PagerDuty v3 webhook event. @public */
export interface PagerDutyWebhookEvent {
  /** The event's id: the same on every delivery of the event (replays are recognised by it). */
  eventId: string;
  eventType: string;
  /** ISO time of the event. */
  occurredAt: string;
  /** For incident lifecycle events; undefined for any other event type. */
  incident?: PagerDutyWebhookIncident;
}

/**
 * The event types whose `data` is the incident itself (`type: 'incident'`). Other
 * `incident.*` events carry other objects (a note for `incident.annotated`, a responder
 * request, a status update, ...) and, like `pagey.ping` and any new type, give no incident.
 */
export const PAGERDUTY_INCIDENT_EVENT_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.priority_updated',
] as const;

const time = z
  .string()
  .refine(value => !Number.isNaN(Date.parse(value)), 'an ISO 8601 time');

const envelope = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    occurred_at: time,
    data: z.unknown().optional(),
  }),
});

const incident = z
  .object({
    id: z.string().min(1),
    type: z.literal('incident'),
    number: z.number().int().optional(),
    incident_number: z.number().int().optional(),
    title: z.string().nullish(),
    status: z.enum(['triggered', 'acknowledged', 'resolved']),
    urgency: z.string().nullish(),
    priority: z
      .object({ id: z.string().nullish(), summary: z.string().nullish() })
      .passthrough()
      .nullish(),
    service: z.object({ id: z.string().min(1) }).passthrough(),
    created_at: time,
    resolved_at: time.nullish(),
    html_url: z.string().nullish(),
  })
  .passthrough();

function problems(error: z.ZodError, prefix: string): string {
  return error.issues
    .map(i => `${[prefix, ...i.path].join('.')}: ${i.message}`)
    .join('; ');
}

/**
 * Reads a PagerDuty v3 webhook delivery: `{ event: { id, event_type, occurred_at, data } }`,
 * where `data` of an incident lifecycle event (see {@link PAGERDUTY_INCIDENT_EVENT_TYPES})
 * is the incident: `{ id, type: 'incident', number, title, status, urgency, priority,
 * service: { id }, created_at, html_url, … }`.
 *
 * Accepts the parsed JSON or the raw body (string or Buffer). Unknown event types give an
 * event without incident (not an error). Throws an `InputError` that names the faulty
 * fields when the body is not JSON, has no `event` with a string `id`, `event_type` and a
 * time `occurred_at`, or when an incident event's `data` is not an incident with an id,
 * a status of `triggered` / `acknowledged` / `resolved`, a service id and a creation time.
 *
 * Assumptions, from PagerDuty's v3 webhook documentation (not in the REST OpenAPI file):
 * one event per delivery; `priority` is `null` when the incident has none; `resolved_at`
 * may be absent, in which case an `incident.resolved` event's `occurred_at` is the
 * resolution time.
 *
 * @public
 */
export function parsePagerDutyWebhook(body: unknown): PagerDutyWebhookEvent {
  let value = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(body.toString());
    } catch {
      throw new InputError('The PagerDuty webhook body is not JSON');
    }
  }
  const parsed = envelope.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `Malformed PagerDuty webhook: ${problems(parsed.error, 'body')}`,
    );
  }
  const {
    id,
    event_type: eventType,
    occurred_at: occurredAt,
    data,
  } = parsed.data.event;
  const event: PagerDutyWebhookEvent = {
    eventId: id,
    eventType,
    occurredAt: new Date(occurredAt).toISOString(),
  };
  if (
    !(PAGERDUTY_INCIDENT_EVENT_TYPES as readonly string[]).includes(eventType)
  )
    return event;
  const i = incident.safeParse(data);
  if (!i.success) {
    throw new InputError(
      `Malformed PagerDuty webhook ${eventType} event ${id}: ${problems(
        i.error,
        'event.data',
      )}`,
    );
  }
  const d = i.data;
  const resolvedAt =
    d.resolved_at ??
    (eventType === 'incident.resolved' ? occurredAt : undefined);
  event.incident = {
    id: d.id,
    number: d.number ?? d.incident_number ?? null,
    title: d.title ?? null,
    status: d.status,
    urgency: d.urgency ?? null,
    priority: d.priority ? d.priority.summary ?? d.priority.id ?? null : null,
    serviceId: d.service.id,
    createdAt: new Date(d.created_at).toISOString(),
    ...(resolvedAt ? { resolvedAt: new Date(resolvedAt).toISOString() } : {}),
    url: d.html_url ?? null,
  };
  return event;
}
