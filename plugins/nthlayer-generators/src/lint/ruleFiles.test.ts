import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findYamlFiles, isRuleFile } from './ruleFiles';

describe('findYamlFiles', () => {
  it('lists the YAML files under a directory and its subdirectories, sorted', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-yaml-files-'));
    try {
      await fs.mkdir(path.join(dir, 'prometheus', 'nested'), { recursive: true });
      for (const f of ['b.yaml', 'a.YML', 'notes.md', 'prometheus/x.rules.yaml', 'prometheus/nested/y.yml', 'prometheus/z.json']) {
        await fs.writeFile(path.join(dir, f), 'x: 1\n');
      }
      expect((await findYamlFiles(dir)).map(f => path.relative(dir, f))).toEqual(
        ['a.YML', 'b.yaml', 'prometheus/nested/y.yml', 'prometheus/x.rules.yaml'].sort(),
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('fails for a directory that does not exist', async () => {
    await expect(findYamlFiles(path.join(os.tmpdir(), 'nthlayer-no-such-dir-4711'))).rejects.toThrow(/ENOENT/);
  });
});

describe('isRuleFile', () => {
  it.each([
    ['prometheus/x.rules.yaml', 'anything', true],
    ['X.RULES.YML', '', true],
    ['alerts.yaml', 'groups:\n  - name: a\n', true],
    ['alerts.yaml', '# header\ngroups :\n', true],
    ['catalog-info.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: Component\n', false],
    ['values.yaml', 'spec:\n  groups:\n', false],
  ])('%s → %s', (file, text, expected) => {
    expect(isRuleFile(file, text)).toBe(expected);
  });
});
