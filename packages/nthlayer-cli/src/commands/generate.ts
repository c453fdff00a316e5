import { ArtifactKind, loadAlertCatalogue } from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, formatFinding } from '../findings';
import { isUnusable, loadServiceArtifacts } from '../serviceArtifacts';

/** `--format` names and the artifact kinds they select. */
export const FORMATS: Record<string, ArtifactKind> = {
  prometheus: 'prometheus-rules',
  technology: 'technology-alerts',
  openslo: 'openslo',
  grafana: 'grafana-dashboard',
  pagerduty: 'pagerduty',
};

/** Options of {@link generateCommand}. */
export interface GenerateOptions {
  out: string;
  /** Comma-separated format names; all when absent. */
  format?: string;
  /** Runbook base URL when the file names none. */
  runbookUrl?: string;
  /** Path of an awesome-prometheus-alerts catalogue; the shipped copy by default. */
  catalogue?: string;
}

function parseFormats(text: string | undefined): ArtifactKind[] | string {
  if (!text) return Object.values(FORMATS);
  const names = text.split(',').map(s => s.trim()).filter(Boolean);
  const unknown = names.filter(n => !(n in FORMATS));
  if (unknown.length > 0) {
    return `unknown --format ${unknown.join(', ')}; accepted: ${Object.keys(FORMATS).join(', ')}`;
  }
  return names.map(n => FORMATS[n]);
}

/**
 * `nthlayer generate <service.yaml> --out <dir>`: the artifacts NthLayer generates in
 * Backstage, from a service file alone (identity and dependencies from the file). Exit 0 when
 * artifacts were written (findings are printed), 2 when nothing could be generated.
 */
export async function generateCommand(
  serviceFile: string,
  options: GenerateOptions,
  log: { out: (line: string) => void; err: (line: string) => void },
): Promise<ExitCode> {
  const kinds = parseFormats(options.format);
  if (typeof kinds === 'string') {
    log.err(kinds);
    return 2;
  }
  const loaded = await loadServiceArtifacts(serviceFile, {
    kinds,
    runbookUrl: options.runbookUrl,
    catalogue: kinds.includes('technology-alerts') ? loadAlertCatalogue(options.catalogue) : undefined,
  });
  if (isUnusable(loaded)) {
    loaded.findings.forEach(f => log.err(formatFinding(f)));
    log.err(loaded.reason);
    return 2;
  }
  for (const artifact of loaded.artifacts) {
    const target = path.resolve(options.out, artifact.filename);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, artifact.content, 'utf8');
    log.out(`wrote ${path.join(options.out, artifact.filename)}  (${artifact.description})`);
  }
  loaded.findings.forEach(f => log.err(formatFinding(f)));
  return 0;
}
