import { cutForMessage } from '@nthlayer/backstage-plugin-common';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { OpenSloDoc, OpenSloReporter, report } from './openSloFindings';

/** Longest text read (characters): OpenSLO files are small, a huge one is a mistake. @public */
export const OPENSLO_TEXT_MAX = 1_000_000;

const ACCEPTED_DOCUMENT = 'an OpenSLO v1 document: a mapping with apiVersion openslo/v1, kind, metadata and spec';

/** The first repeated key of any mapping in the document, in linear time, with its offset. */
function firstDuplicateKey(node: unknown): { key: string; offset: number } | undefined {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (isScalar(pair.key)) {
        const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(id)) return { key: String(pair.key.value), offset: pair.key.range?.[0] ?? 0 };
        seen.add(id);
      }
      const inner = firstDuplicateKey(pair.value);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = firstDuplicateKey(item);
      if (inner) return inner;
    }
  }
  return undefined;
}

function yamlProblem(reporter: OpenSloReporter, index: number, what: string, line?: number): void {
  const where = line ? `document ${index} line ${line}` : `document ${index}`;
  report(
    reporter,
    'error',
    where,
    `is not valid YAML (${cutForMessage(what)})`,
    'valid YAML',
    'This document is skipped.',
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The documents of a multi-document YAML text. A document that is not valid YAML, repeats a
 * key or is not a mapping becomes a finding (with its line) and is left out; empty documents
 * are left out silently. Never throws.
 *
 * @public
 */
export function readOpenSloDocuments(text: string, reporter: OpenSloReporter): OpenSloDoc[] {
  if (text.length > OPENSLO_TEXT_MAX) {
    report(
      reporter,
      'error',
      `${text.length} characters`,
      'is longer than the 1,000,000 characters NthLayer reads',
      'OpenSLO documents of at most 1,000,000 characters',
      'Nothing in it is used.',
    );
    return [];
  }
  const lineCounter = new LineCounter();
  const docs: OpenSloDoc[] = [];
  const parsed = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  parsed.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      // The first line of the message without its position: the excerpt that follows quotes the file.
      const what = error.message.split('\n')[0].replace(/\s*at line \d+, column \d+:?$/, '');
      yamlProblem(reporter, index, what, error.linePos?.[0]?.line);
      return;
    }
    const duplicate = firstDuplicateKey(doc.contents);
    if (duplicate) {
      yamlProblem(reporter, index, `the key "${cutForMessage(duplicate.key, 40)}" is repeated`, lineCounter.linePos(duplicate.offset).line);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      yamlProblem(reporter, index, String((error as Error).message ?? error).split('\n')[0]);
      return;
    }
    if (value === null || value === undefined) return;
    if (!isMapping(value)) {
      const line = doc.range ? lineCounter.linePos(doc.range[0]).line : undefined;
      report(reporter, 'error', `document ${index}${line ? ` line ${line}` : ''}`, 'is not a mapping', ACCEPTED_DOCUMENT, 'This document is skipped.');
      return;
    }
    const metadata = isMapping(value.metadata) ? value.metadata : {};
    docs.push({
      index,
      kind: typeof value.kind === 'string' ? value.kind : '',
      name: typeof metadata.name === 'string' ? metadata.name : '(no name)',
      value,
    });
  });
  return docs;
}
