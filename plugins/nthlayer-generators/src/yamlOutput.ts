/**
 * Emits generated YAML (block style, no anchors, no line folding so PromQL stays on one line).
 *
 * @remarks
 * Generation writes ~40 KB of YAML per service, 400 MB for 10,000 services. General emitters
 * (js-yaml, `yaml`) inspect every character of every scalar in JavaScript and spent most of
 * the generation time; this emitter handles only what generators produce (plain objects,
 * arrays, strings, finite numbers, booleans, null) and decides each scalar's style with a few
 * regular expressions. It is deliberately conservative: a string is written plain only when
 * YAML 1.1 (go-yaml, used by Prometheus) and YAML 1.2 parsers both read it back as the same
 * string; anything else is quoted. `yamlOutput.test.ts` checks the round trip with two
 * independent parsers over tricky strings and every generated artifact.
 */
export function toYaml(value: unknown, comment?: string): string {
  let out = '';
  if (comment) {
    for (const line of comment.split('\n')) {
      out += line === '' || line.startsWith(' ') ? `#${line}\n` : `# ${line}\n`;
    }
  }
  if (isCollection(value) && !isEmpty(value)) return out + collection(value, '');
  return `${out}${inlineValue(value as Json, '')}\n`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isCollection(value: unknown): value is Json[] | Record<string, Json> {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: Json[] | Record<string, Json>): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const name in value) if (value[name] !== undefined) return false;
  return true;
}

/** A non-empty collection whose first line starts at the current position, ending in \n. */
function collection(value: Json[] | Record<string, Json>, indent: string): string {
  let out = '';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      // Nested collections continue on the `- ` line (compact form).
      out += `${i > 0 ? indent : ''}- ${
        isCollection(item) && !isEmpty(item) ? collection(item, inner) : `${inlineValue(item, inner)}\n`
      }`;
    }
    return out;
  }
  let first = true;
  for (const name of Object.keys(value)) {
    const item = value[name];
    if (item === undefined) continue;
    const written = key(name);
    // YAML ends an implicit key within 1024 characters; longer keys take the explicit form.
    out += `${first ? '' : indent}${written.length > 1000 ? `? ${written}\n${indent}` : written}:`;
    first = false;
    // Sequences and mappings under a key start on the next line, indented by two.
    out +=
      isCollection(item) && !isEmpty(item)
        ? `\n${inner}${collection(item, inner)}`
        : ` ${inlineValue(item, inner)}\n`;
  }
  return out;
}

function inlineValue(value: Json | undefined, indent: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return scalar(value, indent);
    case 'number':
      return numberText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return Array.isArray(value) ? '[]' : '{}';
    default:
      throw new TypeError(`toYaml cannot write a ${typeof value}`);
  }
}

function numberText(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return '.nan';
  return value > 0 ? '.inf' : '-.inf';
}

// Printable characters that are no line break or tab in YAML 1.1 or 1.2 (so not NEL, LS, PS).
const PRINTABLE_LINE = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
// Such lines joined by \n, the first not starting with a space or a break.
const LITERAL_TEXT = /^[^\s][\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
// One pass: does not start with an indicator, a space or a document marker; then printable
// characters where ":" is followed by a non-space and " " by neither a space, "#" nor the end.
const PLAIN_SHAPE =
  /^(?![-?:,[\]{}#&*!|>'"%@`\s]|\.\.\.)(?:[\x21-\x39\x3b-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]|:(?=[^\s])| (?=[^\s#]))+$/;
// Strings some YAML 1.1 or 1.2 parser reads as another type: booleans, nulls, numbers
// (any string starting with a digit, or a sign / dot and a digit; YAML 1.1 readers even take
// ".", "+._" and "e5" for floats), .inf/.nan, merge keys, "=".
const RESOLVES_AS_OTHER_TYPE =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|=|[-+]?\.?[0-9].*|[-+]?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function isPlainSafe(text: string): boolean {
  return PLAIN_SHAPE.test(text) && !RESOLVES_AS_OTHER_TYPE.test(text);
}

function key(text: string): string {
  return isPlainSafe(text) ? text : doubleQuoted(text);
}

function scalar(text: string, indent: string): string {
  if (isPlainSafe(text)) return text;
  if (text !== '' && PRINTABLE_LINE.test(text)) return `'${text.replace(/'/g, "''")}'`;
  if (text.includes('\n') && LITERAL_TEXT.test(text)) return literalBlock(text, indent);
  return doubleQuoted(text);
}

/**
 * A `|` block with every line as written. Chomping keeps the trailing line breaks: `-` for
 * none, clip for one, `+` for more. The caller ends the last line.
 */
function literalBlock(text: string, indent: string): string {
  // Counted backwards: /\n+$/ retries from every break of a long run of them (quadratic).
  let trailing = 0;
  while (trailing < text.length && text.charCodeAt(text.length - 1 - trailing) === 10) trailing++;
  let chomp = '+';
  if (trailing === 0) chomp = '-';
  else if (trailing === 1) chomp = '';
  const body = trailing === 0 ? text : text.slice(0, -1);
  const lines = body.split('\n').map(line => (line === '' ? '' : `${indent}${line}`));
  return `|${chomp}\n${lines.join('\n')}`;
}

/** JSON escapes are valid YAML double-quoted escapes; non-printable characters are escaped too. */
function doubleQuoted(text: string): string {
  return JSON.stringify(text).replace(
    /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
