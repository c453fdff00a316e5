/**
 * A validator of Go's RE2 regular expressions (`regexp/syntax`, Perl flags, as of Go 1.19),
 * as Prometheus compiles label matchers. JavaScript's RegExp accepts other
 * things (lookarounds, backreferences, `(?<name>…)`) and rejects some RE2 (`(?i)`,
 * `[[:alpha:]]`, `\z`), so it cannot stand in.
 */

/** Outcome of {@link checkRe2}. */
export interface Re2Check {
  /** Go's complaint, e.g. `invalid nested repetition operator: **`; undefined when valid. */
  error?: string;
  /** Whether the anchored expression matches the empty string (valid expressions only). */
  matchesEmpty: boolean;
}

const POSIX_CLASSES = new Set([
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
]);
const MAX_REPEAT = 1000;

class Re2Error extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly re: string) {}

  private fail(message: string, from: number, to = this.pos): never {
    throw new Re2Error(
      `${message}: \`${this.re.slice(from, Math.max(to, from + 1))}\``,
    );
  }

  private peek(text: string): boolean {
    return this.re.startsWith(text, this.pos);
  }

  /** Parses the whole expression; returns whether it matches the empty string. */
  parse(): boolean {
    const nullable = this.alternation(0);
    if (this.pos < this.re.length)
      this.fail('unexpected )', this.pos, this.re.length);
    return nullable;
  }

  private alternation(depth: number): boolean {
    let nullable = this.concat(depth);
    while (this.peek('|')) {
      this.pos++;
      nullable = this.concat(depth) || nullable;
    }
    return nullable;
  }

  private concat(depth: number): boolean {
    let nullable = true;
    while (
      this.pos < this.re.length &&
      !this.peek('|') &&
      !(this.peek(')') && depth > 0)
    ) {
      if (this.peek(')')) this.fail('unexpected )', this.pos, this.re.length);
      const start = this.pos;
      const atom = this.atom(depth);
      if (atom === undefined) continue; // a flag group such as (?i)
      nullable = this.repeats(start, atom) && nullable;
    }
    return nullable;
  }

  /** Quantifiers after an atom; Go rejects stacked ones (`a**`, `a{2}*`). */
  private repeats(start: number, nullable: boolean): boolean {
    let result = nullable;
    let repeated = false;
    for (;;) {
      const from = this.pos;
      const bounds = this.quantifier();
      if (!bounds) return result;
      if (repeated)
        this.fail('invalid nested repetition operator', start, this.pos);
      if (
        bounds.min > MAX_REPEAT ||
        bounds.max > MAX_REPEAT ||
        (bounds.max >= 0 && bounds.max < bounds.min)
      ) {
        this.fail('invalid repeat count', from, this.pos);
      }
      if (this.peek('?')) this.pos++;
      repeated = true;
      result = bounds.min === 0 || result;
    }
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at the position (consumed; max -1: unbounded). */
  private quantifier(): { min: number; max: number } | undefined {
    const c = this.re[this.pos];
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : -1 };
    }
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.re.slice(this.pos));
    if (!match) return undefined;
    this.pos += match[0].length;
    const min = Number(match[1]);
    let max = min;
    if (match[2]) max = match[3] ? Number(match[3]) : -1;
    return { min, max };
  }

  /** One atom; its nullability, or undefined for a flag group that matches nothing. */
  private atom(depth: number): boolean | undefined {
    const start = this.pos;
    const c = this.re[this.pos];
    if ('*+?'.includes(c) || /^\{\d+(,\d*)?\}/.test(this.re.slice(this.pos))) {
      this.quantifier();
      this.fail('missing argument to repetition operator', start, this.pos);
    }
    this.pos++;
    if (c === '(') return this.group(start, depth);
    if (c === '[') return this.characterClass(start);
    if (c === '\\') return this.escape(start, false) as boolean;
    return c === '^' || c === '$';
  }

  private group(start: number, depth: number): boolean | undefined {
    if (this.peek('?')) {
      const named = /^\?P<([^>]*)>/.exec(this.re.slice(this.pos));
      if (named) {
        if (!/^[A-Za-z0-9_]+$/.test(named[1])) {
          this.fail('invalid named capture', start, this.pos + named[0].length);
        }
        this.pos += named[0].length;
      } else {
        // (?flags) or (?flags:re); flags after a "-" are cleared and must not be empty.
        const flags = /^\?[imsU]*(-[imsU]+)?([:)])/.exec(
          this.re.slice(this.pos),
        );
        if (!flags)
          this.fail('invalid or unsupported Perl syntax', start, this.pos + 2);
        this.pos += flags[0].length;
        if (flags[2] === ')') return undefined;
      }
    }
    const nullable = this.alternation(depth + 1);
    if (!this.peek(')')) this.fail('missing closing )', start, this.re.length);
    this.pos++;
    return nullable;
  }

  private characterClass(start: number): boolean {
    if (this.peek('^')) this.pos++;
    let first = true;
    while (first || !this.peek(']')) {
      if (this.pos >= this.re.length)
        this.fail('missing closing ]', start, this.re.length);
      first = false;
      // Go reads "[:" up to the first ":]" as a POSIX class name, which must exist.
      const posix = /^\[:([^]*?):\]/.exec(this.re.slice(this.pos));
      if (posix) {
        if (!POSIX_CLASSES.has(posix[1].replace(/^\^/, ''))) {
          this.fail(
            'invalid character class range',
            this.pos,
            this.pos + posix[0].length,
          );
        }
        this.pos += posix[0].length;
        continue;
      }
      const loStart = this.pos;
      const lo = this.classChar();
      if (lo === undefined || !this.peek('-') || this.re[this.pos + 1] === ']')
        continue;
      this.pos++;
      if (this.pos >= this.re.length)
        this.fail('missing closing ]', start, this.re.length);
      const hi = this.classChar();
      if (hi === undefined || hi < lo)
        this.fail('invalid character class range', loStart, this.pos);
    }
    this.pos++;
    return false;
  }

  /** A character of a class (its code point), or undefined for a class escape like `\d`. */
  private classChar(): number | undefined {
    const start = this.pos;
    if (this.peek('\\')) {
      this.pos++;
      return this.escape(start, true) as number | undefined;
    }
    const code = this.re.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    return code;
  }

  /**
   * An escape after the backslash. Outside classes returns nullability; inside classes
   * the code point of a single character (undefined for classes like `\d`).
   */
  private escape(
    start: number,
    inClass: boolean,
  ): boolean | number | undefined {
    const c = this.re[this.pos];
    if (c === undefined)
      this.fail(
        'trailing backslash at end of expression',
        start,
        this.re.length,
      );
    this.pos++;
    const literal = (code: number) => (inClass ? code : false);
    if (!inClass && 'AzB'.includes(c)) return true;
    if (!inClass && c === 'b') return false;
    if ('dDsSwW'.includes(c)) return inClass ? undefined : false;
    if (c === 'p' || c === 'P') {
      const name = /^(\{\^?[A-Za-z_]+\}|[LMNPSZC])/.exec(
        this.re.slice(this.pos),
      );
      if (!name)
        this.fail('invalid character class range', start, this.pos + 1);
      this.pos += name[0].length;
      return inClass ? undefined : false;
    }
    if (!inClass && c === 'Q') {
      const end = this.re.indexOf('\\E', this.pos);
      const stop = end < 0 ? this.re.length : end;
      const empty = stop === this.pos;
      this.pos = end < 0 ? stop : stop + 2;
      return empty;
    }
    const simple: Record<string, number> = {
      a: 7,
      f: 12,
      t: 9,
      n: 10,
      r: 13,
      v: 11,
    };
    if (simple[c] !== undefined) return literal(simple[c]);
    if (c >= '0' && c <= '7') {
      const octal = /^[0-7]{0,2}/.exec(this.re.slice(this.pos))![0];
      if (c !== '0' && !octal)
        this.fail('invalid escape sequence', start, this.pos);
      this.pos += octal.length;
      return literal(parseInt(c + octal, 8));
    }
    if (c === 'x') {
      const hex = /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2})/.exec(
        this.re.slice(this.pos),
      );
      const code = hex ? parseInt(hex[0].replace(/[{}]/g, ''), 16) : NaN;
      if (!hex || code > 0x10ffff)
        this.fail('invalid escape sequence', start, this.pos + 1);
      this.pos += hex[0].length;
      return literal(code);
    }
    if (/[A-Za-z0-9]/.test(c) || c.charCodeAt(0) >= 0x80) {
      this.fail('invalid escape sequence', start, this.pos);
    }
    return literal(c.charCodeAt(0));
  }
}

/**
 * Checks `re` as Prometheus 2.42 compiles a `=~`/`!~` matcher (Go RE2 syntax: it compiles
 * `^(?:re)$` and also parses `re` alone, so both `a)(b` and `\Qa` fail) and tells whether it matches the
 * empty string. Unicode class names (`\p{Greek}`) are accepted without checking the name.
 */
export function checkRe2(re: string): Re2Check {
  try {
    new Parser(`^(?:${re})$`).parse();
    return { matchesEmpty: new Parser(re).parse() };
  } catch (error) {
    if (error instanceof Re2Error) {
      return {
        error: `error parsing regexp: ${error.message}`,
        matchesEmpty: false,
      };
    }
    throw error;
  }
}
