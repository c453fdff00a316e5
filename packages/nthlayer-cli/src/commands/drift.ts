import { cutForMessage, driftExitCode, mapLimit } from '@nthlayer/backstage-plugin-common';
import {
  ArtifactKind,
  DriftReaders,
  GrafanaClient,
  ObservedRuleGroup,
  PrometheusClient,
  checkDrift,
  indexRuleGroups,
  loadAlertCatalogue,
  readRuleGroups,
} from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatFinding } from '../findings';
import { ServiceArtifacts, UnusableServiceFile, isUnusable, loadServiceArtifacts } from '../serviceArtifacts';
import { Log } from './backendApi';
import { DriftExit, DriftRun, driftJson, driftMarkdown, driftText } from './driftOutput';
import { parseHeaderOption } from './seriesCheck';
import { DEFAULT_PAGERDUTY_URL, pagerDutyClient, parseBaseUrl, parseTimeout, shownUrl } from './targets';

/** Options of {@link driftCommand}, as commander hands them over. */
export interface DriftCommandOptions {
  /** Prometheus base URL: check the rules it has loaded (`/api/v1/rules`). */
  prometheus?: string;
  /** Extra headers for Prometheus, each `Name: value` (repeatable). */
  prometheusHeader?: string[];
  /** Grafana base URL: check the dashboards. */
  grafana?: string;
  /** Grafana service account token; `GRAFANA_TOKEN` when absent. */
  grafanaToken?: string;
  /** Check PagerDuty with the token of `PAGERDUTY_TOKEN`. */
  pagerduty?: boolean;
  /** PagerDuty REST API key: check PagerDuty. */
  pagerdutyToken?: string;
  /** PagerDuty's API; default `https://api.pagerduty.com`. Naming it checks PagerDuty too. */
  pagerdutyUrl?: string;
  format?: string;
  runbookUrl?: string;
  catalogue?: string;
  /** Per-request timeout in ms (default 30,000). */
  timeout?: string;
}

/** What drift compares: everything but OpenSLO. */
const DRIFT_KINDS: ArtifactKind[] = ['prometheus-rules', 'technology-alerts', 'grafana-dashboard', 'pagerduty'];

/** How many services are checked at the same time (Grafana and PagerDuty are read per service). */
const CONCURRENCY = 4;

const NOT_NAMED = {
  rules: 'not checked: no --prometheus on the command line',
  dashboard: 'not checked: no --grafana on the command line',
  pagerduty: 'not checked: no --pagerduty-token (or --pagerduty with PAGERDUTY_TOKEN) on the command line',
};

/** The service files of `target`: the file itself, or every `*.yaml` / `*.yml` file directly in the directory. */
export async function serviceFiles(target: string): Promise<string[] | string> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    return `cannot read ${target}: ${(error as Error).message}`;
  }
  if (!stat.isDirectory()) return [target];
  let entries;
  try {
    entries = await fs.readdir(target, { withFileTypes: true });
  } catch (error) {
    return `cannot read ${target}: ${(error as Error).message}`;
  }
  const files = entries
    .filter(e => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map(e => path.join(target, e.name))
    .sort();
  return files.length > 0 ? files : `no service files (*.yaml, *.yml) in ${target}`;
}

