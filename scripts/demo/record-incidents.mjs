#!/usr/bin/env node
// Delivers the demo's PagerDuty incidents (scripts/demo/model.mjs, PAGERDUTY_INCIDENTS) to the
// running backend as PagerDuty v3 webhooks — incident.triggered, then incident.resolved — signed
// with the demo's webhook secret (app-config.yaml, nthlayer.pagerduty.webhookSecrets), as a
// PagerDuty webhook subscription would. No PagerDuty is reachable here; the payloads follow
// PagerDuty's v3 webhook format (event.id, event_type, occurred_at, data: the incident).
//
// Idempotent: a repeated event is a replay the backend ignores. Then it checks, as the demo's
// guest user, that each incident is stored on its entity; an incident stored before the backend
// knew its service is delivered again (a new event id) until it is, for up to 3 minutes.
//
//   node scripts/demo/record-incidents.mjs [--backend http://localhost:7007]
import { createHmac } from 'node:crypto';
import { arg, scenarioT0Ms } from './args.mjs';
import { pagerdutyIncidentsOf } from './model.mjs';

const backend = arg('backend') ?? 'http://localhost:7007';
const secret = process.env.NTHLAYER_DEMO_PAGERDUTY_SECRET ?? 'nthlayer-demo-webhook-secret';
const incidents = pagerdutyIncidentsOf(scenarioT0Ms());

function payload(incident, type, occurredAt, attempt) {
  const resolved = type === 'incident.resolved';
  return JSON.stringify({
    event: {
      id: `${incident.id}-${type}-${attempt}`,
      event_type: type,
      resource_type: 'incident',
      occurred_at: occurredAt,
      agent: null,
      client: null,
      data: {
        id: incident.id,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${incident.id}`,
        html_url: `https://nthlayer-demo.pagerduty.com/incidents/${incident.id}`,
        number: incident.number,
        status: resolved ? 'resolved' : 'triggered',
        incident_key: `${incident.id.toLowerCase()}`,
        created_at: incident.createdAt,
        ...(resolved ? { resolved_at: incident.resolvedAt } : {}),
        title: incident.title,
        service: {
          html_url: `https://nthlayer-demo.pagerduty.com/services/${incident.serviceId}`,
          id: incident.serviceId,
          self: `https://api.pagerduty.com/services/${incident.serviceId}`,
          summary: incident.entityRef.split('/').pop(),
          type: 'service_reference',
        },
        assignees: [],
        escalation_policy: null,
        teams: [],
        priority: null,
        urgency: incident.urgency,
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  });
}

async function deliver(body) {
  const signature = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  for (;;) {
    const res = await fetch(`${backend}/api/nthlayer/v1/webhooks/pagerduty`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-PagerDuty-Signature': signature },
      body,
    }).catch(error => ({ ok: false, status: 0, text: async () => String(error.cause?.code ?? error) }));
    if (res.ok) return;
    const text = await res.text();
    if (![0, 404, 503].includes(res.status) || Date.now() > deadline) {
      throw new Error(`demo: webhook not accepted: ${res.status} ${text}`);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

async function guestToken() {
  const res = await fetch(`${backend}/api/auth/guest/refresh?env=development`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  if (!res.ok) throw new Error(`demo: guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/** The incidents not yet stored on their entity. */
async function missing(token) {
  const out = [];
  for (const incident of incidents) {
    const [kind, rest] = incident.entityRef.split(':');
    const [namespace, name] = rest.split('/');
    const res = await fetch(`${backend}/api/nthlayer/v1/entities/${kind}/${namespace}/${name}/incidents`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = res.ok ? await res.json() : { incidents: [] };
    if (!body.incidents.some(i => i.id === incident.id)) out.push(incident);
  }
  return out;
}

const deadline = Date.now() + 180_000;
let pending = incidents;
for (let attempt = 1; pending.length; attempt++) {
  for (const incident of pending) {
    await deliver(payload(incident, 'incident.triggered', incident.createdAt, attempt));
    if (incident.resolvedAt) await deliver(payload(incident, 'incident.resolved', incident.resolvedAt, attempt));
  }
  pending = await missing(await guestToken());
  if (!pending.length) break;
  if (Date.now() > deadline) {
    console.error(`demo: incidents not stored on their entities: ${pending.map(i => i.id).join(', ')}`);
    process.exit(1);
  }
  await new Promise(r => setTimeout(r, 15_000));
}
console.log(`demo: delivered ${incidents.length} PagerDuty incidents as signed webhooks`);
