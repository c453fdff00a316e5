import { PortfolioResponse, PortfolioStatus } from '@nthlayer/backstage-plugin-common';

/** What each exit code of `nthlayer portfolio` means, as the header line says it. */
export const PORTFOLIO_EXIT_MEANING: Record<0 | 1 | 2, string> = {
  0: 'exit 0: every service healthy',
  1: 'exit 1: warnings, nothing critical',
  2: 'exit 2: at least one service critical',
};

/** The name part of an entity ref: `group:default/team-payments` → `team-payments`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).replace(/^[^:/]*:/, '');
}

/** Rounds to one decimal and prints without trailing zeros: `71.5`, `82`. */
function oneDecimal(value: number): string {
  return String(Math.round(Number((value * 10).toPrecision(15))) / 10);
}

const score = (value: number | null) => (value === null ? '—' : oneDecimal(value));
const percent = (ratio: number | null) => (ratio === null ? '—' : `${oneDecimal(ratio * 100)} %`);
/** One line, at most `max` characters: table cells never break the layout. */
const cell = (value: string, max = 60) => {
  const line = value.replace(/[\r\n\t]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * Columns padded to their widest cell, two spaces apart, indented by two; `right` holds the
 * indexes of right-aligned (numeric) columns. The last column is not padded.
 */
function columns(header: string[], rows: string[][], right: number[] = []): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map(r => [...r[i]].length)));
  return all.map(r =>
    `  ${r
      .map((c, i) => {
        if (i === r.length - 1 && !right.includes(i)) return c;
        const pad = ' '.repeat(widths[i] - [...c].length);
        return right.includes(i) ? pad + c : c + pad;
      })
      .join('  ')}`.trimEnd(),
  );
}

function byStatus(counts: Record<PortfolioStatus, number>): string {
  return `${counts.critical} critical, ${counts.warning} warning, ${counts.healthy} healthy`;
}

/**
 * A portfolio as a text table for a terminal or a CI log: a header line with the status, the
 * org score and what the exit code means; the filters; the teams (score, status, services);
 * the services (name, team, tier, status, budget remaining, score, gate verdict); the
 * insights.
 */
export function portfolioTable(p: PortfolioResponse): string {
  const filters = [
    p.filters.group !== undefined ? `group ${p.filters.group}` : undefined,
    p.filters.system !== undefined ? `system ${p.filters.system}` : undefined,
    p.filters.tier !== undefined ? `tier ${p.filters.tier}` : undefined,
  ].filter((f): f is string => f !== undefined);
  const lines = [
    `NthLayer portfolio: ${p.status.toUpperCase()}, org score ${score(p.org.score)} (${PORTFOLIO_EXIT_MEANING[p.exitCode]})`,
    `${p.org.services} service(s): ${byStatus(p.org.byStatus)}; generated ${p.generatedAt}${
      filters.length ? `; filtered by ${filters.map(f => cell(f, 200)).join(', ')}` : ''
    }`,
    '',
  ];
  if (p.teams.length === 0) {
    lines.push('teams: none (no service names an owner)');
  } else {
    lines.push(
      'teams:',
      ...columns(
        ['team', 'score', 'status', 'services'],
        p.teams.map(t => [cell(refName(t.ref)), score(t.score), t.status, `${t.services} (${byStatus(t.byStatus)})`]),
        [1],
      ),
    );
  }
  lines.push('');
  if (p.services.length === 0) {
    lines.push('services: none');
  } else {
    lines.push(
      'services:',
      ...columns(
        ['service', 'team', 'tier', 'status', 'budget left', 'score', 'gate'],
        p.services.map(s => [
          cell(s.name),
          s.owner === null ? '—' : cell(refName(s.owner)),
          String(s.tier),
          s.status,
          percent(s.minRemainingRatio),
          score(s.score),
          s.gateVerdict ?? '—',
        ]),
        [2, 4, 5],
      ),
    );
  }
  lines.push('');
  if (p.insights.length === 0) {
    lines.push('insights: none');
  } else {
    lines.push('insights:', ...p.insights.map(i => `  ${i.severity.padEnd(8)} ${cell(i.message, 300)}`));
  }
  return lines.join('\n');
}
