/**
 * Lexical rules of the Prometheus 2.42 PromQL lexer that the (newer, more lenient) lezer
 * grammar does not enforce: string escapes, number and duration literals. Plus
 * `prepareForLezer`, which rewrites the few spellings 2.42 accepts and lezer rejects.
 */

/** A problem at an offset of the expression. */
export interface LexicalError {
  message: string;
  from: number;
}

const OCTAL = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]$/;

/** Length and code point of the escape at `i` (just after the backslash), or an error. */
function readEscape(
  literal: string,
  i: number,
  quote: string,
): { length: number; code: number } | { error: string } {
  const c = literal[i];
  const simple: Record<string, number> = {
    a: 7,
    b: 8,
    f: 12,
    n: 10,
    r: 13,
    t: 9,
    v: 11,
    '\\': 92,
  };
  if (c === undefined) return { error: 'escape sequence not terminated' };
  if (c === quote) return { length: 1, code: c.charCodeAt(0) };
  if (simple[c] !== undefined) return { length: 1, code: simple[c] };
  const spec: Record<string, [number, RegExp, number, number]> = {
    x: [2, HEX, 16, 1],
    u: [4, HEX, 16, 1],
    U: [8, HEX, 16, 1],
  };
  let [digits, valid, base, skip] = spec[c] ?? [0, OCTAL, 0, 0];
  if (!digits) {
    if (!OCTAL.test(c))
      return { error: `unknown escape sequence ${JSON.stringify(c)}` };
    [digits, valid, base, skip] = [3, OCTAL, 8, 0];
  }
  const text = literal.slice(i + skip, i + skip + digits);
  for (let k = 0; k < digits; k++) {
    const d = text[k];
    if (d === undefined || i + skip + k >= literal.length - 1) {
      return {
        error: `illegal character ${JSON.stringify(
          literal[i + skip + k] ?? '',
        )} in escape sequence`,
      };
    }
    if (!valid.test(d))
      return {
        error: `illegal character ${JSON.stringify(d)} in escape sequence`,
      };
  }
  const code = parseInt(text, base);
  const max = base === 8 || c === 'x' ? 255 : 0x10ffff;
  if (code > max || (code >= 0xd800 && code < 0xe000)) {
    return { error: 'escape sequence is an invalid Unicode code point' };
  }
  return { length: skip + digits, code };
}

/**
 * What the 2.42 lexer rejects in a string literal (`"…"`, `'…'`, `` `…` ``): unknown or
 * malformed escapes (`"\."`, `"\'"`), a missing closing quote. Offsets are relative to
 * the literal.
 */
export function stringLiteralError(literal: string): LexicalError | undefined {
  const quote = literal[0];
  const unterminated = { message: 'unterminated quoted string', from: 0 };
  if (quote === '`')
    return literal.length > 1 && literal.endsWith('`')
      ? undefined
      : unterminated;
  for (let i = 1; i < literal.length; i++) {
    if (literal[i] === quote)
      return i === literal.length - 1 ? undefined : unterminated;
    if (literal[i] !== '\\') continue;
    const escape = readEscape(literal, i + 1, quote);
    if ('error' in escape) return { message: escape.error, from: i };
    i += escape.length;
  }
  return unterminated;
}

/** The value of a string literal that `stringLiteralError` accepts. */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    if (literal[i] !== '\\') {
      out += literal[i];
      continue;
    }
    const escape = readEscape(literal, i + 1, quote);
    if ('error' in escape) return body;
    out += String.fromCodePoint(escape.code);
    i += escape.length;
  }
  return out;
}

const DURATION =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [
  31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1,
];

/**
 * Milliseconds of a duration as Prometheus' `model.ParseDuration` reads it (units in the
 * order y w d h m s ms, integers only, no spaces; `0` alone is allowed), else undefined.
 */
export function modelDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const match = text ? DURATION.exec(text) : null;
  if (!match) return undefined;
  return UNIT_MS.reduce(
    (ms, unit, i) => ms + Number(match[i + 1] ?? 0) * unit,
    0,
  );
}

/** Why a duration literal of a range, subquery or offset is rejected by 2.42. */
export function durationError(text: string): string | undefined {
  if (/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^0x[0-9a-f]+$/i.test(text)) {
    return 'missing unit character in duration';
  }
  const ms = modelDurationMs(text);
  if (ms === undefined)
    return `not a valid duration string: ${JSON.stringify(text)}`;
  return ms === 0 ? 'duration must be greater than 0' : undefined;
}

const NUMBER = /^[+-]?(inf|nan|0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)$/i;

