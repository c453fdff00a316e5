import {
  EntityIncidentsResponse,
  NthlayerIncident,
} from '@nthlayer/backstage-plugin-common';

/** Test fixtures for the incidents card (entity `component:default/checkout-api`). */

export const ENTITY_REF = 'component:default/checkout-api';

export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

/** A triggered high-urgency P1 incident, open for two hours, read from a webhook. */
export const openIncident = (
  overrides: Partial<NthlayerIncident> = {},
): NthlayerIncident => ({
  id: 'Q2KJ8WZ9X4ABCD',
  serviceId: 'PCHKOUT',
  number: '1234',
  title: 'Checkout error budget burning 14.4x',
  status: 'triggered',
  urgency: 'high',
  priority: 'P1',
  url: 'https://acme.pagerduty.com/incidents/Q2KJ8WZ9X4ABCD',
  createdAt: minutesAgo(120),
  resolvedAt: null,
  source: 'webhook',
  ...overrides,
});

/** A low-urgency incident without priority, resolved 45 minutes after it was created. */
export const resolvedIncident = (
  overrides: Partial<NthlayerIncident> = {},
): NthlayerIncident => ({
  id: 'Q1ZZ7YX6W5EFGH',
  serviceId: 'PCHKOUT',
  number: '1201',
  title: 'Checkout latency above 500 ms',
  status: 'resolved',
  urgency: 'low',
  priority: null,
  url: 'https://acme.pagerduty.com/incidents/Q1ZZ7YX6W5EFGH',
  createdAt: minutesAgo(3 * 24 * 60),
  resolvedAt: minutesAgo(3 * 24 * 60 - 45),
  source: 'poll',
  ...overrides,
});

/** The incidents route's answer: PagerDuty configured, service `PCHKOUT`. */
export const incidents = (
  list: NthlayerIncident[] = [],
  overrides: Partial<EntityIncidentsResponse> = {},
): EntityIncidentsResponse => ({
  entityRef: ENTITY_REF,
  configured: true,
  serviceId: 'PCHKOUT',
  incidents: list,
  open: list.filter(i => i.status !== 'resolved').length,
  count7d: list.filter(
    i => Date.parse(i.createdAt) >= Date.now() - 7 * 24 * 3600_000,
  ).length,
  ...overrides,
});

/** What the route answers without a PagerDuty token. */
export const notConfigured: EntityIncidentsResponse = {
  entityRef: ENTITY_REF,
  configured: false,
  serviceId: null,
  incidents: [],
  open: 0,
  count7d: 0,
};
