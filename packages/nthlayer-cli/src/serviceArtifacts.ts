import { Finding } from '@nthlayer/backstage-plugin-common';
import {
  AlertCatalogue,
  Artifact,
  ArtifactKind,
  GeneratorInput,
  generateArtifacts,
  parseServiceFile,
  serviceInputFromFile,
} from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';

/** Options of {@link loadServiceArtifacts}. */
export interface LoadServiceOptions {
  /** Only these artifact kinds; all by default. */
  kinds?: ArtifactKind[];
  /** Runbook base URL when the file names none. */
  runbookUrl?: string;
  /**
   * The awesome-prometheus-alerts catalogue (`loadAlertCatalogue()`); needed only when
   * technology alerts are generated.
   */
  catalogue?: AlertCatalogue;
}

/** What NthLayer generates for one service file. */
export interface ServiceArtifacts {
  /** The path as given. */
  file: string;
  /** The service's name, as the generated rule groups carry it. */
  name: string;
  /** `component:default/<name>`. */
  entityRef: string;
  input: GeneratorInput;
  artifacts: Artifact[];
  /** Findings of the file and of the generators (warnings and errors that did not stop them). */
  findings: Finding[];
}

/** A service file that cannot be used: `reason` is one line, `findings` say what is wrong in it. */
export interface UnusableServiceFile {
  file: string;
  reason: string;
  findings: Finding[];
}

const NO_CATALOGUE: AlertCatalogue = { groups: [] };

/**
 * Reads a service file (legacy or OpenSRM) and generates its artifacts exactly as
 * `nthlayer generate` writes them: identity and dependencies from the file, the tier
 * defaults of DESIGN §2. Shared by `generate`, `drift` and `apply pagerduty`.
 */
export async function loadServiceArtifacts(
  file: string,
  options: LoadServiceOptions = {},
): Promise<ServiceArtifacts | UnusableServiceFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return { file, reason: `cannot read ${file}: ${(error as Error).message}`, findings: [] };
  }
  const parsed = parseServiceFile(text);
  const findings = [...parsed.findings];
  let input: GeneratorInput | null = null;
  if (parsed.file) {
    if (options.runbookUrl && !parsed.file.runbookUrl) parsed.file.runbookUrl = options.runbookUrl;
    const built = serviceInputFromFile(parsed.file);
    findings.push(...built.findings);
    input = built.input;
  }
  if (!input) return { file, reason: `${file}: nothing generated`, findings };
  const result = generateArtifacts(input, {
    catalogue: options.catalogue ?? NO_CATALOGUE,
    kinds: options.kinds,
  });
  findings.push(...result.findings);
  return {
    file,
    name: input.service.name,
    entityRef: input.service.entityRef,
    input,
    artifacts: result.artifacts,
    findings,
  };
}

/** True when {@link loadServiceArtifacts} could not use the file. */
export function isUnusable(loaded: ServiceArtifacts | UnusableServiceFile): loaded is UnusableServiceFile {
  return 'reason' in loaded;
}
