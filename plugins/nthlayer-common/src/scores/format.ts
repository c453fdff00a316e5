// The browser build of the sync API is self-contained (no Node globals such as Buffer), so it
// works in a frontend bundle; jest transpiles it, and Node 22 can require it in the backend.
import { stringify } from 'csv-stringify/browser/esm/sync';
import { PortfolioResponse, PortfolioService } from './api';
import { refName, roundTo } from './numbers';

/** The formats a portfolio is served in (`GET /v1/portfolio?format=`). @public */
export type PortfolioFormat = 'json' | 'csv' | 'markdown';

/** Every {@link PortfolioFormat}. @public */
export const PORTFOLIO_FORMATS: readonly PortfolioFormat[] = ['json', 'csv', 'markdown'];

/** The columns of the CSV format, in order: one row per service. @public */
export const PORTFOLIO_CSV_COLUMNS = [
  'entityRef',
  'name',
  'title',
  'owner',
  'system',
  'tier',
  'status',
  'budgetStatus',
  'minRemainingRatio',
  'worstSlo',
  'slosBelowTarget',
  'sloCount',
  'gateVerdict',
  'driftCritical',
  'score',
] as const satisfies ReadonlyArray<keyof PortfolioService>;

/**
 * Characters that make a spreadsheet read a cell as a formula (`=`, `+`, `-`, `@`, and tab and
 * carriage return as OWASP lists them).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell safe to open in a spreadsheet: one starting with a formula character gets a
 * leading apostrophe, so `=HYPERLINK(…)` stays text. Numbers are written as numbers and are
 * never prefixed (a negative ratio stays `-0.2`).
 */
function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value);
}

function toCsv(p: PortfolioResponse): string {
  const rows = p.services.map(s => [
    csvText(s.entityRef),
    csvText(s.name),
    csvText(s.title),
    csvText(s.owner),
    csvText(s.system),
    csvNumber(s.tier),
    csvText(s.status),
    csvText(s.budgetStatus),
    csvNumber(s.minRemainingRatio),
    csvText(s.worstSlo),
    csvNumber(s.slosBelowTarget),
    csvNumber(s.sloCount),
    csvText(s.gateVerdict),
    csvNumber(s.driftCritical),
    csvNumber(s.score),
  ]);
  return stringify(rows, { header: true, columns: [...PORTFOLIO_CSV_COLUMNS], record_delimiter: 'unix' });
}

/** A Markdown table cell: backslashes and pipes escaped, line breaks turned into spaces. */
function mdCell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** Markdown text outside a table (a heading or a bullet): one line. */
function mdLine(value: string): string {
  return value.replace(/\r\n|\r|\n/g, ' ');
}

const mdScore = (v: number | null) => (v === null ? '—' : String(roundTo(v, 1)));
const mdPercent = (ratio: number | null) => (ratio === null ? '—' : `${roundTo(ratio * 100, 1)} %`);

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(mdCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(mdCell).join(' | ')} |`),
  ];
}

function toMarkdown(p: PortfolioResponse): string {
  const lines: string[] = [
    mdLine(`# Reliability portfolio: ${p.status} (org score ${mdScore(p.org.score)})`),
    '',
    mdLine(
      `${p.org.services} services (${p.org.byStatus.critical} critical, ${p.org.byStatus.warning} warning, ${p.org.byStatus.healthy} healthy), generated ${p.generatedAt}`,
    ),
    '',
  ];
  if (p.insights.length > 0) {
    lines.push('## Insights', '', ...p.insights.map(i => mdLine(`- **${i.severity}**: ${i.message}`)), '');
  }
  lines.push(
    '## Teams',
    '',
    ...table(
      ['Team', 'Score', 'Status', 'Services', 'Tier-1 below target'],
      p.teams.map(t => [refName(t.ref), mdScore(t.score), t.status, String(t.services), String(t.tier1BelowTarget)]),
    ),
    '',
    '## Services',
    '',
    ...table(
      ['Service', 'Team', 'Tier', 'Status', 'Budget remaining', 'Score'],
      p.services.map(s => [
        s.title ?? s.name,
        s.owner === null ? '—' : refName(s.owner),
        String(s.tier),
        s.status,
        mdPercent(s.minRemainingRatio),
        mdScore(s.score),
      ]),
    ),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A portfolio as text:
 * - `json`: `JSON.stringify(p, null, 2)`;
 * - `csv`: one row per service with the {@link PORTFOLIO_CSV_COLUMNS} header (RFC 4180 quoting,
 *   null as an empty cell); a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
 *   gets a leading apostrophe so spreadsheets do not run it as a formula;
 * - `markdown`: a heading with the status and org score, the insights as bullets, a table of
 *   teams and one of services (pipes escaped, line breaks as spaces).
 *
 * @public
 */
export function formatPortfolio(p: PortfolioResponse, format: PortfolioFormat): string {
  switch (format) {
    case 'csv':
      return toCsv(p);
    case 'markdown':
      return toMarkdown(p);
    case 'json':
      return JSON.stringify(p, null, 2);
    default:
      throw new Error(`unknown portfolio format ${String(format)}; accepted: ${PORTFOLIO_FORMATS.join(', ')}`);
  }
}
