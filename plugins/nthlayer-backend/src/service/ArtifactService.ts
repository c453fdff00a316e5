import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityArtifactsResponse,
  Finding,
  NTHLAYER_ANNOTATIONS,
  NthlayerService,
  ServiceModelOptions,
  parseNthlayerService,
} from '@nthlayer/backstage-plugin-common';
import {
  AlertCatalogue,
  Artifact,
  ArtifactKind,
  GeneratorInput,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  ServiceFileGate,
  generateArtifacts,
  generatorInputFromEntity,
  loadAlertCatalogue,
} from '@nthlayer/backstage-plugin-generators';
import { createHash } from 'node:crypto';
import { EntityReader } from './EntityReader';
import { SliSourceStore } from '../database/SliSourceStore';
import { applyOpenSloDocuments } from './ServiceDefinitions';
import { ServiceFileReader, ServiceFileText } from './ServiceFileReader';
import { SliResolver } from './SliResolver';

/** The PagerDuty service of an entity (the PagerDuty plugin's annotation). */
export const PAGERDUTY_SERVICE_ID = PAGERDUTY_SERVICE_ID_ANNOTATION;
/** Generated sets kept (by their inputs' identity); a set is a few tens of kB. */
const GENERATED_ENTRIES = 1_000;

/** A generated set without its entity ref. */
export type GeneratedSet = Omit<EntityArtifacts, 'entityRef'>;

/**
 * Generated sets a caller keeps of its own entities, beyond the shared cache (the drift task
 * keeps what it compares of every managed entity): by entity ref, the identity of the inputs
 * and what `keep` chose of the set generated from them. An entry is used, and replaced, only
 * for the same inputs.
 */
export interface GeneratedSetMemo {
  entries: Map<string, { key: string; set: GeneratedSet }>;
  keep(set: GeneratedSet): GeneratedSet;
  /**
   * Only these kinds are generated for the memo when the shared cache does not hold the set.
   * Such a partial set is kept in the memo alone, never handed to other callers.
   */
  kinds?: ArtifactKind[];
}

/** The generated artifacts of one entity, with everything found on the way. */
export interface EntityArtifacts {
  entityRef: string;
  artifacts: Artifact[];
  findings: Finding[];
  /** The service model the artifacts were generated from; absent when there is none. */
  service?: GeneratorInput['service'];
  /** Deploy gate thresholds of the service file (`DeploymentGate`), when it declares them. */
  gate?: ServiceFileGate;
  /** The dependencies generated for, with the service file's SLAs and criticality. */
  dependencies?: GeneratorInput['dependencies'];
}

/**
 * Generates an entity's configs (rules, technology alerts, OpenSLO, dashboard, PagerDuty):
 * builds the generator input from the catalog (service model, owner, resolved dependencies,
 * the optional service file) and runs every generator. Pure generation; nothing is stored.
 */
export class ArtifactService {
  #catalogue?: AlertCatalogue;
  readonly #entities: EntityReader;
  /** Generated sets by the identity of everything they were generated from; LRU order. */
  readonly #generated = new Map<string, Omit<EntityArtifacts, 'entityRef'>>();
  #generations = 0;
  readonly #maxGenerated: number;
  /** Byte sizes of the cached artifacts, and service models of the entity objects read. */
  readonly #sizes = new WeakMap<Artifact, number>();
  readonly #parsed = new WeakMap<Entity, ReturnType<typeof parseNthlayerService>>();
  /** The list answer of each generated set. */
  readonly #lists = new WeakMap<object, EntityArtifactsResponse>();

  constructor(
    private readonly deps: {
      /** Reads entities; a plain catalog gets an {@link EntityReader} with the default TTL. */
      entities?: EntityReader;
      catalog?: CatalogService;
      serviceFiles: ServiceFileReader;
      model: ServiceModelOptions;
      /** Loads the alert catalogue; defaults to the copy shipped with the generators. */
      loadCatalogue?: () => AlertCatalogue;
      /** The metric families the budget task resolved: artifacts query what the service exports. */
      sliSources?: SliSourceStore;
      /** Generated sets kept (default 1,000). */
      maxGenerated?: number;
    },
  ) {
    this.#maxGenerated = deps.maxGenerated ?? GENERATED_ENTRIES;
    if (!deps.entities && !deps.catalog) throw new Error('ArtifactService needs entities or catalog');
    this.#entities = deps.entities ?? new EntityReader({ catalog: deps.catalog! });
  }

