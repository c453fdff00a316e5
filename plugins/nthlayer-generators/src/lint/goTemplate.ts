/**
 * A parse check of Go `text/template` (Go 1.19, as Prometheus 2.42's promtool is built),
 * for the labels and annotations of alerting rules: delimiters, comments, literals,
 * control structures (`if`/`else`/`range`/`with`/`define`/`block`/`template`/`break`),
 * variables in scope and known functions. Only what `template.Parse` rejects; nothing
 * that fails at execution.
 */

import {
  GO_NUMBER,
  Item,
  TemplateError,
  fail,
  lex,
  validLiteral,
} from './goTemplateLexer';

/** Functions of Go's text/template and of Prometheus 2.42's template expander. */
const FUNCTIONS = new Set(
  [
    'and call html index slice js len not or print printf println urlquery',
    'eq ge gt le lt ne query first label value strvalue args reReplaceAll',
    'safeHtml match title toUpper toLower graphLink tableLink sortByLabel',
    'stripPort stripDomain humanize humanize1024 humanizeDuration',
    'humanizePercentage humanizeTimestamp toTime pathPrefix externalURL',
    'parseDuration',
  ]
    .join(' ')
    .split(' '),
);
/** Variables Prometheus defines before the text of an alert's labels and annotations. */
const PROMETHEUS_VARIABLES = [
  '$',
  '$labels',
  '$externalLabels',
  '$externalURL',
  '$value',
];
class TemplateParser {
  private i = 0;
  private vars: string[];
  private rangeDepth = 0;

  constructor(private readonly items: Item[], vars: string[]) {
    this.vars = [...vars];
  }

