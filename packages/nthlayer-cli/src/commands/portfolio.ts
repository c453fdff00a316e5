import {
  PortfolioFormat,
  PortfolioResponse,
  ServiceTier,
  buildPortfolio,
  cutForMessage,
  formatPortfolio,
  parseTier,
} from '@nthlayer/backstage-plugin-common';
import { PrometheusClient } from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import { BackendOptions, Log, getFromBackend } from './backendApi';
import { serviceFiles } from './drift';
import { measureServiceFiles } from './portfolioServices';
import { portfolioTable } from './portfolioTable';
import { parseHeaderOption } from './seriesCheck';
import { parseBaseUrl, parseTimeout } from './targets';

/** Options of {@link portfolioCommand}, as commander hands them over. */
export interface PortfolioCommandOptions extends BackendOptions {
  /** Stateless mode: a directory of service files, measured on `prometheus`. */
  services?: string;
  /** With `services`: the Prometheus the SLOs are measured on. */
  prometheus?: string;
  /** Extra headers for Prometheus, each `Name: value` (repeatable). */
  prometheusHeader?: string[];
  /** `table` (default), `json`, `csv` or `markdown`. */
  format?: string;
  /** Only the services owned by this group (an entity ref, or a team name in stateless mode). */
  group?: string;
  /** Only the services of this system (backend mode). */
  system?: string;
  /** Only the services of this tier. */
  tier?: string;
}

/** 0 healthy, 1 warning, 2 critical (the gate's codes) — and 3 when there is no portfolio. */
export type PortfolioExit = 0 | 1 | 2 | 3;

const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
type OutputFormat = (typeof FORMATS)[number];

const PORTFOLIO_PATH = 'api/nthlayer/v1/portfolio';

/** Reading the portfolio is not permission-gated: a 403 comes from the token's access restrictions. */
const FORBIDDEN =
  'reading the portfolio needs no NthLayer permission, only a token the backend accepts for the nthlayer plugin: check its accessRestrictions in backend.auth.externalAccess';

/**
 * `nthlayer portfolio`: the reliability portfolio — every service's score and status, rolled
 * up per team and for the organisation, with the insights worth reading first — as a text
 * table, JSON, CSV or Markdown. Two modes:
 * - backend: `GET /api/nthlayer/v1/portfolio` of the NthLayer backend (`--backend-url`,
 *   `--token`, or `NTHLAYER_BACKEND_URL` / `NTHLAYER_TOKEN`), rendered locally;
 * - stateless (`--services DIR --prometheus URL`): the service files of a directory, their
 *   SLOs measured on Prometheus and scored exactly as the backend does, without Backstage.
 *
 * Exit with the portfolio's code (DESIGN §8): 0 healthy, 1 warning, 2 critical — at least 1
 * when a service file was unusable or an SLO could not be measured — or 3 when there is no
 * portfolio (backend unreachable, 401/403, Prometheus unreachable for every SLO, a usage error).
 */
export async function portfolioCommand(
  options: PortfolioCommandOptions,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PortfolioExit> {
  const format = options.format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    log.err(`--format must be table, json, csv or markdown, got "${cutForMessage(format, 40)}"`);
    return 3;
  }
  let tier: ServiceTier | undefined;
  if (options.tier !== undefined) {
    tier = parseTier(options.tier);
    if (!tier) {
      log.err(`--tier must be 1, 2 or 3, got "${cutForMessage(options.tier, 40)}"`);
      return 3;
    }
  }
  const usage = usageError(options, env);
  if (usage) {
    log.err(usage);
    return 3;
  }
  const result =
    options.services !== undefined
      ? await statelessPortfolio(options.services, options, tier, log)
      : await backendPortfolio(options, tier, log);
  if (typeof result === 'number') return result;
  const { portfolio, atLeast } = result;
  log.out(render(portfolio, format as OutputFormat));
  return Math.max(portfolio.exitCode, atLeast) as PortfolioExit;
}

function render(p: PortfolioResponse, format: OutputFormat): string {
  if (format === 'table') return portfolioTable(p);
  // formatPortfolio's CSV and Markdown end with a line break; log.out adds one.
  return formatPortfolio(p, format as PortfolioFormat).replace(/\n$/, '');
}

/** Which mode, and options that do not belong to it. */
function usageError(options: PortfolioCommandOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.services !== undefined) {
    if (options.backendUrl !== undefined) return '--services and --backend-url are mutually exclusive: measure the service files, or ask the backend';
    if (options.token !== undefined) return '--token is used with --backend-url only';
    if (options.system !== undefined) return '--system needs --backend-url: service files name no system';
    if (options.prometheus === undefined) return '--services needs --prometheus URL: the Prometheus the SLOs are measured on';
    return undefined;
  }
  if (options.prometheus !== undefined || options.prometheusHeader?.length) {
    return '--prometheus and --prometheus-header are used with --services only';
  }
  if (options.backendUrl === undefined && !env.NTHLAYER_BACKEND_URL) {
    return 'one of --backend-url URL (or NTHLAYER_BACKEND_URL) and --services DIR (with --prometheus URL) is required';
  }
  return undefined;
}

