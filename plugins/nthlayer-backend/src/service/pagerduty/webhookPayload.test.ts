import { InputError } from '@backstage/errors';
import { parsePagerDutyWebhook } from './webhookPayload';
import { parsePagerDutyWebhook as reExported } from './webhookSignature';

function delivery(
  eventType: string,
  data: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {},
) {
  return {
    event: {
      id: '01DEN7Q6FJXQ4MYGMK2X9RRQ7N',
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: '2026-12-03T10:15:00.000Z',
      agent: { id: 'PUSER01', type: 'user_reference' },
      data,
      ...extra,
    },
  };
}

const incident = {
  id: 'PINC001',
  type: 'incident',
  self: 'https://api.pagerduty.com/incidents/PINC001',
  html_url: 'https://acme.pagerduty.com/incidents/PINC001',
  number: 1234,
  status: 'triggered',
  incident_key: 'abc',
  created_at: '2026-12-03T10:00:00Z',
  title: 'Checkout latency high',
  service: {
    id: 'PSVC001',
    type: 'service_reference',
    summary: 'checkout-api',
  },
  assignees: [],
  escalation_policy: { id: 'PPOL001', type: 'escalation_policy_reference' },
  teams: [],
  priority: { id: 'PPRI001', type: 'priority_reference', summary: 'P1' },
  urgency: 'high',
  conference_bridge: null,
  resolve_reason: null,
};

describe('parsePagerDutyWebhook', () => {
  it('reads a triggered incident', () => {
    expect(
      parsePagerDutyWebhook(delivery('incident.triggered', incident)),
    ).toEqual({
      eventId: '01DEN7Q6FJXQ4MYGMK2X9RRQ7N',
      eventType: 'incident.triggered',
      occurredAt: '2026-12-03T10:15:00.000Z',
      incident: {
        id: 'PINC001',
        number: 1234,
        title: 'Checkout latency high',
        status: 'triggered',
        urgency: 'high',
        priority: 'P1',
        serviceId: 'PSVC001',
        createdAt: '2026-12-03T10:00:00.000Z',
        url: 'https://acme.pagerduty.com/incidents/PINC001',
      },
    });
    expect(reExported).toBe(parsePagerDutyWebhook);
  });

  it('takes the resolution time from resolved_at, else from a resolved event', () => {
    const resolved = { ...incident, status: 'resolved', priority: null };
    expect(
      parsePagerDutyWebhook(delivery('incident.resolved', resolved)).incident,
    ).toMatchObject({
      status: 'resolved',
      priority: null,
      resolvedAt: '2026-12-03T10:15:00.000Z',
    });
    const withTime = { ...resolved, resolved_at: '2026-12-03T10:14:00Z' };
    expect(
      parsePagerDutyWebhook(delivery('incident.resolved', withTime)).incident
        ?.resolvedAt,
    ).toBe('2026-12-03T10:14:00.000Z');
    // A priority change of an open incident is no resolution.
    const reprioritised = parsePagerDutyWebhook(
      delivery('incident.priority_updated', {
        ...incident,
        status: 'acknowledged',
        priority: { id: 'PPRI002', summary: null },
      }),
    ).incident!;
    expect(reprioritised.resolvedAt).toBeUndefined();
    expect(reprioritised.priority).toBe('PPRI002');
    expect(reprioritised.status).toBe('acknowledged');
  });

  it('reads the raw body too', () => {
    const raw = JSON.stringify(
      delivery('incident.acknowledged', {
        ...incident,
        status: 'acknowledged',
      }),
    );
    expect(parsePagerDutyWebhook(Buffer.from(raw)).incident?.status).toBe(
      'acknowledged',
    );
    expect(parsePagerDutyWebhook(raw).eventType).toBe('incident.acknowledged');
  });

  it('gives no incident for other event types, without an error', () => {
    const note = {
      id: 'PNOTE01',
      type: 'incident_note',
      content: 'looking',
      incident: { id: 'PINC001' },
    };
    expect(parsePagerDutyWebhook(delivery('incident.annotated', note))).toEqual(
      {
        eventId: '01DEN7Q6FJXQ4MYGMK2X9RRQ7N',
        eventType: 'incident.annotated',
        occurredAt: '2026-12-03T10:15:00.000Z',
      },
    );
    expect(
      parsePagerDutyWebhook(delivery('pagey.ping', undefined)).incident,
    ).toBeUndefined();
    expect(
      parsePagerDutyWebhook(
        delivery('service.updated', { id: 'PSVC001', type: 'service' }),
      ).incident,
    ).toBeUndefined();
  });

  it('throws an InputError naming what is wrong with a malformed delivery', () => {
    /** The error's class and message, or "no error". */
    const thrown = (body: unknown): string => {
      try {
        parsePagerDutyWebhook(body);
        return 'no error';
      } catch (e) {
        return `${e instanceof InputError ? 'InputError' : 'other error'}: ${
          (e as Error).message
        }`;
      }
    };
    const error = (body: unknown): string => {
      const text = thrown(body);
      expect(text.startsWith('InputError: ')).toBe(true);
      return text.slice('InputError: '.length);
    };
    expect(error('{not json')).toBe('The PagerDuty webhook body is not JSON');
    expect(error({ messages: [] })).toBe(
      'Malformed PagerDuty webhook: body.event: Required',
    );
    expect(
      error({
        event: {
          id: 'E1',
          event_type: 'incident.triggered',
          occurred_at: 'yesterday',
        },
      }),
    ).toBe(
      'Malformed PagerDuty webhook: body.event.occurred_at: an ISO 8601 time',
    );
    expect(
      error(
        delivery('incident.triggered', { ...incident, status: 'sleeping' }),
      ),
    ).toBe(
      "Malformed PagerDuty webhook incident.triggered event 01DEN7Q6FJXQ4MYGMK2X9RRQ7N: event.data.status: Invalid enum value. Expected 'triggered' | 'acknowledged' | 'resolved', received 'sleeping'",
    );
    const { service: _service, ...noService } = incident;
    expect(error(delivery('incident.triggered', noService))).toBe(
      'Malformed PagerDuty webhook incident.triggered event 01DEN7Q6FJXQ4MYGMK2X9RRQ7N: event.data.service: Required',
    );
    expect(error(delivery('incident.resolved', undefined))).toMatch(
      /event\.data: Required/,
    );
  });
});
