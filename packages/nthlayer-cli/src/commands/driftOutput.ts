import { DriftFinding, DriftReport, DriftTargetStatus, Finding } from '@nthlayer/backstage-plugin-common';

/** 0 no drift, 1 warnings only, 2 critical drift, 3 could not check. */
export type DriftExit = 0 | 1 | 2 | 3;

/** One service's check. */
export interface ServiceDriftReport {
  /** The service file, as given or found in the directory. */
  file: string;
  service: string;
  report: DriftReport;
}

/** A whole `nthlayer drift` run. */
export interface DriftRun {
  reports: ServiceDriftReport[];
  /** Service files that could not be used, so nothing of them was checked. */
  unchecked: Array<{ file: string; reason: string; findings: Finding[] }>;
  exitCode: DriftExit;
}

export const VERDICTS: Record<DriftExit, string> = {
  0: 'no drift',
  1: 'warnings',
  2: 'critical drift',
  3: 'could not check',
};

const STATE_TEXT: Record<DriftTargetStatus['state'], string> = {
  checked: 'checked',
  unreachable: 'UNREACHABLE',
  'not-configured': 'not configured',
};

/** The target status a finding belongs to: SLO threshold drift is found in the rules. */
function statusTarget(finding: DriftFinding): DriftTargetStatus['target'] {
  if (finding.target === 'slo-threshold') return 'rules';
  return finding.target;
}

function counts(findings: DriftFinding[]): string {
  const of = (severity: DriftFinding['severity']) => findings.filter(f => f.severity === severity).length;
  return `${of('critical')} critical, ${of('warning')} warning, ${of('info')} info`;
}

/** The `{findings, reports}` document of `--format json`; each finding names its service and file. */
export function driftJson(run: DriftRun) {
  return {
    exitCode: run.exitCode,
    verdict: VERDICTS[run.exitCode],
    findings: run.reports.flatMap(r => r.report.findings.map(f => ({ service: r.service, file: r.file, ...f }))),
    reports: run.reports.map(r => ({ service: r.service, file: r.file, ...r.report })),
    unchecked: run.unchecked,
  };
}

/** `expected → actual` on one line when both are short, else each on a line of its own. */
function difference(finding: DriftFinding, indent: string): string[] {
  if (finding.expected === undefined && finding.actual === undefined) return [];
  const expected = finding.expected ?? '(none)';
  const actual = finding.actual ?? '(none)';
  if (expected.length + actual.length <= 100 && !`${expected}${actual}`.includes('\n')) {
    return [`${indent}${expected} → ${actual}`];
  }
  return [`${indent}expected: ${expected}`, `${indent}actual:   ${actual}`];
}

/** Plain text: per service, per target its state, then that target's findings. */
export function driftText(run: DriftRun): string {
  const lines: string[] = [];
  for (const { file, service, report } of run.reports) {
    lines.push(`${service} (${file}): ${counts(report.findings)}`);
    for (const status of report.targets) {
      const where = status.instance ? ` ${status.instance}` : '';
      const detail = status.detail ? `: ${status.detail}` : '';
      lines.push(`  ${status.target.padEnd(9)} ${STATE_TEXT[status.state]}${where}${detail}`);
      for (const finding of report.findings.filter(f => statusTarget(f) === status.target)) {
        const field = finding.field ? ` [${finding.field}]` : '';
        const kind = finding.target === status.target ? finding.kind : `${finding.target} ${finding.kind}`;
        lines.push(`    ${finding.severity.padEnd(8)} ${kind} ${finding.object}${field}`);
        lines.push(...difference(finding, '             '));
        lines.push(`             ${finding.message}`);
      }
    }
  }
  for (const { reason } of run.unchecked) lines.push(`not checked: ${reason}`);
  const all = run.reports.flatMap(r => r.report.findings);
  const unreachable = run.reports.flatMap(r => r.report.targets).filter(t => t.state === 'unreachable').length;
  lines.push(
    `drift: ${VERDICTS[run.exitCode]} (exit ${run.exitCode}): ${run.reports.length} service(s) checked, ${counts(all)}` +
      `${unreachable ? `, ${unreachable} target check(s) unreachable` : ''}` +
      `${run.unchecked.length ? `, ${run.unchecked.length} file(s) not checked` : ''}`,
  );
  return lines.join('\n');
}

function cell(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  // A code span cannot hold a backtick reliably in every renderer: plain text then.
  return text.includes('`') ? cell(text) : `\`${cell(text)}\``;
}

/** Markdown for a pull-request comment: a verdict, the targets' states, one table of findings. */
export function driftMarkdown(run: DriftRun): string {
  const all = run.reports.flatMap(r => r.report.findings);
  const lines = [
    `### NthLayer drift: **${VERDICTS[run.exitCode]}** (exit ${run.exitCode})`,
    '',
    `${run.reports.length} service(s) checked: ${counts(all)}.`,
    '',
    '| service | target | state | instance | detail |',
    '|---|---|---|---|---|',
    ...run.reports.flatMap(({ service, report }) =>
      report.targets.map(
        t => `| ${cell(service)} | ${t.target} | ${t.state} | ${cell(t.instance)} | ${cell(t.detail)} |`,
      ),
    ),
    ...run.unchecked.map(u => `| ${cell(u.file)} | – | not checked | | ${cell(u.reason)} |`),
    '',
  ];
  if (all.length === 0) {
    lines.push('No drift in the targets checked.');
    return lines.join('\n');
  }
  lines.push(
    '| service | severity | target | kind | object | field | expected | actual | message |',
    '|---|---|---|---|---|---|---|---|---|',
    ...run.reports.flatMap(({ service, report }) =>
      report.findings.map(
        f =>
          `| ${cell(service)} | ${f.severity} | ${f.target} | ${f.kind} | ${cell(f.object)} | ${cell(f.field)} | ${code(f.expected)} | ${code(f.actual)} | ${cell(f.message)} |`,
      ),
    ),
  );
  return lines.join('\n');
}
