import { Artifact } from '../types';
import { toYaml } from '../yamlOutput';

/**
 * The document each generated rule file was written from, until drift first reads the file:
 * toYaml writes what every YAML parser reads back as that very document (yamlOutput's round-trip
 * and fuzz tests), so reading the text back again would only cost time (about 0.7 ms a file).
 */
const documents = new WeakMap<Artifact, unknown>();

/**
 * A rule-file artifact whose content is `toYaml(document, header)`, its document kept with it.
 * The text is written when it is first read: the drift task compares the documents of every
 * managed service and never reads the text (about 40 % of a service's generation time, and
 * ~15 kB of string a service kept in memory, measured at 10,000 services); everything else
 * (the artifact API, the CLI, the zip) reads it as a plain property. Once written, the text is
 * an ordinary data property and the document is no longer held for it.
 */
export function ruleFileArtifact<T extends Omit<Artifact, 'content'>>(artifact: T, document: { groups: unknown[] }, header: string): T & { content: string } {
  const out = { ...artifact } as T & { content: string };
  /** Makes `content` the plain data property it is everywhere else. */
  const settle = (value: string) => {
    Object.defineProperty(out, 'content', { value, enumerable: true, configurable: true, writable: true });
    return value;
  };
  Object.defineProperty(out, 'content', {
    enumerable: true,
    configurable: true,
    get: () => settle(toYaml(document, header)),
    set: settle,
  });
  documents.set(out, document);
  return out;
}

/** The kept document of a rule file (once: it is dropped as it is handed out), else undefined. */
export function takeRuleDocument(artifact: Artifact): unknown | undefined {
  const document = documents.get(artifact);
  documents.delete(artifact);
  return document;
}
