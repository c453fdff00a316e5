import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntitySlosResponse,
  ServiceTier,
  TierDefaults,
  buildSloReport,
  parseNthlayerService,
} from '@internal/plugin-nthlayer-common';
import { MeasurementStore } from '../database/MeasurementStore';

/** Answers "what are this entity's SLOs and budgets?" from the catalog and the store. */
export class EntitySloService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      store: MeasurementStore;
      tiers: Record<ServiceTier, TierDefaults>;
    },
  ) {}

  async getEntitySlos(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntitySlosResponse> {
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    const entityRef = stringifyEntityRef(ref);
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const { service, findings } = parseNthlayerService(entity, { tiers: this.deps.tiers });
    if (!service) {
      return { entityRef, service: null, findings, slos: [] };
    }
    const measurements = await this.deps.store.listForEntity(service.entityRef);
    const slos = service.slos.map(slo =>
      buildSloReport(
        slo,
        measurements.find(m => m.sloName === slo.name),
      ),
    );
    return { entityRef: service.entityRef, service, findings, slos };
  }
}
