import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The YAML files (`.yaml`, `.yml`) under a directory and its subdirectories, sorted: what
 * `nthlayer lint` and the scaffolder's `nthlayer:validate` look through for rule files.
 *
 * @public
 */
export async function findYamlFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async entry => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findYamlFiles(full);
      return /\.ya?ml$/i.test(entry.name) ? [full] : [];
    }),
  );
  return nested.flat().sort();
}

/**
 * Whether a YAML file is a Prometheus rule file: named `*.rules.yaml` (or `.yml`), or a
 * document with a top-level `groups:`.
 *
 * @public
 */
export function isRuleFile(file: string, text: string): boolean {
  return /\.rules\.ya?ml$/i.test(file) || /^groups\s*:/m.test(text);
}
