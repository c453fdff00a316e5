import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

/** One rule of the awesome-prometheus-alerts catalogue. @public */
export interface CatalogueRule {
  name: string;
  description: string;
  query: string;
  severity: 'critical' | 'warning' | 'info' | string;
  for?: string;
  comments?: string;
}

/** One exporter of a catalogue service, with its rules. @public */
export interface CatalogueExporter {
  slug: string;
  name?: string;
  doc_url?: string;
  rules: CatalogueRule[];
}

/** One service (technology) of the catalogue, e.g. `PostgreSQL`. @public */
export interface CatalogueService {
  name: string;
  exporters: CatalogueExporter[];
}

/** The parsed awesome-prometheus-alerts catalogue (CC BY 4.0; see its NOTICE.md). @public */
export interface AlertCatalogue {
  groups: Array<{ name: string; services: CatalogueService[] }>;
}

const PACKAGE_NAME = '@nthlayer/backstage-plugin-generators';
const CATALOGUE_FILE = path.join(
  'data',
  'awesome-prometheus-alerts',
  'rules.yml',
);

/** The package root: the nearest folder above `from` whose package.json is this package. */
function packageRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME)
          return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The root of this package, where `data/` is: resolved through the package's own
 * package.json (as Backstage's `resolvePackagePath` does), else by walking up from this file,
 * so it works from `src` (jest, the CLI in development), `dist` and installed packages.
 */
export function generatorsPackageRoot(): string {
  let root: string | undefined;
  try {
    root = path.dirname(require.resolve(`${PACKAGE_NAME}/package.json`));
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- fallback when the package cannot resolve itself
    root = packageRoot(__dirname);
  }
  if (!root) throw new Error(`cannot locate ${PACKAGE_NAME} to read its data/ files`);
  return root;
}

/**
 * Where the shipped catalogue lives (in this package's `data/`).
 *
 * @public
 */
export function defaultAlertCataloguePath(): string {
  return path.join(generatorsPackageRoot(), CATALOGUE_FILE);
}

/**
 * Reads and parses the awesome-prometheus-alerts catalogue: the one function of this package
 * that reads a file. Defaults to the copy shipped in `data/awesome-prometheus-alerts/`.
 * Throws when the file is missing or not a catalogue.
 *
 * @public
 */
export function loadAlertCatalogue(
  filePath: string = defaultAlertCataloguePath(),
): AlertCatalogue {
  const data = parse(fs.readFileSync(filePath, 'utf8')) as AlertCatalogue;
  if (!data || !Array.isArray(data.groups)) {
    throw new Error(
      `${filePath} is not an awesome-prometheus-alerts catalogue (no groups)`,
    );
  }
  for (const group of data.groups) {
    for (const service of group.services ?? []) {
      for (const exporter of service.exporters ?? [])
        exporter.rules = exporter.rules ?? [];
    }
  }
  return data;
}

/** Every service of the catalogue, flattened across groups. @public */
export function catalogueServices(
  catalogue: AlertCatalogue,
): CatalogueService[] {
  return catalogue.groups.flatMap(g => g.services ?? []);
}
