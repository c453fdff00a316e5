/* eslint-disable no-console */
/*
 * Which CEL library for policy conditions? Runs the CEL specification's conformance tests
 * (from @bufbuild/cel-spec) through @marcbachmann/cel-js (the one NthLayer uses) and
 * @bufbuild/cel, and probes what matters for policies: a type checker that reports unknown
 * variables and type errors with a position before anything runs, limits for hostile input,
 * and evaluation speed. Prints a table; asserts nothing.
 *
 *   yarn bench:cel
 *
 * Only tests without bindings, type environments or containers whose expected result is a
 * plain value (bool, int, uint, double, string, null, list, map) or an error are used.
 */
import { getConformanceSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import * as marc from '@marcbachmann/cel-js';
import * as buf from '@bufbuild/cel';

const tests = [];
(function walk(suite, path) {
  for (const t of suite.tests ?? []) tests.push({ ...t, section: path.split('/')[2] ?? path });
  for (const child of suite.suites ?? []) walk(child, `${path}/${child.name}`);
})(getConformanceSuite(), '');

function expected(value) {
  const { kind } = value;
  switch (kind.case) {
    case 'boolValue':
    case 'stringValue':
      return kind.value;
    case 'int64Value':
      return { int: BigInt(kind.value) };
    case 'uint64Value':
      return { uint: BigInt(kind.value) };
    case 'doubleValue':
      return { double: kind.value };
    case 'nullValue':
      return null;
    case 'listValue':
      return kind.value.values.map(expected);
    case 'mapValue':
      return { map: kind.value.entries.map(e => [expected(e.key), expected(e.value)]) };
    default:
      throw new Error(`unsupported ${kind.case}`);
  }
}

function normalise(value, lib) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { int: value };
  if (typeof value === 'number') return { double: value };
  if (lib === 'buf' && buf.isCelUint(value)) return { uint: value.value };
  if (lib === 'marc' && value?.constructor?.name === 'UnsignedInt') return { uint: BigInt(value.valueOf()) };
  if (Array.isArray(value)) return value.map(v => normalise(v, lib));
  if (lib === 'buf' && buf.isCelList(value)) return [...value].map(v => normalise(v, lib));
  if (value instanceof Map || (lib === 'buf' && buf.isCelMap(value))) {
    return { map: [...value.entries()].map(([k, v]) => [normalise(k, lib), normalise(v, lib)]) };
  }
  if (typeof value === 'object' && value.constructor === Object) {
    return { map: Object.entries(value).map(([k, v]) => [k, normalise(v, lib)]) };
  }
  return { other: String(value) };
}

function replacer(_key, x) {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'number' && Number.isNaN(x)) return 'NaN';
  return x;
}
const text = v => JSON.stringify(v, replacer);

const results = { marc: new Map(), buf: new Map() };
let used = 0;
for (const t of tests) {
  const o = t.original;
  if (Object.keys(o.bindings ?? {}).length || (o.typeEnv ?? []).length || o.container || o.checkOnly) continue;
  let want;
  let wantError = false;
  try {
    if (o.resultMatcher.case === 'value') want = expected(o.resultMatcher.value);
    else if (o.resultMatcher.case === 'evalError') wantError = true;
    else continue;
  } catch {
    continue;
  }
  used++;
  for (const lib of ['marc', 'buf']) {
    let ok;
    try {
      const out = lib === 'marc' ? marc.evaluate(o.expr) : buf.run(o.expr);
      ok = lib === 'buf' && buf.isCelError(out) ? wantError : !wantError && text(normalise(out, lib)) === text(want);
    } catch {
      ok = wantError;
    }
    const row = results[lib].get(t.section) ?? { pass: 0, total: 0 };
    row.total++;
    if (ok) row.pass++;
    results[lib].set(t.section, row);
  }
}

const sections = [...new Set([...results.marc.keys(), ...results.buf.keys()])].sort();
const total = lib => [...results[lib].values()].reduce((a, r) => ({ pass: a.pass + r.pass, total: a.total + r.total }), { pass: 0, total: 0 });
console.log(`# CEL libraries against the CEL conformance tests\n`);
console.log(`${used} of ${tests.length} conformance tests used (no bindings, type environments or containers; plain expected values or errors).\n`);
console.log('| section | tests | @marcbachmann/cel-js 8.0.0 | @bufbuild/cel 0.6.1 |');
console.log('|---|---:|---:|---:|');
for (const s of sections) {
  const m = results.marc.get(s);
  const b = results.buf.get(s);
  console.log(`| ${s} | ${m.total} | ${m.pass} | ${b.pass} |`);
}
const tm = total('marc');
const tb = total('buf');
console.log(`| **all** | ${tm.total} | ${tm.pass} (${((100 * tm.pass) / tm.total).toFixed(1)} %) | ${tb.pass} (${((100 * tb.pass) / tb.total).toFixed(1)} %) |\n`);

const env = new marc.Environment({ limits: { maxDepth: 32 } }).registerVariable({ name: 'budget', schema: { remaining: 'double' } });
const typo = env.check('budgte.remaining < 0.1');
const typeError = env.check('budget.remaining > "x"');
const bufTypo = buf.run('budgte.remaining < 0.1');
console.log('| probe | @marcbachmann/cel-js | @bufbuild/cel |');
console.log('|---|---|---|');
console.log(`| unknown variable before evaluation | ${typo.valid ? 'not found' : `check(): ${typo.error.message.split('\n')[0]} at offset ${typo.error.range?.start}`} | no checker exported; only when evaluated: ${buf.isCelError(bufTypo) ? bufTypo.message : String(bufTypo)} |`);
console.log(`| type error before evaluation | ${typeError.valid ? 'not found' : `check(): ${typeError.error.message.split('\n')[0]}`} | no checker exported |`);
const deep = env.check(`${'('.repeat(200)}true${')'.repeat(200)}`);
console.log(`| 200 nested parentheses | ${deep.valid ? 'accepted' : deep.error.message.split('\n')[0]} | ${buf.isCelError(buf.run(`${'('.repeat(200)}true${')'.repeat(200)}`)) ? 'error' : 'accepted'} |`);
const program = env.parse('budget.remaining >= 0.25');
let start = performance.now();
for (let i = 0; i < 100_000; i++) program({ budget: { remaining: 0.3 } });
const marcUs = ((performance.now() - start) * 1000) / 100_000;
const plan = buf.plan(buf.celEnv(), buf.parse('budget.remaining >= 0.25'));
start = performance.now();
for (let i = 0; i < 100_000; i++) plan({ budget: { remaining: 0.3 } });
const bufUs = ((performance.now() - start) * 1000) / 100_000;
console.log(`| evaluate \`budget.remaining >= 0.25\` (µs, 100,000 runs) | ${marcUs.toFixed(2)} | ${bufUs.toFixed(2)} |`);