/** The readers of the targets named on the command line, or a usage error. */
function readersOf(
  options: DriftCommandOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): { readers: DriftReaders; named: string[] } | string {
  const readers: DriftReaders = {};
  const named: string[] = [];
  if (options.prometheus !== undefined) {
    const baseUrl = parseBaseUrl(options.prometheus);
    if (!baseUrl) return `--prometheus ${JSON.stringify(cutForMessage(options.prometheus, 200))} is not an http(s) URL`;
    const headers: Record<string, string> = {};
    for (const line of options.prometheusHeader ?? []) {
      const header = parseHeaderOption(line);
      if (!header) return `--prometheus-header ${JSON.stringify(cutForMessage(line, 200))} must look like 'Name: value'`;
      headers[header[0]] = header[1];
    }
    const client = new PrometheusClient({ baseUrl, timeoutMs, headers });
    // One read of /api/v1/rules per run (its alerting and recording halves), whatever the
    // number of services (a failure too is read once).
    let groups: Promise<Map<string, ObservedRuleGroup[]>> | undefined;
    readers.rules = {
      instance: shownUrl(baseUrl),
      groups: () => (groups ??= readRuleGroups(client).then(indexRuleGroups)),
    };
    named.push('rules');
  } else if (options.prometheusHeader?.length) {
    return '--prometheus-header needs --prometheus URL';
  }
  if (options.grafana !== undefined) {
    const baseUrl = parseBaseUrl(options.grafana);
    if (!baseUrl) return `--grafana ${JSON.stringify(cutForMessage(options.grafana, 200))} is not an http(s) URL`;
    const token = options.grafanaToken ?? env.GRAFANA_TOKEN;
    if (!token) return '--grafana needs a service account token: --grafana-token T or GRAFANA_TOKEN';
    const client = new GrafanaClient({ baseUrl, token, timeoutMs });
    readers.grafana = { instance: shownUrl(baseUrl), getDashboard: uid => client.getDashboard(uid) };
    named.push('dashboard');
  } else if (options.grafanaToken !== undefined) {
    return '--grafana-token needs --grafana URL';
  }
  if (options.pagerduty || options.pagerdutyToken !== undefined || options.pagerdutyUrl !== undefined) {
    const baseUrl = parseBaseUrl(options.pagerdutyUrl ?? DEFAULT_PAGERDUTY_URL);
    if (!baseUrl) return `--pagerduty-url ${JSON.stringify(cutForMessage(options.pagerdutyUrl ?? '', 200))} is not an http(s) URL`;
    const token = options.pagerdutyToken ?? env.PAGERDUTY_TOKEN;
    if (!token) return 'PagerDuty needs a REST API key: --pagerduty-token T or PAGERDUTY_TOKEN';
    readers.pagerduty = pagerDutyClient({ token, baseUrl, timeoutMs });
    named.push('pagerduty');
  }
  if (named.length === 0) {
    return 'name at least one target to check: --prometheus URL, --grafana URL (with --grafana-token or GRAFANA_TOKEN), --pagerduty-token T (or --pagerduty with PAGERDUTY_TOKEN)';
  }
  return { readers, named };
}

/**
 * `nthlayer drift <service-file|dir>`: what NthLayer generates for each service against
 * what the targets named on the command line run — the rules Prometheus has loaded, the
 * Grafana dashboard, the PagerDuty configuration. Stateless, for CI. Exit 0 no drift, 1
 * warnings only, 2 critical drift, 3 could not check (a named target unreachable, a service
 * file unusable, a usage error) unless critical drift was found among what could be.
 */
export async function driftCommand(
  target: string,
  options: DriftCommandOptions,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DriftExit> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) {
    log.err(`--format must be text, json or markdown, got "${cutForMessage(format, 40)}"`);
    return 3;
  }
  const timeoutMs = parseTimeout(options.timeout);
  if (!timeoutMs) {
    log.err(`--timeout ${JSON.stringify(cutForMessage(options.timeout ?? '', 40))} is not a positive number of milliseconds`);
    return 3;
  }
  const targets = readersOf(options, env, timeoutMs);
  if (typeof targets === 'string') {
    log.err(targets);
    return 3;
  }
  const files = await serviceFiles(target);
  if (typeof files === 'string') {
    log.err(files);
    return 3;
  }
  let catalogue;
  try {
    catalogue = loadAlertCatalogue(options.catalogue);
  } catch (error) {
    log.err(`cannot read the alert catalogue: ${(error as Error).message}`);
    return 3;
  }

  const services: ServiceArtifacts[] = [];
  const unchecked: UnusableServiceFile[] = [];
  for (const file of files) {
    const loaded = await loadServiceArtifacts(file, { kinds: DRIFT_KINDS, runbookUrl: options.runbookUrl, catalogue });
    loaded.findings.forEach(f => log.err(`${file}: ${formatFinding(f)}`));
    if (isUnusable(loaded)) {
      log.err(`${loaded.reason}: not checked`);
      unchecked.push(loaded);
    } else {
      services.push(loaded);
    }
  }

  const reports = await mapLimit(services, CONCURRENCY, async service => ({
    file: service.file,
    service: service.name,
    report: await checkDrift({
      entityRef: service.entityRef,
      service: service.name,
      artifacts: service.artifacts,
      readers: targets.readers,
      notConfigured: NOT_NAMED,
    }),
  }));
  let exitCode: DriftExit = driftExitCode(
    reports.flatMap(r => r.report.findings),
    reports.flatMap(r => r.report.targets),
  );
  if (unchecked.length > 0 && exitCode !== 2) exitCode = 3;
  const run: DriftRun = { reports, unchecked, exitCode };
  if (format === 'json') log.out(JSON.stringify(driftJson(run), null, 2));
  else if (format === 'markdown') log.out(driftMarkdown(run));
  else log.out(driftText(run));
  return exitCode;
}
