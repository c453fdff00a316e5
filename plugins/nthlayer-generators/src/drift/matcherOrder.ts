/**
 * The text of a PromQL expression with its ends trimmed, no whitespace before an opening
 * parenthesis and the matchers of every selector (`{...}`) in sorted order, or undefined when
 * the text has something this does not read (a comment, an unclosed string or brace).
 * Prometheus re-prints a loaded rule with its matchers sorted and `on ()` for `on()`.
 * Whitespace only separates tokens and `(` never belongs to the token before it, so two texts
 * equal in this form are the same expression: the drift check can say "equal" without parsing
 * either. A difference says nothing: the caller compares parsed trees.
 */
export function withSortedMatchers(expr: string): string | undefined {
  // Built from slices of the text joined once: a flat string (appending a character at a
  // time leaves a rope of hundreds of pieces).
  const text = expr.trim();
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') return undefined;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (c === '(') {
      // `on ()` and `on()` are one expression: no space before an opening parenthesis.
      parts.push(withoutTrailingSpace(text.slice(copied, i)));
      copied = i;
      i++;
    } else if (c === '{') {
      parts.push(text.slice(copied, i));
      const matchers: string[] = [];
      let from = i + 1;
      let j = i + 1;
      for (; j < text.length && text[j] !== '}'; j++) {
        const d = text[j];
        if (d === '"' || d === "'" || d === '`') {
          const end = stringEnd(text, j);
          if (end < 0) return undefined;
          j = end;
        } else if (d === ',') {
          matchers.push(text.slice(from, j).trim());
          from = j + 1;
        } else if (d === '{' || d === '#') {
          return undefined;
        }
      }
      if (j >= text.length) return undefined;
      const last = text.slice(from, j).trim();
      if (last) matchers.push(last);
      parts.push(`{${matchers.sort().join(',')}}`);
      i = j + 1;
      copied = i;
    } else {
      i++;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** PromQL's whitespace at the end cut off (it only separates tokens, and `(` is a token of its own). */
function withoutTrailingSpace(run: string): string {
  let end = run.length;
  while (end > 0 && (run[end - 1] === ' ' || run[end - 1] === '\t' || run[end - 1] === '\n' || run[end - 1] === '\r')) end--;
  return end === run.length ? run : run.slice(0, end);
}

/** The index of the quote closing the string opened at `start` (backslash escapes, none in backticks); -1 if none. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let k = start + 1; k < text.length; k++) {
    if (quote !== '`' && text[k] === '\\') k++;
    else if (text[k] === quote) return k;
  }
  return -1;
}
