import { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError } from '@backstage/errors';
import { EntityIncidentsResponse, NthlayerIncident, mapLimit } from '@nthlayer/backstage-plugin-common';
import { PagerDutyClient, PagerDutyIncidentObject } from '@nthlayer/backstage-plugin-generators';
import { IncidentStore, StoredIncident } from '../database/IncidentStore';
import { PAGERDUTY_SERVICE_ID } from './ArtifactService';
import { EntityReader } from './EntityReader';
import { parsePagerDutyWebhook, verifyPagerDutySignature } from './pagerduty/webhookSignature';

const DAY_MS = 86_400_000;
const LIST_LIMIT = 50;
/** Webhook event ids are kept this long to recognise replays (PagerDuty retries within hours). */
const DELIVERY_RETENTION_MS = 7 * DAY_MS;
const MAP_TTL_MS = 60_000;

/** What one incidents poll did. */
export interface IncidentPollSummary {
  services: number;
  incidents: number;
  inserted: number;
  updated: number;
}

/** The answer to a webhook delivery. */
export type WebhookOutcome = 'stored' | 'replayed' | 'ignored';

/**
 * PagerDuty incidents of managed services: read on the scheduler (`GET /incidents` by
 * service ids, all pages) and pushed by v3 webhooks (signature checked, replays ignored),
 * stored for the entity page and the gate's `incidents.*`. A service maps to an entity by
 * the `pagerduty.com/service-id` annotation, else by a PagerDuty service named like the
 * entity (looked up once per process).
 */
export class IncidentService {
  /** PagerDuty service id → entity ref, as the last poll mapped them. */
  #entityOf = new Map<string, string>();
  #serviceOf = new Map<string, string>();
  readonly #byName = new Map<string, string>();
  /** When the map was last built (ms), so a webhook for an unknown service re-maps at most once a minute. */
  #mappedAt = 0;

