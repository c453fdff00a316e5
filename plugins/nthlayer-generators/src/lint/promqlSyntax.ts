import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { AstBuilder, Expr, PromqlError } from './promqlAst';
import { prepareForLezer } from './promqlLexical';
import { TypeChecker } from './promqlTypes';

/**
 * Parses PromQL with Prometheus' own lezer grammar (error-tolerant: errors are nodes).
 * The text is first adapted to the grammar (`prepareForLezer`: same length, so node
 * offsets are offsets into `expr`).
 */
export function parsePromql(expr: string): Tree {
  return parser.parse(prepareForLezer(expr));
}

/** Line and column (1-based) of an offset of the expression. */
export function exprPosition(
  expr: string,
  from: number,
): { line: number; column: number } {
  const before = expr.slice(0, from).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The expression's AST, or undefined with the grammar's errors when it does not parse. */
export function promqlAst(expr: string): { ast?: Expr; errors: PromqlError[] } {
  if (!expr.trim())
    return { errors: [{ message: 'no expression found in input', from: 0 }] };
  const lexed = prepareForLezer(expr);
  const tree = parser.parse(lexed);
  const errors: PromqlError[] = [];
  tree.iterate({
    enter: node => {
      if (!node.type.isError) return;
      const near = expr.slice(node.from, node.from + 20) || 'end of input';
      errors.push({
        message: `unexpected input (near "${near}")`,
        from: node.from,
      });
    },
  });
  if (errors.length) return { errors };
  const builder = new AstBuilder(expr, lexed);
  const ast = builder.build(tree.topNode);
  return { ast, errors: builder.errors };
}

/**
 * What Prometheus 2.42's parser rejects in a PromQL expression — the grammar, string
 * escapes, literals and durations, and the type checks (`promqlTypes`) — with offsets.
 */
export function promqlErrors(expr: string): PromqlError[] {
  const { ast, errors } = promqlAst(expr);
  if (errors.length || !ast) return errors;
  const checker = new TypeChecker();
  checker.check(ast);
  const seen = new Set<string>();
  return checker.errors.filter(e => {
    const key = `${e.from}:${e.message}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

/** A message with where it is: `at column 5`, or `at line 2, column 5` of a multi-line expression. */
export function located(expr: string, error: PromqlError): string {
  const { line, column } = exprPosition(expr, error.from);
  return `${error.message} at ${
    expr.includes('\n') ? `line ${line}, ` : ''
  }column ${column}`;
}

/** Errors of a PromQL expression (see `promqlErrors`) as messages with the column; empty when valid. */
export function promqlSyntaxErrors(expr: string): string[] {
  return promqlErrors(expr).map(e => located(expr, e));
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
