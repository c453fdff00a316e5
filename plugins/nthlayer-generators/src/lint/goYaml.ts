import {
  Alias,
  Document,
  LineCounter,
  Scalar,
  YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
} from 'yaml';
import { LintFinding } from './types';

/**
 * YAML as Go's yaml.v3 decodes it into Prometheus' rule-file structs, on top of the
 * `yaml` package: the first document only, and only up to the end of its root node;
 * aliases and `<<` merge keys; scalars decoded into strings as written.
 */

/** A node of the `yaml` package's document (or undefined for an absent field). */
export type Node = unknown;

/** What a node is, for messages: "a mapping", "a list", "a string", "null", … */
export function kindOf(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'null';
    return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
  }
  return 'nothing';
}

/**
 * Go's decoder reads the root node of the first document and nothing after it. A root
 * mapping that starts indented ends at the first line indented less; blank that rest out
 * (same length: offsets are kept) so that it is not parsed.
 */
function afterRootNode(text: string): string {
  const lines = text.split('\n');
  const content = (line: string) =>
    line.trim() !== '' && !line.trim().startsWith('#');
  const first = lines.findIndex(content);
  const indent = (line: string) => line.length - line.trimStart().length;
  if (
    first < 0 ||
    indent(lines[first]) === 0 ||
    /^\s*(---|%|\[|\{|- )/.test(lines[first])
  )
    return text;
  const cut = lines.findIndex(
    (line, i) =>
      i > first && content(line) && indent(line) < indent(lines[first]),
  );
  if (cut < 0) return text;
  return [
    ...lines.slice(0, cut),
    ...lines.slice(cut).map(line => ' '.repeat(line.length)),
  ].join('\n');
}

/** Decoding of a YAML text the way Go's yaml.v3 does; findings are `yaml/parse` errors. */
export class GoYamlDecoder {
  readonly findings: LintFinding[] = [];
  private readonly lines = new LineCounter();
  private doc?: Document.Parsed;

  constructor(private readonly text: string) {}

  /** Is the node a YAML null (`null`, `~`, nothing)? */
  protected isNull(node: Node): boolean {
    const value = this.resolve(node);
    return (
      isScalar(value) && (value.value === null || value.value === undefined)
    );
  }

  protected position(node: Node): { line?: number; column?: number } {
    const range = (node as { range?: [number, number, number] })?.range;
    if (!range) return {};
    const { line, col } = this.lines.linePos(range[0]);
    return { line, column: col };
  }

  protected report(
    node: Node,
    message: string,
    extra: Partial<LintFinding> = {},
  ): void {
    this.findings.push({
      check: 'yaml/parse',
      severity: 'error',
      message,
      ...this.position(node),
      ...extra,
    });
  }

  protected resolve(node: Node, depth = 0): Node {
    if (isAlias(node) && this.doc && depth < 100) {
      return this.resolve((node as Alias).resolve(this.doc), depth + 1);
    }
    return node;
  }

  /**
   * The string a scalar decodes to in Go: plain scalars as written; a null is "" for a
   * string field, but as written (`null`, `~`) for the `yaml.Node` fields record, alert
   * and expr (`raw`).
   */
  protected scalarText(node: Node, raw = false): string | undefined {
    const scalar = this.resolve(node);
    if (!isScalar(scalar)) return undefined;
    if (scalar.value === null || scalar.value === undefined) {
      return raw ? (scalar as Scalar & { source?: string }).source ?? '' : '';
    }
    if (typeof scalar.value === 'string') return scalar.value;
    return (
      (scalar as Scalar & { source?: string }).source ?? String(scalar.value)
    );
  }

  /** A mapping's keys and values with `<<` merge keys applied (own keys win). */
  protected entries(
    map: YAMLMap,
    seen = new Set<YAMLMap>(),
  ): Array<{ key: string; keyNode: Node; value: Node }> {
    const own: Array<{ key: string; keyNode: Node; value: Node }> = [];
    const merged: typeof own = [];
    seen.add(map);
    let merges = 0;
    for (const pair of map.items) {
      const keyNode = pair.key as Scalar & { source?: string };
      const isMerge =
        isScalar(keyNode) &&
        (typeof keyNode.value === 'symbol' || keyNode.source === '<<');
      if (isMerge && ++merges === 2)
        this.report(keyNode, 'mapping key "<<" already defined');
      if (!isMerge) {
        own.push({
          key: this.scalarText(keyNode) ?? '',
          keyNode,
          value: pair.value,
        });
        continue;
      }
      const source = this.resolve(pair.value);
      const sources = isSeq(source)
        ? source.items.map(i => this.resolve(i))
        : [source];
      for (const item of sources) {
        if (!isMap(item)) {
          this.report(
            pair.value,
            'map merge requires map or sequence of maps as the value',
          );
        } else if (!seen.has(item)) merged.push(...this.entries(item, seen));
      }
    }
    const result = [...own];
    for (const entry of merged)
      if (!result.some(e => e.key === entry.key)) result.push(entry);
    return result;
  }

  /**
   * The root node of the first document (YAML errors reported), or undefined when there
   * is none or the YAML does not parse.
   */
  protected root(): Node | undefined {
    // A lone CR is a line break to Go's YAML (same length: offsets are kept).
    const text = afterRootNode(this.text.replace(/\r(?!\n)/g, '\n'));
    const docs = parseAllDocuments(text, {
      lineCounter: this.lines,
      merge: true,
      uniqueKeys: true,
    });
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (!first) return undefined; // an empty file
    this.doc = first;
    // Go's decoder stops after the root node of the document: what follows a flow
    // collection such as "{}" on the same document is never read.
    const root = first.contents as {
      flow?: boolean;
      range?: [number, number, number];
    } | null;
    const end = root?.flow && root.range ? root.range[1] : Infinity;
    first.errors = first.errors.filter(error => error.pos[0] < end);
    for (const error of first.errors) {
      this.findings.push({
        check: 'yaml/parse',
        severity: 'error',
        message: error.message
          .split('\n')[0]
          .replace(/\s*at line \d+, column \d+:?$/, ''),
        line: this.lines.linePos(error.pos[0]).line,
        column: this.lines.linePos(error.pos[0]).col,
      });
    }
    if (first.errors.length) return undefined;
    return this.resolve(first.contents);
  }
}
