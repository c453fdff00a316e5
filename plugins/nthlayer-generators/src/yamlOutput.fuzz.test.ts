import { load as jsYamlLoad } from 'js-yaml';
import { parse } from 'yaml';
import { toYaml } from './yamlOutput';

// Hostile scalars: the characters that steer toYaml's style decisions (breaks, spaces, quotes,
// colons, hashes, indicators, digits, unicode outside the BMP, NEL/LS, controls), in runs
// (what backtracking regular expressions choke on) and seeded at random.
const ALPHABET = ['\n', ' ', ':', '#', "'", '"', '-', '\\', '\t', 'a', '1', '.', 'é', '😀', '\u2028', '\u0085', '\u007f', '\r'];

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function randomText(length: number, seed: number): string {
  const next = seededRandom(seed);
  let out = '';
  while (out.length < length) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

const PATTERNS: Array<[string, (n: number) => string]> = [
  ['a run of breaks inside text', n => `https://runbooks.example.com/x${'\n'.repeat(n)}x`],
  ['a run of trailing breaks', n => `a${'\n'.repeat(n)}`],
  ['breaks and spaces', n => `a${'\n '.repeat(n / 2)}b`],
  ['a run of spaces before a hash', n => `a${' '.repeat(n)}#`],
  ['single quotes', n => "'".repeat(n)],
  ['double quotes', n => '"'.repeat(n)],
  ['colons and spaces', n => 'a: '.repeat(n / 3)],
  ['colons', n => `a${':'.repeat(n)}`],
  ['digits then a break', n => `1${'1'.repeat(n)}\n`],
  ['unicode', n => '😀é\u2028'.repeat(n / 4)],
  ['random hostile characters', n => randomText(n, n)],
];

const SIZES = [1_000, 10_000, 100_000];

/**
 * Least CPU time of a few runs, in ms: CPU time rather than wall time, so other processes on
 * a busy machine do not count, and the least run is the one GC disturbed least.
 */
function timeToYaml(text: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = process.cpuUsage();
    toYaml({ value: text, [text]: 'as a key', items: [text, { nested: text }] });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('toYaml on hostile input', () => {
  it.each(PATTERNS)('round-trips %s as a value, a long key and an item', (_, make) => {
    const text = make(1_000);
    // Keys this long need the explicit `? key` form: implicit keys end within 1024 characters.
    const value = { value: text, [text]: 'key', [`${text}!`]: [text, { [text]: [] }], items: [text] };
    const yaml = toYaml(value);
    expect(parse(yaml, { version: '1.2', schema: 'core' })).toEqual(value);
    expect(parse(yaml, { version: '1.1', schema: 'yaml-1.1' })).toEqual(value);
    expect(jsYamlLoad(yaml)).toEqual(value);
  });

  it.each(PATTERNS)('stays within a linear time budget on %s', (_, make) => {
    // Each size gets 25 ms plus 2 µs per character of CPU time; the emitter needs 0.1–0.4 µs
    // per character here. The quadratic paths this guards against (the old trailing-break regex,
    // a backtracking quote scan) cost ~0.7 s at 10k characters and ~70 s at 100k, so they fail
    // at 10k already. No step-to-step ratio: between 10k and 100k characters the cost per
    // character rises up to 5× from allocation and GC effects alone (measured on 2 cores), which
    // made a ratio bound flaky without making it catch anything the budget misses.
    for (const size of SIZES) {
      expect(timeToYaml(make(size))).toBeLessThan(25 + size * 0.002);
    }
  });
});
