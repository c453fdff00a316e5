import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';

/** Parses PromQL with Prometheus' own lezer grammar (error-tolerant: errors are nodes). */
export function parsePromql(expr: string): Tree {
  return parser.parse(expr);
}

/** Escapes Go (and so Prometheus) accepts in a quoted string. */
const VALID_ESCAPE =
  /^\\([abfnrtv\\'"]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3})/;

/** The first escape sequence of a quoted string literal that Prometheus rejects. */
function invalidEscape(literal: string): string | undefined {
  if (literal.startsWith('`')) return undefined;
  for (let i = 1; i < literal.length - 1; i++) {
    if (literal[i] !== '\\') continue;
    const match = VALID_ESCAPE.exec(literal.slice(i));
    if (!match) return literal.slice(i, i + 2);
    i += match[0].length - 1;
  }
  return undefined;
}

/**
 * Syntax errors of a PromQL expression, as messages with the column; empty when it parses.
 * Besides the grammar, checks string escapes as Prometheus does (`"\\."` is an error).
 */
export function promqlSyntaxErrors(expr: string): string[] {
  if (!expr.trim()) return ['empty expression'];
  const errors: string[] = [];
  parsePromql(expr).iterate({
    enter: node => {
      if (node.type.isError) {
        const near = expr.slice(node.from, node.from + 20) || 'end of input';
        errors.push(
          `unexpected input at column ${node.from + 1} (near "${near}")`,
        );
      } else if (node.name === 'StringLiteral') {
        const bad = invalidEscape(expr.slice(node.from, node.to));
        if (bad)
          errors.push(
            `unknown escape sequence ${bad} in the string at column ${
              node.from + 1
            }`,
          );
      }
    },
  });
  return errors;
}

/** Every node named `name` in the tree, in document order. */
export function nodesNamed(tree: Tree, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  tree.iterate({
    enter: node => {
      if (node.name === name) found.push(node.node);
    },
  });
  return found;
}

/** The direct children of a node. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    out.push(child);
  return out;
}

/**
 * Milliseconds of a Prometheus duration (`1h30m`, `90s`, `2d`) or a plain number of seconds
 * (`90`), undefined when malformed: `parsePrometheusDuration` of
 * `@nthlayer/backstage-plugin-common` with `numberAsSeconds`.
 *
 * @public
 */
export function durationMs(text: string): number | undefined {
  return parsePrometheusDuration(text, { numberAsSeconds: true });
}
