import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityArtifactsResponse,
  Finding,
  NTHLAYER_ANNOTATIONS,
  ServiceModelOptions,
  parseNthlayerService,
  parseSelector,
  parseTier,
} from '@nthlayer/backstage-plugin-common';
import {
  AlertCatalogue,
  Artifact,
  DependencyInput,
  GeneratorInput,
  applyServiceFile,
  entityRefName,
  generateArtifacts,
  loadAlertCatalogue,
} from '@nthlayer/backstage-plugin-generators';
import { ServiceFileReader } from './ServiceFileReader';

const PAGERDUTY_SERVICE_ID = 'pagerduty.com/service-id';
const PAGERDUTY_INTEGRATION_KEY = 'pagerduty.com/integration-key';

/** The generated artifacts of one entity, with everything found on the way. */
export interface EntityArtifacts {
  entityRef: string;
  artifacts: Artifact[];
  findings: Finding[];
  /** The service model the artifacts were generated from; absent when there is none. */
  service?: GeneratorInput['service'];
}

/**
 * Generates an entity's configs (rules, technology alerts, OpenSLO, dashboard, PagerDuty):
 * builds the generator input from the catalog (service model, owner, resolved dependencies,
 * the optional service file) and runs every generator. Pure generation; nothing is stored.
 */
export class ArtifactService {
  #catalogue?: AlertCatalogue;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      serviceFiles: ServiceFileReader;
      model: ServiceModelOptions;
      /** Loads the alert catalogue; defaults to the copy shipped with the generators. */
      loadCatalogue?: () => AlertCatalogue;
    },
  ) {}

  async generate(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityArtifacts> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const { input, findings } = await this.buildInput(entity, credentials);
    if (!input) return { entityRef, artifacts: [], findings };
    const result = generateArtifacts(input, { catalogue: this.#alertCatalogue() });
    return {
      entityRef,
      artifacts: result.artifacts,
      findings: [...findings, ...result.findings],
      service: input.service,
    };
  }

  async list(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityArtifactsResponse> {
    const { entityRef, artifacts, findings } = await this.generate(ref, credentials);
    return {
      entityRef,
      artifacts: artifacts.map(a => ({
        id: a.id,
        kind: a.kind,
        filename: a.filename,
        mediaType: a.mediaType,
        description: a.description,
        size: Buffer.byteLength(a.content, 'utf8'),
      })),
      findings,
    };
  }

  async get(ref: CompoundEntityRef, id: string, credentials: BackstageCredentials): Promise<Artifact> {
    const { entityRef, artifacts } = await this.generate(ref, credentials);
    const artifact = artifacts.find(a => a.id === id);
    if (!artifact) throw new NotFoundError(`${entityRef} has no generated artifact "${id}"`);
    return artifact;
  }

  /** The generator input of an entity; null when it is not NthLayer-managed. */
  async buildInput(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<{ input: GeneratorInput | null; findings: Finding[] }> {
    const parsed = parseNthlayerService(entity, this.deps.model);
    const findings = [...parsed.findings];
    if (!parsed.service) return { input: null, findings };
    let service = parsed.service;
    let dependencies = await this.#resolveDependencies(service.dependsOn, credentials, findings);
    const annotations = entity.metadata.annotations ?? {};
    const pagerduty: NonNullable<GeneratorInput['pagerduty']> = {
      serviceId: annotations[PAGERDUTY_SERVICE_ID],
      integrationKey: annotations[PAGERDUTY_INTEGRATION_KEY],
    };

    const fileText = await this.deps.serviceFiles.read(entity);
    findings.push(...fileText.findings);
    if (fileText.text !== undefined) {
      const { file, findings: parseFindings } = this.deps.serviceFiles.parse(fileText.text);
      findings.push(...parseFindings);
      if (file) {
        const applied = applyServiceFile(service, file, dependencies);
        findings.push(...applied.findings);
        service = applied.service;
        dependencies = applied.dependencies;
        pagerduty.serviceId ??= applied.pagerduty?.serviceId;
        pagerduty.integrationKey ??= applied.pagerduty?.integrationKey;
      }
    }
    return {
      input: {
        service,
        team: service.owner ? entityRefName(service.owner) : 'unknown',
        dependencies,
        ...(pagerduty.serviceId || pagerduty.integrationKey ? { pagerduty } : {}),
      },
      findings,
    };
  }

  async #resolveDependencies(
    refs: string[],
    credentials: BackstageCredentials,
    findings: Finding[],
  ): Promise<DependencyInput[]> {
    if (refs.length === 0) return [];
    const { items } = await this.deps.catalog.getEntitiesByRefs({ entityRefs: refs }, { credentials });
    return refs.map((ref, i) => this.#dependency(ref, items[i], findings));
  }

  #dependency(ref: string, entity: Entity | undefined, findings: Finding[]): DependencyInput {
    const { kind, name } = parseEntityRef(ref);
    if (kind.toLocaleLowerCase('en-US') === 'resource') {
      const spec = entity?.spec as { type?: unknown } | undefined;
      const technology =
        entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.technology] ??
        (typeof spec?.type === 'string' ? spec.type : undefined);
      const selector = this.#resourceSelector(ref, entity, findings);
      return {
        ref,
        name,
        kind: 'resource',
        ...(technology ? { technology: technology.trim().toLowerCase() } : {}),
        ...(selector ? { selector } : {}),
      };
    }
    const dependency: DependencyInput = { ref, name, kind: 'component' };
    const rawTier = entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier];
    const tier = rawTier ? parseTier(rawTier) : undefined;
    if (entity && tier) {
      dependency.tier = tier;
      const availability = parseNthlayerService(entity, this.deps.model).service?.slos.find(
        s => s.kind === 'availability',
      );
      if (availability) dependency.availabilityPercent = availability.targetPercent;
    }
    return dependency;
  }

  /** `nthlayer.dev/prometheus-selector` of a Resource: the matchers of its own series. */
  #resourceSelector(ref: string, entity: Entity | undefined, findings: Finding[]): string | undefined {
    const raw = entity?.metadata.annotations?.[NTHLAYER_ANNOTATIONS.prometheusSelector];
    if (raw === undefined) return undefined;
    const selector = parseSelector(raw);
    if (!selector) {
      findings.push({
        severity: 'warning',
        annotation: NTHLAYER_ANNOTATIONS.prometheusSelector,
        value: raw,
        accepted: 'label matchers such as instance="orders-db:9187" or {job="postgres",instance=~"orders-db.*"}',
        message: `${ref}: nthlayer.dev/prometheus-selector "${raw}" is not a list of label matchers; its technology alerts watch every instance of the exporter.`,
      });
    }
    return selector;
  }

  #alertCatalogue(): AlertCatalogue {
    this.#catalogue ??= (this.deps.loadCatalogue ?? (() => loadAlertCatalogue()))();
    return this.#catalogue;
  }
}
