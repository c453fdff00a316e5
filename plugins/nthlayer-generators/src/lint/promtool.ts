import { spawnSync } from 'child_process';

/** Outcome of a promtool run. @public */
export interface PromtoolVerdict {
  /** `unavailable` when the promtool binary is not installed. */
  status: 'passed' | 'failed' | 'unavailable';
  /** Combined stdout and stderr of promtool, or why it could not run. */
  output: string;
}

/** The promtool binary: `$PROMTOOL`, else `promtool` on the PATH. */
function promtoolBinary(): string {
  return process.env.PROMTOOL || 'promtool';
}

/**
 * Runs promtool with `args` (I/O: spawns a process). Exit code 0 is `passed`, any other
 * `failed`; a missing binary is `unavailable`.
 *
 * @public
 */
export function runPromtool(
  args: string[],
  options: { cwd?: string } = {},
): PromtoolVerdict {
  const result = spawnSync(promtoolBinary(), args, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? {
          status: 'unavailable',
          output: `promtool not found (${promtoolBinary()}); install Prometheus' promtool or set PROMTOOL`,
        }
      : { status: 'failed', output: String(result.error.message) };
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { status: result.status === 0 ? 'passed' : 'failed', output };
}

/**
 * `promtool check rules <filePath>`: Prometheus' own verdict on a rule file (the source of
 * truth; DESIGN §3). Returns `unavailable` when promtool is not installed.
 *
 * @public
 */
export function promtoolCheck(filePath: string): PromtoolVerdict {
  return runPromtool(['check', 'rules', filePath]);
}
