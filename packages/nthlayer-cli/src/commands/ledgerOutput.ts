import {
  DeploymentImpactSummary,
  EntityLedgerResponse,
  LedgerSlo,
  SloReport,
} from '@nthlayer/backstage-plugin-common';

/** Minutes as the ledger prints them: `28.0 min`, `5 h 12 m`, `2 d 3 h`. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '−' : '';
  const m = Math.abs(minutes);
  if (m < 60) return `${sign}${m.toFixed(1)} min`;
  if (m < 1440) return `${sign}${Math.floor(m / 60)} h ${Math.round(m % 60)} m`;
  return `${sign}${Math.floor(m / 1440)} d ${Math.round((m % 1440) / 60)} h`;
}

const BAR_WIDTH = 30;

/** A bar of the budget burned: full is the whole budget; beyond it the bar ends in `!`. */
export function budgetBar(burnedRatio: number): string {
  const filled = Math.max(0, Math.min(BAR_WIDTH, Math.round(burnedRatio * BAR_WIDTH)));
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]${burnedRatio > 1 ? '!' : ''}`;
}

const SOURCES = ['deployments', 'incidents', 'dependencies', 'unattributed', 'baseline'] as const;

function forecast(report: SloReport | undefined): string {
  if (!report?.errorBudget) return 'unknown (no measurement)';
  if (report.errorBudget.remainingRatio <= 0) return 'exhausted';
  if (report.timeToExhaustionMinutes === null) return 'not burning (no exhaustion at the current 1 h burn rate)';
  return `exhausted in ${formatMinutes(report.timeToExhaustionMinutes)} at the current 1 h burn rate`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The attribution rows of one SLO: per source its minutes, share and largest cause. */
function sourceRows(slo: LedgerSlo): Array<{ source: string; minutes: number; share: number | null; cause: string }> {
  const consumed = slo.consumedMinutes ?? SOURCES.reduce((sum, s) => sum + (slo.burned[s] ?? 0), 0);
  return SOURCES.map(source => {
    const minutes = slo.burned[source] ?? 0;
    const top = slo.episodes
      .filter(e => e.cause.source === source)
      .sort((a, b) => b.burnedMinutes - a.burnedMinutes)[0];
    let cause = '';
    if (source === 'baseline') {
      cause =
        slo.burned.baseline === null
          ? 'not known for a slice shorter than the SLO window'
          : 'at or below the sustainable pace, outside every episode';
    } else if (top) {
      const confidence = top.cause.confidence;
      cause = `${top.cause.label}${confidence ? ` (${confidence.score.toFixed(2)} ${confidence.level})` : ''}`;
    }
    return { source, minutes, share: consumed > 0 ? minutes / consumed : null, cause };
  });
}

/**
 * The `show error-budget` view of the original NthLayer: per SLO the total, burned and
 * remaining budget, a bar, the forecast, and the attribution table.
 */
export function ledgerText(ledger: EntityLedgerResponse, reports: SloReport[]): string {
  const lines: string[] = [`${ledger.entityRef} — budget ledger over ${ledger.window}${ledger.computedAt ? ` (read up to ${ledger.computedAt})` : ' (not computed yet)'}`];
  for (const slo of ledger.slos) {
    const report = reports.find(r => r.name === slo.sloName);
    lines.push('', `${slo.sloName} (${slo.targetPercent} % over ${report?.window ?? `${slo.windowMinutes} min`})`);
    lines.push(`  Total      ${formatMinutes(slo.budgetMinutes)}`);
    if (slo.consumedMinutes !== null) {
      const ratio = slo.budgetMinutes > 0 ? slo.consumedMinutes / slo.budgetMinutes : 0;
      lines.push(`  Burned     ${formatMinutes(slo.consumedMinutes)} (${Math.round(ratio * 100)} %)`);
      lines.push(`  Remaining  ${formatMinutes(slo.budgetMinutes - slo.consumedMinutes)}`);
      lines.push(`  ${budgetBar(ratio)}`);
    }
    lines.push(`  Forecast   ${forecast(report)}`);
    if (!slo.episodes.length) lines.push('  Nothing burned faster than the budget allows in this window.');
    lines.push('  Attribution');
    lines.push(`    ${pad('SOURCE', 14)}${pad('BURNED', 12)}${pad('SHARE', 7)}CAUSE`);
    for (const row of sourceRows(slo)) {
      const share = row.share === null ? '—' : `${Math.round(row.share * 100)} %`;
      lines.push(`    ${pad(row.source, 14)}${pad(formatMinutes(row.minutes), 12)}${pad(share, 7)}${row.cause}`.trimEnd());
    }
  }
  if (ledger.unattributedRatio !== null) lines.push('', `Unattributed: ${Math.round(ledger.unattributedRatio * 100)} % of the episodes' burn.`);
  return `${lines.join('\n')}\n`;
}

/** The same as Markdown: a heading and a table per SLO. */
export function ledgerMarkdown(ledger: EntityLedgerResponse, reports: SloReport[]): string {
  const lines: string[] = [`## Budget ledger of ${ledger.entityRef} (${ledger.window})`];
  for (const slo of ledger.slos) {
    const report = reports.find(r => r.name === slo.sloName);
    lines.push('', `### ${slo.sloName} — ${slo.targetPercent} %`, '');
    lines.push(`Total ${formatMinutes(slo.budgetMinutes)}; burned ${slo.consumedMinutes === null ? 'unknown' : formatMinutes(slo.consumedMinutes)}; forecast: ${forecast(report)}.`, '');
    lines.push('| Source | Burned | Share | Largest cause |', '|---|---:|---:|---|');
    for (const row of sourceRows(slo)) {
      lines.push(`| ${row.source} | ${formatMinutes(row.minutes)} | ${row.share === null ? '—' : `${Math.round(row.share * 100)} %`} | ${row.cause.replace(/\|/g, '\\|')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Deploys in the window with their impact: the `correlate` table. */
export function correlateText(entityRef: string, window: string, deployments: DeploymentImpactSummary[]): string {
  const lines = [`${entityRef} — deploys in the last ${window}`];
  if (!deployments.length) return `${lines[0]}: none\n`;
  lines.push(`${pad('VERSION', 14)}${pad('STARTED', 22)}${pad('IMPACT', 8)}${pad('CONF.', 7)}${pad('BURNED', 12)}EPISODES`);
  for (const d of deployments) {
    lines.push(
      `${pad(d.deployment.version, 14)}${pad(d.deployment.startedAt.replace('T', ' ').slice(0, 16), 22)}${pad(d.impact, 8)}${pad(d.confidence ? d.confidence.score.toFixed(2) : '—', 7)}${pad(formatMinutes(d.burnedMinutes), 12)}${d.episodes}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The same as Markdown. */
export function correlateMarkdown(entityRef: string, window: string, deployments: DeploymentImpactSummary[]): string {
  const lines = [`## Deploys of ${entityRef} in the last ${window}`, '', '| Version | Started | Impact | Confidence | Burned | Episodes |', '|---|---|---|---:|---:|---:|'];
  for (const d of deployments) {
    lines.push(`| ${d.deployment.version} | ${d.deployment.startedAt} | ${d.impact} | ${d.confidence ? d.confidence.score.toFixed(2) : '—'} | ${formatMinutes(d.burnedMinutes)} | ${d.episodes} |`);
  }
  return `${lines.join('\n')}\n`;
}
