const MATCHER =
  /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/;

/** @public */
export const ACCEPTED_SELECTOR =
  'comma-separated PromQL label matchers without braces, e.g. service="checkout", env="prod"';

/** Splits on commas outside double quotes. */
function splitMatchers(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Normalises a selector annotation (braces optional) to `a="b",c=~"d"`, or undefined
 * when it is not a list of PromQL label matchers.
 *
 * @public
 */
export function parseSelector(text: string): string | undefined {
  let body = text.trim();
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  if (!body.trim()) return undefined;
  const matchers = splitMatchers(body);
  if (!matchers.every(m => MATCHER.test(m))) return undefined;
  return matchers.map(m => m.trim()).join(',');
}

/** The default selector of a service. @public */
export function defaultSelector(name: string): string {
  return `service="${name}"`;
}