  constructor(
    private readonly deps: {
      store: IncidentStore;
      entities: EntityReader;
      readEntities: () => Promise<Entity[]>;
      /** Absent without a token: nothing is polled, webhooks still map by annotation. */
      client?: PagerDutyClient;
      /** Absent: PagerDuty is not configured at all. */
      configured: boolean;
      webhookSecrets: string[];
      lookbackDays: number;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  /** The incidents task: maps services to entities, reads their incidents, stores them. */
  async poll(): Promise<IncidentPollSummary> {
    const entities = await this.deps.readEntities();
    await this.#map(entities);
    const summary: IncidentPollSummary = { services: this.#entityOf.size, incidents: 0, inserted: 0, updated: 0 };
    const client = this.deps.client;
    if (!client || this.#entityOf.size === 0) return summary;
    const until = this.#now();
    const since = new Date(until.getTime() - this.deps.lookbackDays * DAY_MS);
    const ids = [...this.#entityOf.keys()];
    // PagerDuty takes many service ids a request; 50 keeps the URL short.
    for (let i = 0; i < ids.length; i += 50) {
      const incidents = await client.listIncidents({ serviceIds: ids.slice(i, i + 50), since, until });
      summary.incidents += incidents.length;
      for (const incident of incidents) {
        const outcome = await this.deps.store.upsert(this.#fromPoll(incident, until));
        if (outcome === 'inserted') summary.inserted++;
        if (outcome === 'updated') summary.updated++;
      }
    }
    await this.deps.store.pruneDeliveries(new Date(until.getTime() - DELIVERY_RETENTION_MS));
    return summary;
  }

  /** The entity of a service id; an unknown one re-reads the catalog (at most once a minute). */
  async #entityFor(serviceId: string): Promise<string | null> {
    const known = this.#entityOf.get(serviceId);
    if (known) return known;
    if (this.#now().getTime() - this.#mappedAt < MAP_TTL_MS) return null;
    await this.#map(await this.deps.readEntities());
    return this.#entityOf.get(serviceId) ?? null;
  }

  async #map(entities: Entity[]): Promise<void> {
    this.#mappedAt = this.#now().getTime();
    const entityOf = new Map<string, string>();
    const unmapped: Entity[] = [];
    for (const entity of entities) {
      const id = entity.metadata.annotations?.[PAGERDUTY_SERVICE_ID]?.trim();
      if (id) entityOf.set(id, stringifyEntityRef(entity));
      else unmapped.push(entity);
    }
    const client = this.deps.client;
    if (client) {
      await mapLimit(unmapped, 4, async entity => {
        const name = entity.metadata.name;
        let id = this.#byName.get(name);
        if (!id) {
          try {
            id = (await client.findServiceByName(name))?.id;
          } catch (error) {
            this.deps.logger.warn(`PagerDuty service of ${stringifyEntityRef(entity)} not looked up: ${(error as Error).message}`);
          }
          if (id) this.#byName.set(name, id);
        }
        if (id) entityOf.set(id, stringifyEntityRef(entity));
      });
    }
    this.#entityOf = entityOf;
    this.#serviceOf = new Map([...entityOf].map(([id, ref]) => [ref, id]));
  }

  #fromPoll(incident: PagerDutyIncidentObject, polledAt: Date) {
    const serviceId = incident.service.id;
    return {
      id: incident.id,
      entityRef: this.#entityOf.get(serviceId) ?? null,
      serviceId,
      number: incident.incident_number,
      title: incident.title,
      status: incident.status,
      urgency: incident.urgency,
      priority: incident.priority ? (incident.priority.summary ?? incident.priority.id) : null,
      url: incident.html_url ?? null,
      createdAt: incident.created_at,
      resolvedAt: incident.resolved_at ?? null,
      updatedAt: incident.updated_at ?? polledAt.toISOString(),
      source: 'poll',
    };
  }

  /**
   * A v3 webhook delivery: 401 (AuthenticationError) unless `X-PagerDuty-Signature` matches
   * the raw body under a configured secret — nothing is stored then; an event already
   * processed is `replayed` and ignored; events other than incidents are `ignored`.
   */
  async webhook(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    if (!verifyPagerDutySignature(rawBody, signature, this.deps.webhookSecrets)) {
      throw new AuthenticationError('The X-PagerDuty-Signature of this webhook does not match a configured secret');
    }
    const event = parsePagerDutyWebhook(rawBody);
    if (!event.incident) return 'ignored';
    if (!(await this.deps.store.recordDelivery(event.eventId, this.#now()))) return 'replayed';
    const incident = event.incident;
    await this.deps.store.upsert({
      id: incident.id,
      entityRef: await this.#entityFor(incident.serviceId),
      serviceId: incident.serviceId,
      number: incident.number,
      title: incident.title,
      status: incident.status,
      urgency: incident.urgency,
      priority: incident.priority,
      url: incident.url,
      createdAt: incident.createdAt,
      resolvedAt: incident.resolvedAt ?? null,
      updatedAt: event.occurredAt,
      source: 'webhook',
    });
    return 'stored';
  }

  /** The gate's `incidents.*`: null when PagerDuty is not configured. */
  async counts(entityRef: string): Promise<{ count7d: number; open: number } | null> {
    if (!this.deps.configured) return null;
    const since = new Date(this.#now().getTime() - 7 * DAY_MS);
    const [count7d, open] = await Promise.all([
      this.deps.store.countSince(entityRef, since),
      this.deps.store.openCount(entityRef),
    ]);
    return { count7d, open };
  }

  /** `GET .../incidents`. */
  /** True when PagerDuty is configured and the entity maps to a PagerDuty service. */
  isMapped(entityRef: string, annotations: Record<string, string> | undefined): boolean {
    return this.deps.configured && Boolean(annotations?.[PAGERDUTY_SERVICE_ID]?.trim() || this.#serviceOf.get(entityRef));
  }

  async entityIncidents(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityIncidentsResponse> {
    const entityRef = stringifyEntityRef(ref);
    // Managed services, and anything else mapped to a PagerDuty service by annotation (a
    // database a service depends on: its incidents feed the ledger of what depends on it).
    const found = await this.deps.entities.getEntity(ref, credentials);
    const entity = found?.metadata.annotations?.[PAGERDUTY_SERVICE_ID]?.trim()
      ? found
      : await this.deps.entities.getManagedEntity(ref, credentials);
    const serviceId =
      entity.metadata.annotations?.[PAGERDUTY_SERVICE_ID]?.trim() || this.#serviceOf.get(entityRef) || null;
    if (!this.deps.configured) {
      return { entityRef, configured: false, serviceId, incidents: [], open: 0, count7d: 0 };
    }
    const [incidents, counts] = await Promise.all([
      this.deps.store.listForEntity(entityRef, { limit: LIST_LIMIT }),
      this.counts(entityRef),
    ]);
    return { entityRef, configured: true, serviceId, incidents: incidents.map(toApi), ...counts! };
  }

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }
}

function toApi(incident: StoredIncident): NthlayerIncident {
  const { entityRef: _entityRef, updatedAt: _updatedAt, ...rest } = incident;
  return rest;
}
