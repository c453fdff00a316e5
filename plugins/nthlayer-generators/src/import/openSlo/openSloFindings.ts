import { Finding, cutForMessage } from '@nthlayer/backstage-plugin-common';

/**
 * One document of an OpenSLO stream, as read from the YAML: its 1-based position, kind and
 * `metadata.name` (for findings) and its content.
 *
 * @public
 */
export interface OpenSloDoc {
  index: number;
  kind: string;
  name: string;
  value: Record<string, unknown>;
}

/** Where findings of one import go, and the annotation they are about. @public */
export interface OpenSloReporter {
  annotation: string;
  findings: Finding[];
}

const NAME_SHOWN = 80;

/**
 * `document 2 (SLO checkout-availability) spec.budgetingMethod`: the position of a field.
 *
 * @remarks
 * The documents may be read with the backend's credentials: findings name documents,
 * names and field paths, never the values of the file (except short ones the caller cuts).
 *
 * @public
 */
export function openSloPosition(doc: Pick<OpenSloDoc, 'index' | 'kind' | 'name'>, path?: string): string {
  const label = doc.kind ? ` (${cutForMessage(doc.kind, 40)} ${cutForMessage(doc.name, NAME_SHOWN)})` : '';
  return `document ${doc.index}${label}${path ? ` ${cutForMessage(path)}` : ''}`;
}

/** `The SLO checkout-availability`, to start consequences ("… is skipped."). @public */
export function sloLabel(doc: Pick<OpenSloDoc, 'name'>): string {
  return `The SLO ${cutForMessage(doc.name, NAME_SHOWN)}`;
}

/** A field value short enough to echo (a budgetingMethod, a duration, a type), cut. @public */
export function shortValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return `"${cutForMessage(String(value), 40)}"`;
  }
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

/**
 * Adds one finding: `<annotation>: <position> <problem>. <consequence>` — `problem` reads
 * after the field (`is Timeslices, which …`), `consequence` says what NthLayer does instead.
 *
 * @public
 */
export function report(
  reporter: OpenSloReporter,
  severity: Finding['severity'],
  value: string,
  problem: string,
  accepted: string,
  consequence: string,
): void {
  reporter.findings.push({
    severity,
    annotation: reporter.annotation,
    value,
    accepted,
    message: `${reporter.annotation}: ${value} ${problem}. ${consequence}`,
  });
}
