import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { GatePolicy, PolicyLoadError, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { parsePolicies } from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where policies are read from: a URL the UrlReader reads, or a local file (`file:` or a path). */
export interface PolicyLocation {
  target: string;
}

const MAX_POLICY_BYTES = 256 * 1024;

/**
 * The policies in force: every configured location, read and checked. A location that cannot
 * be read, or holds a rejected document, keeps its previous valid set; the rejection is kept
 * (source, line, column, reason) for the API and the gate card.
 */
export class PolicyService {
  #bySource = new Map<string, GatePolicy[]>();
  #errors: PolicyLoadError[] = [];
  #loadedAt: string | null = null;

  /** The locations of the last load whose configuration could be read. */
  #locations: PolicyLocation[] = [];

  constructor(
    private readonly deps: {
      /**
       * The locations, or a function reading them (from the live app-config) at every load,
       * so that a location added to or removed from the config takes effect on the next reload.
       */
      locations: PolicyLocation[] | (() => PolicyLocation[]);
      urlReader: UrlReaderService;
      logger: LoggerService;
      /** Base directory of relative file locations. Default: the working directory. */
      baseDir?: string;
    },
  ) {}

  /** Reads every location once; safe to call again (a reload). */
  async load(): Promise<void> {
    const errors: PolicyLoadError[] = [];
    const configured = this.deps.locations;
    try {
      this.#locations = typeof configured === 'function' ? configured() : configured;
    } catch (error) {
      // A config being edited may be invalid for a moment: keep the locations (and policies) in force.
      errors.push({ source: 'nthlayer.policies.locations', line: 0, column: 0, reason: `could not be read: ${cutForMessage(String((error as Error).message ?? error), 300)}; the previous locations stay in force` });
    }
    const locations = this.#locations;
    for (const { target } of locations) {
      let text: string;
      try {
        text = await this.#read(target);
      } catch (error) {
        errors.push({ source: target, line: 0, column: 0, reason: `could not be read: ${cutForMessage(String((error as Error).message ?? error), 300)}${this.#bySource.has(target) ? '; the previous policies of this location stay in force' : ''}` });
        continue;
      }
      const result = parsePolicies(target, text);
      if (result.errors.length) {
        const kept = this.#bySource.has(target);
        errors.push(...result.errors.map(e => ({ ...e, reason: kept ? `${e.reason} (the previous policies of this location stay in force)` : e.reason })));
        if (!kept) this.#bySource.set(target, result.policies);
      } else {
        this.#bySource.set(target, result.policies);
      }
    }
    for (const source of [...this.#bySource.keys()]) {
      if (!locations.some(l => l.target === source)) this.#bySource.delete(source);
    }
    this.#errors = errors;
    this.#loadedAt = new Date().toISOString();
    for (const e of errors) this.deps.logger.warn(`NthLayer policy ${e.source}:${e.line}:${e.column}: ${e.reason}`);
  }

  policies(): GatePolicy[] {
    return [...this.#bySource.values()].flat();
  }

  errors(): PolicyLoadError[] {
    return this.#errors;
  }

  loadedAt(): string | null {
    return this.#loadedAt;
  }

  async #read(target: string): Promise<string> {
    if (/^https?:\/\//i.test(target)) {
      const response = await this.deps.urlReader.readUrl(target);
      const buffer = await response.buffer();
      if (buffer.length > MAX_POLICY_BYTES) throw new Error(`larger than ${MAX_POLICY_BYTES} bytes`);
      return buffer.toString('utf8');
    }
    const file = path.resolve(this.deps.baseDir ?? process.cwd(), target.replace(/^file:/, ''));
    const stat = await fs.stat(file);
    if (stat.size > MAX_POLICY_BYTES) throw new Error(`larger than ${MAX_POLICY_BYTES} bytes`);
    return fs.readFile(file, 'utf8');
  }
}
