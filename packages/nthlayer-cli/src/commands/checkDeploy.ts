import { GateDecision, cutForMessage } from '@nthlayer/backstage-plugin-common';
import { BackendOptions, Log, needsPermission, postToBackend } from './backendApi';

/** Options of {@link checkDeployCommand}. */
export interface CheckDeployOptions extends BackendOptions {
  entity: string;
  version: string;
  commit?: string;
  label?: string[];
  environment?: string;
  format?: string;
}

/** 0 allow, 1 warn, 2 block — and 3 when no verdict could be had. */
export type CheckDeployExit = 0 | 1 | 2 | 3;

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
  const body = {
    entityRef: options.entity,
    version: options.version,
    ...(options.commit ? { commit: options.commit } : {}),
    labels: options.label ?? [],
    ...(options.environment ? { environment: options.environment } : {}),
  };
  const text = await postToBackend('api/nthlayer/v1/gates/check', body, options, log, {
    failure: 'no verdict',
    forbidden: needsPermission('nthlayer.gate.check'),
  });
  if (text === undefined) return 3;
  let answer: GateAnswer;
  try {
    answer = JSON.parse(text);
  } catch {
    log.err('no verdict: the backend answered with something that is not JSON');
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
