import { Artifact } from '../types';
import { toYaml } from '../yamlOutput';

/**
 * The document each generated rule file was written from, until drift first reads the file:
 * toYaml writes what every YAML parser reads back as that very document (yamlOutput's round-trip
 * and fuzz tests), so reading the text back again would only cost time (about 0.7 ms a file).
 */
const documents = new WeakMap<Artifact, unknown>();

/** A rule-file artifact whose content is `toYaml(document, header)`, its document kept with it. */
export function ruleFileArtifact<T extends Omit<Artifact, 'content'>>(artifact: T, document: { groups: unknown[] }, header: string): T & { content: string } {
  const out = { ...artifact, content: toYaml(document, header) };
  documents.set(out, document);
  return out;
}

/** The kept document of a rule file (once: it is dropped as it is handed out), else undefined. */
export function takeRuleDocument(artifact: Artifact): unknown | undefined {
  const document = documents.get(artifact);
  documents.delete(artifact);
  return document;
}
