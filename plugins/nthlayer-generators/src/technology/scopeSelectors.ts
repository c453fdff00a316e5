import { metricName } from '../lint/promqlChecks';
import { nodesNamed, parsePromql, promqlSyntaxErrors } from '../lint/promqlSyntax';

// Scoping the same catalogue query to the same dependency happens once per service that
// depends on it; parsing is the costly part, so answers are kept (bounded).
const scoped = new Map<string, string>();
const MAX_REMEMBERED = 20_000;

/**
 * Adds `matchers` (e.g. `instance="orders-db:9187"`, without braces) to every selector of a
 * raw metric in `expr`, so a catalogue alert watches one dependency instead of every
 * instance of the exporter: `pg_up == 0` → `pg_up{instance="orders-db:9187"} == 0`.
 * Selectors of recorded series (names with a colon) are left alone. An expression that does
 * not parse is returned unchanged (the caller's syntax check reports it).
 *
 * @public
 */
export function scopeSelectors(expr: string, matchers: string): string {
  const key = `${matchers}\u0000${expr}`;
  const known = scoped.get(key);
  if (known !== undefined) return known;
  const result = computeScoped(expr, matchers);
  if (scoped.size >= MAX_REMEMBERED) scoped.clear();
  scoped.set(key, result);
  return result;
}

function computeScoped(expr: string, matchers: string): string {
  if (!matchers.trim() || promqlSyntaxErrors(expr).length) return expr;
  const edits: Array<{ at: number; text: string }> = [];
  for (const selector of nodesNamed(parsePromql(expr), 'VectorSelector')) {
    const name = metricName(expr, selector);
    if (name?.includes(':')) continue;
    const list = selector.getChild('LabelMatchers');
    if (!list) {
      edits.push({ at: selector.to, text: `{${matchers}}` });
      continue;
    }
    // `{}` or `{a="b"}`: insert before the closing brace, after a comma when needed.
    const inner = expr.slice(list.from + 1, list.to - 1);
    const close = list.to - 1;
    const separator = inner.trim() === '' || inner.trim().endsWith(',') ? '' : ',';
    edits.push({ at: close, text: `${separator}${matchers}` });
  }
  let out = expr;
  for (const edit of edits.sort((a, b) => b.at - a.at)) {
    out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  }
  return out;
}