/** A portfolio, and the exit code the run must have at least (unusable files, failed queries). */
interface Portfolio {
  portfolio: PortfolioResponse;
  atLeast: 0 | 1;
}

async function backendPortfolio(
  options: PortfolioCommandOptions,
  tier: ServiceTier | undefined,
  log: Log,
): Promise<Portfolio | 3> {
  const query = {
    format: 'json',
    group: options.group,
    system: options.system,
    tier: tier === undefined ? undefined : String(tier),
  };
  const text = await getFromBackend(PORTFOLIO_PATH, query, options, log, { failure: 'no portfolio', forbidden: FORBIDDEN });
  if (text === undefined) return 3;
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    log.err('no portfolio: the backend answered with something that is not JSON');
    return 3;
  }
  if (!isPortfolio(answer)) {
    log.err('no portfolio: the backend answered JSON that is not a portfolio (no exit code, services or org roll-up)');
    return 3;
  }
  return { portfolio: answer, atLeast: 0 };
}

function isPortfolio(value: unknown): value is PortfolioResponse {
  const p = value as Partial<PortfolioResponse> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    [0, 1, 2].includes(p.exitCode as number) &&
    typeof p.status === 'string' &&
    Array.isArray(p.services) &&
    Array.isArray(p.teams) &&
    Array.isArray(p.systems) &&
    Array.isArray(p.insights) &&
    typeof p.org === 'object' &&
    p.org !== null &&
    typeof p.filters === 'object' &&
    p.filters !== null
  );
}

/** `team-a` → `group:default/team-a`; `default/team-a` and `group:default/team-a` as refs. */
export function groupRef(text: string): string | undefined {
  const match = /^(?:([^:/\s]+):)?(?:([^:/\s]+)\/)?([^:/\s]+)$/.exec(text.trim());
  if (!match) return undefined;
  const [, kind = 'group', namespace = 'default', name] = match;
  return `${kind.toLowerCase()}:${namespace.toLowerCase()}/${name}`;
}

async function statelessPortfolio(
  dir: string,
  options: PortfolioCommandOptions,
  tier: ServiceTier | undefined,
  log: Log,
): Promise<Portfolio | 3> {
  const timeoutMs = parseTimeout(options.timeout);
  if (!timeoutMs) {
    log.err(`--timeout ${JSON.stringify(cutForMessage(options.timeout ?? '', 40))} is not a positive number of milliseconds`);
    return 3;
  }
  const baseUrl = parseBaseUrl(options.prometheus ?? '');
  if (!baseUrl) {
    log.err(`--prometheus ${JSON.stringify(cutForMessage(options.prometheus ?? '', 200))} is not an http(s) URL`);
    return 3;
  }
  const headers: Record<string, string> = {};
  for (const line of options.prometheusHeader ?? []) {
    const header = parseHeaderOption(line);
    if (!header) {
      log.err(`--prometheus-header ${JSON.stringify(cutForMessage(line, 200))} must look like 'Name: value'`);
      return 3;
    }
    headers[header[0]] = header[1];
  }
  let group: string | undefined;
  if (options.group !== undefined) {
    group = groupRef(options.group);
    if (!group) {
      log.err(`--group must be a team name or a group ref such as group:default/team-a, got "${cutForMessage(options.group, 80)}"`);
      return 3;
    }
  }
  const stat = await fs.stat(dir).catch((error: Error) => error);
  if (stat instanceof Error || !stat.isDirectory()) {
    log.err(`--services must be a directory of service files: ${stat instanceof Error ? stat.message : `${dir} is a file`}`);
    return 3;
  }
  const files = await serviceFiles(dir);
  if (typeof files === 'string') {
    log.err(`no portfolio: ${files}`);
    return 3;
  }

  const client = new PrometheusClient({ baseUrl, timeoutMs, headers });
  const now = new Date();
  const measured = await measureServiceFiles(files, client, now, log);
  if (measured.services.length === 0) {
    log.err(`no portfolio: no usable service file in ${dir}`);
    return 3;
  }
  if (measured.slos > 0 && measured.failed === measured.slos) {
    log.err(`no portfolio: no SLO could be measured on Prometheus (${cutForMessage(measured.firstError ?? 'unknown error', 300)})`);
    return 3;
  }
  const portfolio = buildPortfolio({
    services: measured.services,
    filters: { ...(group !== undefined ? { group } : {}), ...(tier !== undefined ? { tier } : {}) },
    generatedAt: now.toISOString(),
  });
  return { portfolio, atLeast: measured.unusable > 0 || measured.failed > 0 ? 1 : 0 };
}