  /** How many times the generators ran (a cache hit does not run them). */
  get generations(): number {
    return this.#generations;
  }

  /**
   * The entity's generated set. Generated once per distinct input: the entity and its
   * dependencies (by etag) and the service file (by content); list, get, zip and validation
   * of one page view share it.
   */
  async generate(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityArtifacts> {
    return this.generateFor(await this.#entity(ref, credentials), credentials);
  }

  async #entity(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<Entity> {
    const entity = await this.#entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${stringifyEntityRef(ref)} in the catalog`);
    return entity;
  }

  /**
   * The generated set of an entity already read (the drift task reads every managed entity
   * in one stream); its dependencies are read with `credentials`.
   */
  async generateFor(entity: Entity, credentials: BackstageCredentials, memo?: GeneratedSetMemo): Promise<EntityArtifacts> {
    const { entityRef, generated } = await this.#generatedSet(entity, credentials, memo);
    return { entityRef, ...generated, findings: [...generated.findings] };
  }

  /** The cached generated set of an entity (shared: never handed out to be changed). */
  async #generatedSet(
    entity: Entity,
    credentials: BackstageCredentials,
    memo?: GeneratedSetMemo,
  ): Promise<{ entityRef: string; generated: GeneratedSet }> {
    const entityRef = stringifyEntityRef(entity);
    let parsed = this.#parsed.get(entity);
    if (!parsed) {
      parsed = parseNthlayerService(entity, this.deps.model);
      this.#parsed.set(entity, parsed);
    }
    if (!parsed.service) return { entityRef, generated: { artifacts: [], findings: [...parsed.findings] } };
    const dependencyEntities = await this.#entities.getEntities(parsed.service.dependsOn, credentials);
    const [fileText, openSloText] = await Promise.all([
      this.deps.serviceFiles.read(entity),
      this.deps.serviceFiles.read(entity, NTHLAYER_ANNOTATIONS.openslo),
    ]);
    const sources = await this.deps.sliSources?.forEntity(entityRef);
    const sli = sources ? SliResolver.apply(parsed.service, [...sources.values()].map(v => v.resolution)).sli : undefined;
    const key = inputKey(entity, dependencyEntities, [fileText, openSloText], sli);
    let generated = this.#generated.get(key);
    if (generated) {
      this.#generated.delete(key);
    } else {
      const kept = memo?.entries.get(entityRef);
      if (kept?.key === key) return { entityRef, generated: kept.set };
      if (memo?.kinds) {
        const partial = memo.keep(this.#generate(entity, dependencyEntities, fileText, sli, openSloText, memo.kinds));
        memo.entries.set(entityRef, { key, set: partial });
        return { entityRef, generated: partial };
      }
      generated = this.#generate(entity, dependencyEntities, fileText, sli, openSloText);
      if (this.#generated.size >= this.#maxGenerated) {
        this.#generated.delete(this.#generated.keys().next().value!);
      }
    }
    this.#generated.set(key, generated);
    if (memo && memo.entries.get(entityRef)?.key !== key) memo.entries.set(entityRef, { key, set: memo.keep(generated) });
    return { entityRef, generated };
  }

  #generate(
    entity: Entity,
    dependencyEntities: Array<Entity | undefined>,
    fileText: ServiceFileText,
    sli: NthlayerService['sli'],
    openSloText: ServiceFileText,
    kinds?: ArtifactKind[],
  ): Omit<EntityArtifacts, 'entityRef'> {
    this.#generations++;
    const { input, findings, gate } = this.buildInput(entity, dependencyEntities, fileText, sli, openSloText);
    if (!input) return { artifacts: [], findings };
    const result = generateArtifacts(input, { catalogue: this.#alertCatalogue(), ...(kinds ? { kinds } : {}) });
    return {
      artifacts: result.artifacts,
      findings: [...findings, ...result.findings],
      service: input.service,
      dependencies: input.dependencies,
      ...(gate ? { gate } : {}),
    };
  }

  /**
   * The artifact list: one answer object per generated set, so the router serialises it once
   * for every request of the same inputs.
   */
  async list(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityArtifactsResponse> {
    const { entityRef, generated } = await this.#generatedSet(await this.#entity(ref, credentials), credentials);
    // A set's inputs include its entity, so one set is one entity's.
    let listed = this.#lists.get(generated);
    if (!listed) {
      listed = this.#listOf(entityRef, generated);
      this.#lists.set(generated, listed);
    }
    return listed;
  }

  #listOf(entityRef: string, { artifacts, findings }: Omit<EntityArtifacts, 'entityRef'>): EntityArtifactsResponse {
    return {
      entityRef,
      artifacts: artifacts.map(a => ({
        id: a.id,
        kind: a.kind,
        filename: a.filename,
        mediaType: a.mediaType,
        description: a.description,
        size: this.#size(a),
      })),
      findings: [...findings],
    };
  }

  #size(artifact: Artifact): number {
    let size = this.#sizes.get(artifact);
    if (size === undefined) {
      size = Buffer.byteLength(artifact.content, 'utf8');
      this.#sizes.set(artifact, size);
    }
    return size;
  }

  async get(ref: CompoundEntityRef, id: string, credentials: BackstageCredentials): Promise<Artifact> {
    const { entityRef, artifacts } = await this.generate(ref, credentials);
    const artifact = artifacts.find(a => a.id === id);
    if (!artifact) throw new NotFoundError(`${entityRef} has no generated artifact "${id}"`);
    return artifact;
  }

  /**
   * The generator input of an entity from what was read for it (its dependencies in the
   * order of `dependsOn`, the service file, the OpenSLO documents); null when it is not
   * NthLayer-managed.
   */
  buildInput(
    entity: Entity,
    dependencyEntities: Array<Entity | undefined>,
    fileText: ServiceFileText,
    sli?: NthlayerService['sli'],
    openSloText: ServiceFileText = { findings: [] },
  ): { input: GeneratorInput | null; findings: Finding[]; gate?: ServiceFileGate } {
    const serviceFile =
      fileText.text === undefined
        ? { findings: fileText.findings }
        : (() => {
            const { file, findings } = this.deps.serviceFiles.parse(fileText.text);
            return { file, findings: [...fileText.findings, ...findings] };
          })();
    const built = generatorInputFromEntity(entity, { model: this.deps.model, dependencyEntities, serviceFile, sli });
    if (!built.input) return built;
    const service = applyOpenSloDocuments(built.input.service, openSloText, this.deps.model, built.findings);
    return { ...built, input: { ...built.input, service } };
  }

  #alertCatalogue(): AlertCatalogue {
    this.#catalogue ??= (this.deps.loadCatalogue ?? (() => loadAlertCatalogue()))();
    return this.#catalogue;
  }
}

/** Identity of a generation's inputs: entities by uid and etag (content when absent), the file by content. */
function inputKey(
  entity: Entity,
  dependencies: Array<Entity | undefined>,
  files: ServiceFileText[],
  sli: NthlayerService['sli'],
): string {
  const hash = createHash('sha256');
  const add = (part: string) => hash.update(part).update('\u0000');
  const addEntity = (e: Entity | undefined) => {
    if (!e) add('missing');
    else add(e.metadata.etag ? `${e.metadata.uid}:${e.metadata.etag}` : JSON.stringify(e));
  };
  addEntity(entity);
  dependencies.forEach(addEntity);
  for (const file of files) {
    add(file.location ?? '');
    add(file.text ?? '\u0001none');
    add(JSON.stringify(file.findings));
  }
  add(JSON.stringify(sli ?? {}));
  return hash.digest('hex');
}

