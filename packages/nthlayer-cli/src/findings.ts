import { Finding } from '@nthlayer/backstage-plugin-common';

/** Exit codes shared with the deploy gate: 0 clean, 1 warnings, 2 errors. */
export type ExitCode = 0 | 1 | 2;

/** The worst severity among the findings as an exit code. */
export function exitCodeOf(severities: Array<'error' | 'warning'>): ExitCode {
  if (severities.includes('error')) return 2;
  return severities.includes('warning') ? 1 : 0;
}

/** One line per finding: `error   nthlayer.dev/service-file  message`. */
export function formatFinding(finding: Finding): string {
  return `${finding.severity.padEnd(7)} ${finding.message}`;
}