/** Why a number literal in an expression is rejected by 2.42 (`5m`, `1_000`). */
export function numberError(text: string): string | undefined {
  if (NUMBER.test(text)) {
    // Go's ParseInt/ParseFloat: hex beyond int64, decimals beyond float64 fail.
    const unsigned = text.replace(/^[+-]/, '');
    const tooBig = /^0x/i.test(unsigned)
      ? BigInt(unsigned) > BigInt('0x7fffffffffffffff')
      : !/^(inf|nan)$/i.test(unsigned) && !Number.isFinite(Number(unsigned));
    return tooBig
      ? `error parsing number: value out of range: ${JSON.stringify(text)}`
      : undefined;
  }
  if (/^[+-]?\d+[a-z]/i.test(text) && !text.includes('_')) {
    return `unexpected duration ${JSON.stringify(text.replace(/^[+-]/, ''))}`;
  }
  return `bad number or duration syntax: ${JSON.stringify(text)}`;
}

/** Value of a number literal `numberError` accepts. */
export function numberValue(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const unsigned = text.replace(/^[+-]/, '').toLowerCase();
  if (unsigned === 'inf') return sign * Infinity;
  if (unsigned === 'nan') return NaN;
  return sign * Number(unsigned);
}

/** Tokens of PromQL text outside strings and comments, enough to tell keywords from names. */
interface Token {
  kind: 'word' | 'number' | 'string' | 'punct';
  from: number;
  to: number;
}

function tokens(expr: string): Token[] {
  const out: Token[] = [];
  let brackets = 0;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    const rest = expr.slice(i);
    const number = /[\d.]/.test(c)
      ? /^(0[xX][0-9a-fA-F]*|(\d+\.?\d*|\.\d+)([eE][+-]?\d*)?)/.exec(rest)
      : null;
    const word = (brackets ? /^[a-zA-Z_]\w*/ : /^[a-zA-Z_:][\w:]*/).exec(rest);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (
        j < expr.length &&
        expr[j] !== c &&
        !(c !== '`' && expr[j] === '\n')
      ) {
        j += c !== '`' && expr[j] === '\\' ? 2 : 1;
      }
      out.push({ kind: 'string', from: i, to: Math.min(j + 1, expr.length) });
      i = j + 1;
    } else if (number || word) {
      const match = (number ?? word)![0];
      out.push({
        kind: number ? 'number' : 'word',
        from: i,
        to: i + match.length,
      });
      i += match.length;
    } else {
      if (c === '[') brackets++;
      if (c === ']') brackets = Math.max(0, brackets - 1);
      out.push({ kind: 'punct', from: i, to: i + 1 });
      i++;
    }
  }
  return out;
}

/** Words after which `offset` is a metric name rather than the modifier keyword. */
const OPERATOR_WORDS = /^(and|or|unless|atan2|bool|group_left|group_right)$/i;
/** Words whose `(…)` lists labels of vector matching: an operand follows them. */
const MATCHING_WORDS = /^(on|ignoring|group_left|group_right)$/i;

/**
 * Same-length rewrites of what Prometheus 2.42 accepts but the lezer grammar (written for
 * later versions) does not: `holt_winters(…)` (renamed since), `5.` and `0X1F` numbers, and
 * `offset` as a metric name. Offsets into the result are offsets into `expr`; read names
 * from `expr`, not from the rewritten text.
 */
export function prepareForLezer(expr: string): string {
  const chars = expr.split('');
  const list = tokens(expr);
  const text = (t: Token | undefined) => (t ? expr.slice(t.from, t.to) : '');
  const replace = (from: number, value: string) => {
    for (let k = 0; k < value.length; k++) chars[from + k] = value[k];
  };
  let braces = 0;
  // For each ")", the word before its "(": after on(…), ignoring(…), group_left(…) an operand follows.
  const openers: string[] = [];
  const closedBy = new Map<number, string>();
  list.forEach((token, n) => {
    const value = text(token);
    if (token.kind === 'punct') {
      if (value === '{') braces++;
      if (value === '}') braces = Math.max(0, braces - 1);
      if (value === '(') openers.push(text(list[n - 1]));
      if (value === ')') closedBy.set(n, openers.pop() ?? '');
      return;
    }
    if (token.kind === 'number') {
      let fixed = value.replace(/^0X/, '0x').replace(/^(\d+)\.(?!\d)/, '$1');
      if (fixed.endsWith('.')) fixed = fixed.slice(0, -1);
      replace(token.from, fixed.padEnd(value.length, ' '));
      return;
    }
    if (token.kind !== 'word' || braces) return;
    if (value === 'holt_winters' && text(list[n + 1]) === '(') {
      replace(token.from, 'clamp'.padEnd(value.length, ' '));
    } else if (value.toLowerCase() === 'offset') {
      const prev = list[n - 1];
      const operandEnd =
        prev &&
        (prev.kind === 'number' ||
          prev.kind === 'string' ||
          (prev.kind === 'word' && !OPERATOR_WORDS.test(text(prev))) ||
          (text(prev) === ')' &&
            !MATCHING_WORDS.test(closedBy.get(n - 1) ?? '')) ||
          [']', '}'].includes(text(prev)));
      if (!operandEnd) replace(token.to - 1, 'x');
    }
  });
  return chars.join('');
}
