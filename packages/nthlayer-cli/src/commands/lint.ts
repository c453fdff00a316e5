import {
  LintFinding,
  disabledChecks,
  durationMs,
  findYamlFiles,
  isRuleFile,
  lintRuleFile,
  promtoolCheck,
  ruleSelectors,
} from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import { ExitCode, exitCodeOf } from '../findings';
import { SeriesCheckError, checkSeries, parseHeaderOption } from './seriesCheck';

/** Options of {@link lintCommand}. */
export interface LintCommandOptions {
  /** Skip promtool even when it is installed. */
  promtool?: boolean;
  scrapeInterval?: string;
  /** Prometheus base URL: also check that the rules' series exist (`promql/series`). */
  prometheus?: string;
  /** How far back a series counts as existing for `promql/series`. Default `1d`. */
  lookback?: string;
  /** Extra headers for Prometheus, each `Name: value` (`--header`, repeatable). */
  header?: string[];
}

const VERDICTS: Record<ExitCode, string> = { 0: 'clean', 1: 'warnings', 2: 'errors' };

/**
 * `nthlayer lint <dir>`: lints every Prometheus rule file under `dir` with `lintRuleFile`
 * and, where promtool is installed, `promtool check rules`; with `prometheus` set, also
 * whether the series the rules select exist. Exit 0 clean, 1 warnings, 2 errors.
 */
export async function lintCommand(
  dir: string,
  options: LintCommandOptions,
  log: { out: (line: string) => void; err: (line: string) => void },
): Promise<ExitCode> {
  let files: string[];
  try {
    files = await findYamlFiles(dir);
  } catch (error) {
    log.err(`cannot read ${dir}: ${(error as Error).message}`);
    return 2;
  }
  const lookbackMs = durationMs(options.lookback ?? '1d');
  if (options.prometheus && !lookbackMs) {
    log.err(`--lookback ${options.lookback} is not a Prometheus duration (e.g. 6h, 1d)`);
    return 2;
  }
  const headers: Record<string, string> = {};
  for (const line of options.header ?? []) {
    const header = parseHeaderOption(line);
    if (!header) {
      log.err(`--header ${JSON.stringify(line)} must look like 'Name: value'`);
      return 2;
    }
    headers[header[0]] = header[1];
  }
  const severities: Array<'error' | 'warning'> = [];
  const report = (file: string, f: LintFinding) => {
    severities.push(f.severity);
    const where = [file, f.line].filter(Boolean).join(':');
    const rule = f.rule ? ` ${f.group ?? ''}/${f.rule}` : '';
    log.out(`${where}: ${f.severity} [${f.check}]${rule} ${f.message}`);
  };
  let online = !!options.prometheus;
  let checked = 0;
  let promtoolMissing = false;
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    if (!isRuleFile(file, text)) continue;
    checked++;
    const findings = lintRuleFile(text, { scrapeInterval: options.scrapeInterval });
    for (const f of findings) report(file, f);
    if (online && !disabledChecks(text).has('promql/series')) {
      try {
        const series = await checkSeries(ruleSelectors(text), {
          baseUrl: options.prometheus!,
          lookbackSeconds: lookbackMs! / 1000,
          headers,
        });
        for (const f of series) report(file, f);
      } catch (error) {
        if (!(error instanceof SeriesCheckError)) throw error;
        severities.push('error');
        log.err(`promql/series not checked: ${error.message}`);
        online = false;
      }
    }
    if (options.promtool === false || promtoolMissing) continue;
    const verdict = promtoolCheck(file);
    if (verdict.status === 'unavailable') {
      promtoolMissing = true;
      log.err(`promtool not run: ${verdict.output}`);
    } else if (verdict.status === 'failed') {
      severities.push('error');
      log.out(`${file}: error [promtool] ${verdict.output}`);
    }
  }
  const code = exitCodeOf(severities);
  log.out(`${checked} rule file(s) checked: ${VERDICTS[code]}`);
  return code;
}
