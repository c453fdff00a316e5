import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { CORPUS, CorpusCase } from './promtoolCorpus';
import { validateRuleFile } from './validateRuleFile';

/** The promtool of CI (Prometheus 2.42, Debian package). */
const PROMTOOL = '/usr/bin/promtool';

const offlineValid = (c: CorpusCase) => validateRuleFile(c.yaml).length === 0;

describe('the promtool corpus', () => {
  it('has enough cases, about half valid, with unique names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(120);
    const valid = CORPUS.filter(c => c.valid).length;
    expect(valid / CORPUS.length).toBeGreaterThan(0.4);
    expect(valid / CORPUS.length).toBeLessThan(0.6);
    expect(new Set(CORPUS.map(c => c.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map(c => [c.name, c] as const))(
    'offline verdict: %s',
    (_, c) => {
      const findings = validateRuleFile(c.yaml);
      // On a mismatch the findings show why.
      expect({
        valid: !findings.length,
        findings: c.valid ? findings : [],
      }).toEqual({
        valid: c.valid,
        findings: [],
      });
    },
  );
});

// The cross-check needs promtool; without it (e.g. a developer machine) it is skipped.
const withPromtool = fs.existsSync(PROMTOOL) ? describe : describe.skip;

/**
 * `promtool check rules` on every case, in one run (a run per file takes ~100 ms). promtool
 * prints each error of a file prefixed with the file's path; lint warnings (duplicate
 * rules) are not prefixed and do not fail a file. It exits 1 exactly when a file has errors.
 */
function runPromtool(dir: string) {
  const files = CORPUS.map((c, i) => {
    const file = path.join(dir, `case-${i}.rules.yaml`);
    fs.writeFileSync(file, c.yaml);
    return file;
  });
  const run = spawnSync(PROMTOOL, ['check', 'rules', ...files], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = (run.stderr ?? '').split('\n');
  const errors = files.map(file =>
    lines.filter(l => l.startsWith(`${file}: `)),
  );
  return { status: run.status, errors };
}

withPromtool('the offline verdict agrees with promtool check rules', () => {
  let dir = '';
  let result: ReturnType<typeof runPromtool> | undefined;
  const promtool = () => {
    if (!result) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-corpus-'));
      result = runPromtool(dir);
    }
    return result;
  };
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 1 exactly when a file has errors', () => {
    const { status, errors } = promtool();
    expect(status).toBe(errors.some(e => e.length) ? 1 : 0);
  });

  it.each(CORPUS.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    const errors = promtool().errors[i];
    // The corpus records promtool's verdict (its errors shown on a mismatch) …
    expect({ valid: !errors.length, errors }).toMatchObject({ valid: c.valid });
    // … and the offline checker agrees with promtool.
    expect(offlineValid(c)).toBe(!errors.length);
  });
});
