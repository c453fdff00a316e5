import { GateDecision, cutForMessage } from '@nthlayer/backstage-plugin-common';

/** Options of {@link checkDeployCommand}. */
export interface CheckDeployOptions {
  entity: string;
  backendUrl?: string;
  token?: string;
  version: string;
  commit?: string;
  label?: string[];
  environment?: string;
  format?: string;
  /** Milliseconds to wait for the backend. Default 30,000. */
  timeout?: string;
}

/** 0 allow, 1 warn, 2 block — and 3 when no verdict could be had. */
export type CheckDeployExit = 0 | 1 | 2 | 3;

type Log = { out: (line: string) => void; err: (line: string) => void };

interface GateAnswer extends GateDecision {
  entityRef: string;
  decidedAt: string;
  id?: number;
}

/**
 * `nthlayer check-deploy`: asks the NthLayer backend's deploy gate whether this deploy may go
 * ahead and exits with the verdict (0 allow, 1 warn, 2 block), or 3 when there is no
 * verdict — the backend unreachable, the token refused (401) or lacking the permission (403),
 * the entity unknown, a bad request. The explanation goes to stdout as text, JSON or Markdown.
 */
export async function checkDeployCommand(options: CheckDeployOptions, log: Log): Promise<CheckDeployExit> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) {
    log.err(`--format must be text, json or markdown, got "${cutForMessage(format, 40)}"`);
    return 3;
  }
  const backendUrl = options.backendUrl ?? process.env.NTHLAYER_BACKEND_URL;
  const token = options.token ?? process.env.NTHLAYER_TOKEN;
  if (!backendUrl) {
    log.err('--backend-url (or NTHLAYER_BACKEND_URL) is required, e.g. https://backstage.example.com');
    return 3;
  }
  if (!token) {
    log.err('--token (or NTHLAYER_TOKEN) is required: a Backstage static external access token restricted to nthlayer.gate.check');
    return 3;
  }
  let url: URL;
  try {
    url = new URL('api/nthlayer/v1/gates/check', backendUrl.endsWith('/') ? backendUrl : `${backendUrl}/`);
  } catch {
    log.err(`--backend-url is not a URL: "${cutForMessage(backendUrl, 200)}"`);
    return 3;
  }
  const timeoutMs = Number(options.timeout ?? 30_000);
  const body = {
    entityRef: options.entity,
    version: options.version,
    ...(options.commit ? { commit: options.commit } : {}),
    labels: options.label ?? [],
    ...(options.environment ? { environment: options.environment } : {}),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    log.err(`no verdict: the NthLayer backend at ${url.origin} could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    return 3;
  }
  const text = await response.text();
  if (!response.ok) {
    log.err(`no verdict: ${refusal(response.status, text)}`);
    return 3;
  }
  let answer: GateAnswer;
  try {
    answer = JSON.parse(text);
  } catch {
    log.err(`no verdict: the backend answered ${response.status} with something that is not JSON`);
    return 3;
  }
  if (![0, 1, 2].includes(answer.exitCode)) {
    log.err(`no verdict: the backend's answer has no exit code`);
    return 3;
  }
  if (format === 'json') log.out(JSON.stringify(answer, null, 2));
  else if (format === 'markdown') log.out(markdown(answer, options.version));
  else log.out(plainText(answer, options.version));
  return answer.exitCode;
}

function refusal(status: number, text: string): string {
  let message = '';
  try {
    message = JSON.parse(text)?.error?.message ?? '';
  } catch {
    message = '';
  }
  const detail = message ? `: ${cutForMessage(message, 300)}` : '';
  if (status === 401) return `the backend refused the token (401)${detail} — check --token / NTHLAYER_TOKEN and backend.auth.externalAccess`;
  if (status === 403) return `the token may not ask the gate (403)${detail} — it needs the permission nthlayer.gate.check`;
  if (status === 404) return `not found (404)${detail}`;
  if (status === 400) return `the backend rejected the request (400)${detail}`;
  return `the backend answered ${status}${detail}`;
}

const SYMBOL: Record<string, string> = { true: '✗', false: '✓', exempt: '–', error: '?' };

function valuesOf(values: Record<string, unknown>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k} = ${cutForMessage(JSON.stringify(v), 200)}`);
  return parts.length ? `; read ${parts.join(', ')}` : '';
}

function plainText(a: GateAnswer, version: string): string {
  const lines = [
    `NthLayer deploy gate: ${a.verdict.toUpperCase()} (exit ${a.exitCode}) for ${a.entityRef} ${version}`,
    `budgets as of ${a.budgetsAsOf ?? 'never measured'}${a.stale ? ' (stale)' : ''}; policies: ${a.policies.map(p => `${p.name} (${p.hash.slice(0, 12)})`).join(', ')}`,
    'reasons:',
    ...a.reasons.map(r => `  - ${r}`),
    'rules:',
    ...a.rules.map(r => `  ${SYMBOL[r.result] ?? ' '} ${r.policy}/${r.rule} [${r.action}] ${r.condition} → ${r.result}${valuesOf(r.values)}`),
  ];
  return lines.join('\n');
}

function markdown(a: GateAnswer, version: string): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `### NthLayer deploy gate: **${a.verdict}** (exit ${a.exitCode})`,
    '',
    `\`${a.entityRef}\` ${version} — budgets as of ${a.budgetsAsOf ?? 'never measured'}${a.stale ? ' (stale)' : ''}`,
    '',
    ...a.reasons.map(r => `- ${cell(r)}`),
    '',
    '| policy | rule | action | condition | result | values |',
    '|---|---|---|---|---|---|',
    ...a.rules.map(r => `| ${cell(r.policy)} | ${cell(r.rule)} | ${r.action} | \`${cell(r.condition)}\` | ${r.result} | ${cell(JSON.stringify(r.values))} |`),
  ].join('\n');
}
