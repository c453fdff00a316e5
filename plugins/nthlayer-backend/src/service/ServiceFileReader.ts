import { createHash } from 'node:crypto';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { Finding, NTHLAYER_ANNOTATIONS, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { ParseServiceFileResult, parseServiceFile } from '@nthlayer/backstage-plugin-generators';
import { DEFAULT_ENTITY_TTL_MS } from './EntityReader';
import { TtlCache } from './TtlCache';

/** The annotations naming a document this reader reads, and what happens when it cannot. */
const CONSEQUENCES = {
  [NTHLAYER_ANNOTATIONS.serviceFile]: 'Artifacts are generated from the entity alone.',
  [NTHLAYER_ANNOTATIONS.openslo]: "The entity's annotations and tier defaults define its SLOs.",
} as const;

/** An annotation that points at a document: the service file or OpenSLO documents. */
export type DocumentAnnotation = keyof typeof CONSEQUENCES;
const ACCEPTED =
  'a URL the Backstage UrlReader can read (an integration or backend.reading.allow entry for its host), or a path relative to the entity\'s source location (backstage.io/source-location or backstage.io/managed-by-location of type url)';

/** What reading an entity's service file gave: its text, or why not. */
export interface ServiceFileText {
  /** The resolved location, when one could be determined. */
  location?: string;
  text?: string;
  findings: Finding[];
}

/** Default of `nthlayer.serviceFiles.maxBytes`: 256 kB, far above any real service file. */
export const DEFAULT_SERVICE_FILE_MAX_BYTES = 256 * 1024;
/** Default of `nthlayer.serviceFiles.timeout`. */
export const DEFAULT_SERVICE_FILE_TIMEOUT_MS = 10_000;
/** Parsed service files kept, by content hash. */
const PARSED_CACHE_SIZE = 500;

/** Limits of reading service files (app-config `nthlayer.serviceFiles`). */
export interface ServiceFileLimits {
  /** Files larger than this are not parsed; a finding says so. */
  maxBytes: number;
  /** A read taking longer is abandoned; a finding says so. */
  timeoutMs: number;
}

function unreadable(
  annotation: DocumentAnnotation,
  value: string,
  reason: string,
  accepted = ACCEPTED,
): ServiceFileText {
  const shown = cutForMessage(value);
  return {
    findings: [
      {
        severity: 'error',
        annotation,
        value: shown,
        accepted,
        message: `${annotation}: "${shown}" could not be read: ${cutForMessage(reason, 300)}. ${CONSEQUENCES[annotation]}`,
      },
    ],
  };
}

class TooLargeError extends Error {}
class TimeoutError extends Error {}

/** Reads at most `maxBytes` + 1 bytes: a larger file is rejected without being held whole. */
async function readCapped(
  response: Awaited<ReturnType<UrlReaderService['readUrl']>>,
  maxBytes: number,
): Promise<Buffer> {
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > maxBytes) throw new TooLargeError();
    return buffer;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = response.stream();
  try {
    for await (const chunk of stream) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > maxBytes) throw new TooLargeError();
      chunks.push(bytes);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

/** Rejects after `ms`; readers that ignore the abort signal are abandoned the same way. */
function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError());
    }, ms);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads the NthLayer service.yaml an entity points at with `nthlayer.dev/service-file`,
 * through Backstage's UrlReader. Relative paths resolve against the entity's source
 * location the way the catalog resolves relative targets (`ScmIntegrations.resolveUrl`).
 */
export class ServiceFileReader {
  readonly #limits: ServiceFileLimits;
  /** Parsed files by SHA-256 of their bytes; a Map in insertion order is the LRU list. */
  readonly #parsed = new Map<string, ParseServiceFileResult>();
  /** Reads by location: one page view (list, file, zip, validation) reads a file once. */
  readonly #reads: TtlCache<ServiceFileText>;

  constructor(
    private readonly deps: {
      urlReader: UrlReaderService;
      integrations: ScmIntegrationRegistry;
      /** Defaults: {@link DEFAULT_SERVICE_FILE_MAX_BYTES}, {@link DEFAULT_SERVICE_FILE_TIMEOUT_MS}. */
      limits?: Partial<ServiceFileLimits>;
      /** How long a read is reused; default {@link DEFAULT_ENTITY_TTL_MS}, 0 reads every time. */
      ttlMs?: number;
    },
  ) {
    this.#limits = {
      maxBytes: deps.limits?.maxBytes ?? DEFAULT_SERVICE_FILE_MAX_BYTES,
      timeoutMs: deps.limits?.timeoutMs ?? DEFAULT_SERVICE_FILE_TIMEOUT_MS,
    };
    this.#reads = new TtlCache({ ttlMs: deps.ttlMs ?? DEFAULT_ENTITY_TTL_MS, maxEntries: PARSED_CACHE_SIZE });
  }

  /**
   * Parses a service file once per content: the same bytes (by SHA-256) return the cached
   * result. Bounded: the least recently used entries are dropped beyond 500 files.
   */
  parse(text: string): ParseServiceFileResult {
    const hash = createHash('sha256').update(text).digest('hex');
    let result = this.#parsed.get(hash);
    if (result) {
      this.#parsed.delete(hash);
    } else {
      result = parseServiceFile(text);
      if (this.#parsed.size >= PARSED_CACHE_SIZE) {
        this.#parsed.delete(this.#parsed.keys().next().value!);
      }
    }
    this.#parsed.set(hash, result);
    return { file: result.file, findings: [...result.findings] };
  }

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

  /**
   * Reads the document `annotation` (default: the service file) points at. Undefined text
   * and no findings when the entity has no such annotation.
   */
  async read(
    entity: Entity,
    annotation: DocumentAnnotation = NTHLAYER_ANNOTATIONS.serviceFile,
  ): Promise<ServiceFileText> {
    const raw = entity.metadata.annotations?.[annotation];
    if (raw === undefined) return { findings: [] };
    if (!raw.trim()) return unreadable(annotation, raw, 'the annotation is empty');
    let location: string;
    try {
      location = this.resolveLocation(entity, raw);
    } catch (error) {
      return unreadable(annotation, raw, (error as Error).message);
    }
    return this.#reads.get(`${annotation}\u0000${raw}\u0000${location}`, () =>
      this.#readLocation(annotation, raw, location),
    );
  }

  async #readLocation(annotation: DocumentAnnotation, raw: string, location: string): Promise<ServiceFileText> {
    const { maxBytes, timeoutMs } = this.#limits;
    try {
      const bytes = await withTimeout(async signal => {
        const response = await this.deps.urlReader.readUrl(location, { signal });
        return readCapped(response, maxBytes);
      }, timeoutMs);
      return { location, text: bytes.toString('utf8'), findings: [] };
    } catch (error) {
      if (error instanceof TooLargeError) {
        return {
          location,
          ...unreadable(
            annotation,
            raw,
            `${location} is larger than ${maxBytes} bytes (nthlayer.serviceFiles.maxBytes)`,
            `a document of at most ${maxBytes} bytes`,
          ),
        };
      }
      if (error instanceof TimeoutError) {
        return {
          location,
          ...unreadable(annotation, raw, `reading ${location} took longer than ${timeoutMs} ms (nthlayer.serviceFiles.timeout)`),
        };
      }
      return { location, ...unreadable(annotation, raw, `${location}: ${(error as Error).message}`) };
    }
  }
}
