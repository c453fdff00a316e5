import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { PAGERDUTY_SERVICE_ID_ANNOTATION } from '@nthlayer/backstage-plugin-generators';

/** Reads the NthLayer-managed entities (those with `nthlayer.dev/tier`) from the catalog. */
export class CatalogReader {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /**
   * Managed entities and every other entity mapped to a PagerDuty service by
   * `pagerduty.com/service-id` (a database, a queue): whose incidents are stored.
   */
  readPagerDutyEntities(): Promise<Entity[]> {
    return this.#stream([
      { [`metadata.annotations.${NTHLAYER_ANNOTATIONS.tier}`]: CATALOG_FILTER_EXISTS },
      { [`metadata.annotations.${PAGERDUTY_SERVICE_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
    ]);
  }

  readManagedEntities(): Promise<Entity[]> {
    return this.#stream({ [`metadata.annotations.${NTHLAYER_ANNOTATIONS.tier}`]: CATALOG_FILTER_EXISTS });
  }

  /** Every entity matching `filter`, read as the plugin with only the fields NthLayer needs. */
  async #stream(filter: Record<string, string | symbol> | Array<Record<string, string | symbol>>): Promise<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    const pages = this.catalog.streamEntities(
      { filter, fields: ['kind', 'metadata', 'spec', 'relations'] },
      { credentials },
    );
    for await (const page of pages) entities.push(...page);
    return entities;
  }
}
