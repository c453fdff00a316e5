import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { Finding, NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';

const ANNOTATION = NTHLAYER_ANNOTATIONS.serviceFile;
const ACCEPTED =
  'a URL the Backstage UrlReader can read (an integration or backend.reading.allow entry for its host), or a path relative to the entity\'s source location (backstage.io/source-location or backstage.io/managed-by-location of type url)';

/** What reading an entity's service file gave: its text, or why not. */
export interface ServiceFileText {
  /** The resolved location, when one could be determined. */
  location?: string;
  text?: string;
  findings: Finding[];
}

function unreadable(value: string, reason: string): ServiceFileText {
  return {
    findings: [
      {
        severity: 'error',
        annotation: ANNOTATION,
        value,
        accepted: ACCEPTED,
        message: `${ANNOTATION}: "${value}" could not be read: ${reason}. Artifacts are generated from the entity alone.`,
      },
    ],
  };
}

/**
 * Reads the NthLayer service.yaml an entity points at with `nthlayer.dev/service-file`,
 * through Backstage's UrlReader. Relative paths resolve against the entity's source
 * location the way the catalog resolves relative targets (`ScmIntegrations.resolveUrl`).
 */
export class ServiceFileReader {
  constructor(
    private readonly deps: { urlReader: UrlReaderService; integrations: ScmIntegrationRegistry },
  ) {}

  /** Resolves the annotation to an absolute URL; throws with a reason when it cannot. */
  resolveLocation(entity: Entity, raw: string): string {
    const value = raw.trim().replace(/^url:/, '');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
    let base: { type: string; target: string };
    try {
      base = getEntitySourceLocation(entity);
    } catch {
      throw new Error('it is a relative path and the entity has no source location');
    }
    if (base.type !== 'url') {
      throw new Error(
        `it is a relative path and the entity's location "${base.type}:${base.target}" is not a url location the UrlReader can read from`,
      );
    }
    return this.deps.integrations.resolveUrl({ url: value, base: base.target });
  }

  /** Undefined text and no findings when the entity has no service file. */
  async read(entity: Entity): Promise<ServiceFileText> {
    const raw = entity.metadata.annotations?.[ANNOTATION];
    if (raw === undefined) return { findings: [] };
    if (!raw.trim()) return unreadable(raw, 'the annotation is empty');
    let location: string;
    try {
      location = this.resolveLocation(entity, raw);
    } catch (error) {
      return unreadable(raw, (error as Error).message);
    }
    try {
      const response = await this.deps.urlReader.readUrl(location);
      const text = (await response.buffer()).toString('utf8');
      return { location, text, findings: [] };
    } catch (error) {
      return { location, ...unreadable(raw, `${location}: ${(error as Error).message}`) };
    }
  }
}
