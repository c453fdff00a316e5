/** The lexer of Go `text/template` (Go 1.19) and Go's checks of literals, for `goTemplate`. */

const KEYWORDS = new Set(
  ['block break continue define else end if range nil template with']
    .join(' ')
    .split(' '),
);

const WORD_TYPES: Record<string, ItemType | undefined> = {
  true: 'bool',
  false: 'bool',
  nil: 'nil',
};

export type ItemType =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'string'
  | 'raw'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'lparen'
  | 'rparen'
  | 'punct'
  | 'eof';

export interface Item {
  type: ItemType;
  value: string;
}

/** A template Go cannot parse. */
export class TemplateError extends Error {}

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined) =>
  !!c && /[\p{L}\p{Nd}_]/u.test(c);

/** Throws a {@link TemplateError}. */
export function fail(message: string): never {
  throw new TemplateError(message);
}

/** The items of a template: actions between `{{ }}` (text outside is skipped). */
export function lex(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const emit = (type: ItemType, value: string) => items.push({ type, value });
  const atRight = () =>
    text.startsWith('}}', pos) ||
    (isSpace(text[pos]) && text.startsWith('-}}', pos + 1));
  const atTerminator = () => {
    const c = text[pos];
    return (
      c === undefined ||
      isSpace(c) ||
      '.,|:()'.includes(c) ||
      text.startsWith('}}', pos)
    );
  };
  const word = () => {
    while (isAlphaNumeric(text[pos])) pos++;
    if (!atTerminator()) fail(`bad character ${JSON.stringify(text[pos])}`);
  };
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    pos = open + 2;
    if (text[pos] === '-' && isSpace(text[pos + 1])) pos += 2;
    if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) fail('unclosed comment');
      pos = end + 2;
      if (!atRight()) fail('comment ends before closing delimiter');
      pos = text.indexOf('}}', pos) + 2;
      continue;
    }
    emit('left', '{{');
    let parens = 0;
    for (;;) {
      if (atRight()) {
        if (parens > 0) fail('unclosed left paren');
        pos = text.indexOf('}}', pos) + 2;
        emit('right', '}}');
        break;
      }
      const start = pos;
      const c = text[pos++];
      if (c === undefined) fail('unclosed action');
      if (isSpace(c)) {
        while (isSpace(text[pos]) && !atRight()) pos++;
        emit('space', ' ');
      } else if (c === '=') emit('assign', '=');
      else if (c === ':') {
        if (text[pos++] !== '=') fail('expected :=');
        emit('declare', ':=');
      } else if (c === '|') emit('pipe', '|');
      else if (c === '"' || c === "'") {
        for (;;) {
          const d = text[pos++];
          if (d === '\\' && text[pos] !== undefined && text[pos] !== '\n') {
            pos++;
          } else if (d === undefined || d === '\n' || d === '\\') {
            fail(
              c === '"'
                ? 'unterminated quoted string'
                : 'unterminated character constant',
            );
          } else if (d === c) break;
        }
        emit(c === '"' ? 'string' : 'char', text.slice(start, pos));
      } else if (c === '`') {
        const end = text.indexOf('`', pos);
        if (end < 0) fail('unterminated raw quoted string');
        pos = end + 1;
        emit('raw', text.slice(start, pos));
      } else if (c === '$' || (c === '.' && !/[0-9]/.test(text[pos] ?? ''))) {
        if (!atTerminator()) word();
        const value = text.slice(start, pos);
        const dotType: ItemType = value === '.' ? 'dot' : 'field';
        emit(c === '$' ? 'variable' : dotType, value);
      } else if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
        const number =
          /^[+-]?(0[xXoObB])?[0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([eEpP][+-]?[0-9_]+)?i?/.exec(
            text.slice(start),
          )![0];
        pos = start + Math.max(number.length, 1);
        if (
          isAlphaNumeric(text[pos]) ||
          text[pos] === '+' ||
          text[pos] === '-'
        ) {
          fail(
            `bad number syntax: ${JSON.stringify(text.slice(start, pos + 1))}`,
          );
        }
        emit('number', text.slice(start, pos));
      } else if (isAlphaNumeric(c)) {
        word();
        const value = text.slice(start, pos);
        emit(
          WORD_TYPES[value] ?? (KEYWORDS.has(value) ? 'keyword' : 'identifier'),
          value,
        );
      } else if (c === '(') {
        parens++;
        emit('lparen', c);
      } else if (c === ')') {
        if (--parens < 0) fail('unexpected right paren');
        emit('rparen', c);
      } else if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20)
        emit('punct', c);
      else fail(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
  emit('eof', '');
  return items;
}

/** Go number literals (ints in any base, floats, hex floats, imaginary). */
export const GO_NUMBER =
  /^[+-]?(0[xX](_?[0-9a-fA-F])+(\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?([pP][+-]?\d(_?\d)*)?|0[oO](_?[0-7])+|0[bB](_?[01])+|(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][+-]?\d(_?\d)*)?)i?$/;

/** Go's strconv.Unquote for a string or character literal: is it well-formed? */
export function validLiteral(literal: string): boolean {
  const quote = literal[0];
  if (quote === '`') return true;
  const escape =
    /\\(?:[abfnrtv\\]|[0-7]{3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|(["']))/y;
  let chars = 0;
  for (let i = 1; i < literal.length - 1; chars++) {
    if (literal[i] !== '\\') {
      i += (literal.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      continue;
    }
    escape.lastIndex = i;
    const match = escape.exec(literal);
    if (!match || (match[1] && match[1] !== quote)) return false;
    const code = /^\\[xuU0-7]/.test(match[0])
      ? parseInt(
          match[0].slice(/^\\[0-7]/.test(match[0]) ? 1 : 2),
          /^\\[0-7]/.test(match[0]) ? 8 : 16,
        )
      : 0;
    if (
      code > 0x10ffff ||
      (code >= 0xd800 && code < 0xe000) ||
      (/^\\[0-7x]/.test(match[0]) && code > 255)
    )
      return false;
    i += match[0].length;
  }
  return quote === '"' || chars === 1;
}
