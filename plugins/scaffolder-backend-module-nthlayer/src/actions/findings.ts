import { Finding } from '@nthlayer/backstage-plugin-common';

/** The longest echoed value: findings name the input, they do not repeat all of it. */
const MAX_VALUE = 120;

/** One readable line per finding: `severity: message (accepted: …)`. */
export function findingLines(findings: Finding[]): string[] {
  return findings.map(f => {
    const value = f.value.length > MAX_VALUE ? `${f.value.slice(0, MAX_VALUE)}…` : f.value;
    const about = f.annotation ? ` [${f.annotation}${value ? ` = ${value}` : ''}]` : '';
    return `${f.severity}: ${f.message}${about}`;
  });
}