  private next(): Item {
    return this.items[Math.min(this.i++, this.items.length - 1)];
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Item {
    return this.items[Math.min(this.i, this.items.length - 1)];
  }
  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === 'space') item = this.next();
    return item;
  }
  private peekNonSpace(): Item {
    const saved = this.i;
    const item = this.nextNonSpace();
    this.i = saved;
    return item;
  }
  private describe(item: Item): string {
    if (item.type === 'eof') return 'EOF';
    if (item.type === 'keyword') return `<${item.value}>`;
    return JSON.stringify(item.value);
  }
  private expectRight(context: string): void {
    const item = this.nextNonSpace();
    if (item.type !== 'right')
      fail(`unexpected ${this.describe(item)} in ${context}`);
  }

  parse(): void {
    for (;;) {
      const item = this.next();
      if (item.type === 'eof') return;
      if (item.type === 'text') continue;
      if (
        this.peekNonSpace().type === 'keyword' &&
        this.peekNonSpace().value === 'define'
      ) {
        this.nextNonSpace();
        this.definition('define clause', true);
        continue;
      }
      const end = this.action();
      if (end) fail(`unexpected {{${end === 'elseif' ? 'else' : end}}}`);
    }
  }

  /** A nested template body (`define`, `block`): its own variables, up to `{{end}}`. */
  private definition(context: string, named: boolean): void {
    if (named) {
      const name = this.nextNonSpace();
      if (name.type !== 'string' && name.type !== 'raw')
        fail(`unexpected ${this.describe(name)} in ${context}`);
      this.expectRight(context);
    }
    const saved = [this.vars, this.rangeDepth] as const;
    this.vars = ['$'];
    this.rangeDepth = 0;
    if (this.list() !== 'end') fail(`unexpected {{else}} in ${context}`);
    [this.vars, this.rangeDepth] = saved;
  }

  /** Text and actions up to `{{end}}` or `{{else}}`, which it returns. */
  private list(): 'end' | 'else' | 'elseif' {
    for (;;) {
      const item = this.next();
      if (item.type === 'eof') fail('unexpected EOF');
      if (item.type === 'text') continue;
      if (item.type !== 'left')
        fail(`unexpected ${this.describe(item)} in input`);
      const end = this.action();
      if (end) return end;
    }
  }

  /** One action after `{{`; returns `end`/`else` for those, undefined otherwise. */
  private action(): 'end' | 'else' | 'elseif' | undefined {
    const item = this.nextNonSpace();
    if (item.type === 'keyword') {
      switch (item.value) {
        case 'end':
          this.expectRight('end');
          return 'end';
        case 'else':
          if (
            this.peekNonSpace().value === 'if' &&
            this.peekNonSpace().type === 'keyword'
          )
            return 'elseif';
          this.expectRight('else');
          return 'else';
        case 'if':
        case 'range':
        case 'with':
          this.control(item.value);
          return undefined;
        case 'break':
        case 'continue':
          this.expectRight(`{{${item.value}}}`);
          if (!this.rangeDepth) fail(`{{${item.value}}} outside {{range}}`);
          return undefined;
        case 'template':
        case 'block': {
          const context = `${item.value} clause`;
          const name = this.nextNonSpace();
          if (name.type !== 'string' && name.type !== 'raw')
            fail(`unexpected ${this.describe(name)} in ${context}`);
          if (!validLiteral(name.value)) fail('invalid syntax');
          if (
            item.value === 'template' &&
            this.peekNonSpace().type === 'right'
          ) {
            this.nextNonSpace();
            return undefined;
          }
          this.pipeline(context);
          if (item.value === 'block') this.definition(context, false);
          return undefined;
        }
        default:
      }
    }
    this.backup();
    this.pipeline('command');
    return undefined;
  }

  private control(context: string): void {
    const depth = this.vars.length;
    if (context === 'range') this.rangeDepth++;
    this.pipeline(context);
    let end = this.list();
    if (end === 'elseif') {
      if (context !== 'if') fail('unexpected "if" in input');
      this.nextNonSpace();
      this.control('if');
    } else if (end === 'else') {
      end = this.list();
      if (end !== 'end') fail('expected end; found {{else}}');
    }
    if (context === 'range') this.rangeDepth--;
    this.vars.length = depth;
  }

  private pipeline(context: string): void {
    let declarations = 0;
    while (this.peekNonSpace().type === 'variable') {
      const start = this.i;
      const variable = this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        this.nextNonSpace();
        this.vars.push(variable.value);
        break;
      }
      if (next.type === 'punct' && next.value === ',') {
        this.nextNonSpace();
        this.vars.push(variable.value);
        declarations++;
        const following = this.peekNonSpace().type;
        if (context !== 'range' || declarations >= 2)
          fail(`too many declarations in ${context}`);
        if (!['variable', 'right', 'rparen'].includes(following))
          fail('range can only initialize variables');
        continue;
      }
      this.i = start;
      break;
    }
    const commands: Item[] = [];
    for (;;) {
      const item = this.nextNonSpace();
      if (item.type === 'right' || item.type === 'rparen') {
        if (!commands.length) fail(`missing value for ${context}`);
        commands.slice(1).forEach((first, stage) => {
          if (
            ['bool', 'dot', 'nil', 'number', 'string', 'raw', 'char'].includes(
              first.type,
            )
          ) {
            fail(`non executable command in pipeline stage ${stage + 2}`);
          }
        });
        if (item.type === 'rparen') this.backup();
        return;
      }
      if (
        ![
          'bool',
          'char',
          'dot',
          'field',
          'identifier',
          'number',
          'nil',
          'raw',
          'string',
          'variable',
          'lparen',
        ].includes(item.type)
      ) {
        fail(`unexpected ${this.describe(item)} in ${context}`);
      }
      this.backup();
      commands.push(this.command());
    }
  }

  /** Operands up to `|`, `}}` or `)`; returns the first operand's item. */
  private command(): Item {
    const first = this.peekNonSpace();
    let operands = 0;
    for (;;) {
      if (this.operand()) operands++;
      const item = this.next();
      if (item.type === 'space') continue;
      if (item.type === 'right' || item.type === 'rparen') this.backup();
      else if (item.type !== 'pipe')
        fail(`unexpected ${this.describe(item)} in operand`);
      break;
    }
    if (!operands) fail('empty command');
    return first;
  }

  private operand(): boolean {
    const term = this.term();
    if (!term) return false;
    if (this.peek().type === 'field') {
      if (
        ['bool', 'string', 'raw', 'number', 'char', 'nil', 'dot'].includes(
          term.type,
        )
      ) {
        fail(`unexpected . after term ${JSON.stringify(term.value)}`);
      }
      while (this.peek().type === 'field') this.next();
    }
    return true;
  }

  private term(): Item | undefined {
    const item = this.nextNonSpace();
    switch (item.type) {
      case 'identifier':
        if (!FUNCTIONS.has(item.value))
          fail(`function ${JSON.stringify(item.value)} not defined`);
        return item;
      case 'variable':
        if (!this.vars.includes(item.value))
          fail(`undefined variable ${JSON.stringify(item.value)}`);
        return item;
      case 'number':
        if (!GO_NUMBER.test(item.value) || !/\d/.test(item.value))
          fail(`illegal number syntax: ${JSON.stringify(item.value)}`);
        // A legacy octal integer with 8 or 9 parses only as a float, which Go refuses as an integer.
        if (/^[+-]?0[0-7_]*[89][0-9_]*$/.test(item.value))
          fail(`integer overflow: ${JSON.stringify(item.value)}`);
        return item;
      case 'string':
      case 'raw':
      case 'char':
        if (!validLiteral(item.value))
          fail(
            item.type === 'char'
              ? `malformed character constant: ${item.value}`
              : 'invalid syntax',
          );
        return item;
      case 'lparen': {
        this.pipeline('parenthesized pipeline');
        const close = this.next();
        if (close.type !== 'rparen')
          fail(`unclosed right paren: unexpected ${this.describe(close)}`);
        return item;
      }
      case 'dot':
      case 'nil':
      case 'field':
      case 'bool':
        return item;
      default:
        this.backup();
        return undefined;
    }
  }
}

/**
 * Why Go's `text/template` (with Prometheus' functions and the variables `$labels`,
 * `$externalLabels`, `$externalURL`, `$value`) cannot parse `text`; undefined when it can.
 */
export function templateError(text: string): string | undefined {
  try {
    new TemplateParser(lex(text), PROMETHEUS_VARIABLES).parse();
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}
