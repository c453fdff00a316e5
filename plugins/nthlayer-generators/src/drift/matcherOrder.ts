/**
 * The text of a PromQL expression with its ends trimmed and the matchers of every selector
 * (`{...}`) in sorted order, or undefined when the text has something this does not read
 * (a comment, an unclosed string or brace). Prometheus re-prints a loaded rule with its matchers
 * sorted; two texts equal in this form are the same expression, so the drift check can say
 * "equal" without parsing either. A difference says nothing: the caller compares parsed trees.
 */
export function withSortedMatchers(expr: string): string | undefined {
  let out = '';
  let i = 0;
  const text = expr.trim();
  while (i < text.length) {
    const c = text[i];
    if (c === '#') return undefined;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '{') {
      const matchers: string[] = [];
      let current = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '}'; j++) {
        const d = text[j];
        if (d === '"' || d === "'" || d === '`') {
          const end = stringEnd(text, j);
          if (end < 0) return undefined;
          current += text.slice(j, end + 1);
          j = end;
        } else if (d === ',') {
          matchers.push(current.trim());
          current = '';
        } else if (d === '{' || d === '#') {
          return undefined;
        } else {
          current += d;
        }
      }
      if (j >= text.length) return undefined;
      if (current.trim()) matchers.push(current.trim());
      out += `{${matchers.sort().join(',')}}`;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
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
