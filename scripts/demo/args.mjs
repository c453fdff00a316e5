// What the demo's helper scripts share: their command-line options and the scenario's T0.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This directory (scripts/demo). */
export const here = dirname(fileURLToPath(import.meta.url));

/** The value of `--name value` on the command line, or undefined. */
export function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** T0 of the running demo (ms), as backfill.mjs wrote it to .demo/scenario.json. */
export function scenarioT0Ms() {
  return JSON.parse(readFileSync(resolve(here, '../../.demo/scenario.json'), 'utf8')).t0Ms;
}
