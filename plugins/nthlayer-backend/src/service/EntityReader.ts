import { AuthService, BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CompoundEntityRef, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { TtlCache } from './TtlCache';

/** Default time a catalog answer is reused for the same caller (one page view). */
export const DEFAULT_ENTITY_TTL_MS = 10_000;
const MAX_ENTRIES = 20_000;

/**
 * Reads entities from the catalog with the caller's credentials, so the catalog's
 * permissions decide what each caller sees, and reuses an answer for the same caller and
 * entity for a few seconds: one page view (card, history, artifacts) asks the catalog once.
 * A caller who loses access to an entity can still read its NthLayer data for at most the
 * TTL (`nthlayer.cache.entityTtl`, 0 turns it off).
 */
export class EntityReader {
  readonly #cache: TtlCache<Entity | undefined>;
  readonly #visible: TtlCache<Set<string>>;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      /**
       * Reads for service callers (CI tokens) are made with the plugin's own credentials: an
       * external access token restricted to this plugin may not be passed on to the catalog,
       * and services see the whole catalog anyway. Users' reads keep their own credentials.
       */
      auth?: AuthService;
      ttlMs?: number;
      clock?: () => number;
    },
  ) {
    this.#cache = new TtlCache({
      ttlMs: deps.ttlMs ?? DEFAULT_ENTITY_TTL_MS,
      maxEntries: MAX_ENTRIES,
      clock: deps.clock,
    });
    this.#visible = new TtlCache({ ttlMs: deps.ttlMs ?? DEFAULT_ENTITY_TTL_MS, maxEntries: 1000, clock: deps.clock });
  }

  /**
   * The refs (lower case) of the NthLayer-managed entities the caller may see, in one streamed
   * query of three fields: roll-ups show a user only what the catalog lets them read.
   */
  async visibleManagedRefs(credentials: BackstageCredentials): Promise<Set<string>> {
    return this.#visible.get(cacheKey(credentials, '*managed'), async () => {
      const refs = new Set<string>();
      const pages = this.deps.catalog.streamEntities(
        {
          filter: { [`metadata.annotations.${NTHLAYER_ANNOTATIONS.tier}`]: CATALOG_FILTER_EXISTS },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await this.#readAs(credentials) },
      );
      for await (const page of pages) for (const e of page) refs.add(stringifyEntityRef(e).toLowerCase());
      return refs;
    });
  }

  /**
   * The entity, when it is in the catalog and NthLayer manages it (it has `nthlayer.dev/tier`);
   * a NotFoundError (404) saying which otherwise.
   */
  async getManagedEntity(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<Entity> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    if (!entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier]) {
      throw new NotFoundError(`${entityRef} is not managed by NthLayer (no ${NTHLAYER_ANNOTATIONS.tier} annotation)`);
    }
    return entity;
  }

  getEntity(
    ref: CompoundEntityRef | string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const entityRef = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
    return this.#cache.get(cacheKey(credentials, entityRef), async () =>
      this.deps.catalog.getEntityByRef(entityRef, { credentials: await this.#readAs(credentials) }),
    );
  }

  /** Entities by ref, in order (undefined where missing); the uncached ones in one call. */
  async getEntities(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | undefined>> {
    if (refs.length === 0) return [];
    let batch: Promise<Array<Entity | undefined>> | undefined;
    const missing: string[] = [];
    const results = refs.map(ref =>
      this.#cache.get(cacheKey(credentials, ref), () => {
        missing.push(ref);
        const index = missing.length - 1;
        batch ??= Promise.resolve().then(async () => {
          const { items } = await this.deps.catalog.getEntitiesByRefs(
            { entityRefs: missing },
            { credentials: await this.#readAs(credentials) },
          );
          return items.map(item => item ?? undefined);
        });
        return batch.then(items => items[index]);
      }),
    );
    return Promise.all(results);
  }

  async #readAs(credentials: BackstageCredentials): Promise<BackstageCredentials> {
    if (this.deps.auth && credentials.principal && (credentials.principal as { type?: string }).type === 'service') {
      return this.deps.auth.getOwnServiceCredentials();
    }
    return credentials;
  }
}

function cacheKey(credentials: BackstageCredentials, entityRef: string): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  const who = principal.userEntityRef ?? principal.subject ?? '';
  // toLowerCase, not toLocaleLowerCase: the same key for the ASCII refs, at a tenth of the
  // cost (it is computed several times per request).
  return `${principal.type}\u0000${who}\u0000${entityRef.toLowerCase()}`;
}
