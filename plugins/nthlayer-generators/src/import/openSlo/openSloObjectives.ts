import { OpenSloDoc, OpenSloReporter, openSloPosition, report } from './openSloFindings';
import { openSloName } from '../../openslo/openSloNames';

/**
 * One objective of an SLO document as NthLayer reads it.
 *
 * @public
 */
export interface OpenSloObjective {
  /** Path of the objective in the document, e.g. `spec.objectives[1]`. */
  path: string;
  /** Added to the SLO's name when the document has several objectives. */
  suffix?: string;
  /** The target in percent, from `target` (a ratio) or `targetPercent`. */
  targetPercent: number;
  /** For a thresholdMetric: the comparison and the threshold, in the metric's unit. */
  op?: unknown;
  value?: unknown;
}

const SLUG_MAX = 40;

const ACCEPTED_TARGET = 'target between 0 and 1 (e.g. 0.999) or targetPercent between 0 and 100 (e.g. 99.9), exclusive';

/** Fields of an objective NthLayer ignores, and why. */
const IGNORED: Record<string, string> = {
  timeSliceTarget: 'NthLayer budgets by occurrences (events), not time slices',
  timeSliceWindow: 'NthLayer budgets by occurrences (events), not time slices',
  compositeWeight: 'composite SLOs are not supported yet',
};

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A displayName as a name part: lower case, `-` between words, at most 40 characters. */
function slug(displayName: string): string {
  return openSloName(displayName).slice(0, SLUG_MAX).replace(/[^a-z0-9]+$/, '');
}

/** 0.999 → 99.9, without float noise. */
function percentOf(target: number): number {
  return parseFloat((target * 100).toPrecision(12));
}

function targetPercentOf(objective: Record<string, unknown>): number | undefined {
  const { target, targetPercent } = objective;
  if (typeof target === 'number') return target > 0 && target < 1 ? percentOf(target) : undefined;
  if (typeof targetPercent === 'number') return targetPercent > 0 && targetPercent < 100 ? targetPercent : undefined;
  return undefined;
}

/**
 * The objectives of an SLO document: each becomes one NthLayer SLO (named with a suffix —
 * the slug of its `displayName`, else its 1-based position — when there are several).
 * Objectives without a usable target, or with their own indicator (composite SLOs), are
 * findings and left out; fields NthLayer ignores are warnings.
 *
 * @public
 */
export function readOpenSloObjectives(
  doc: OpenSloDoc,
  isThreshold: boolean,
  reporter: OpenSloReporter,
): OpenSloObjective[] {
  const spec = doc.value.spec as Record<string, unknown>;
  const objectives = Array.isArray(spec.objectives) ? spec.objectives : [];
  const skipped = 'This objective is skipped.';
  const read: OpenSloObjective[] = [];
  objectives.forEach((objective, i) => {
    const path = `spec.objectives[${i}]`;
    if (!isMapping(objective)) return;
    const ownIndicator = ['indicator', 'indicatorRef'].find(k => objective[k] !== undefined);
    if (ownIndicator) {
      report(reporter, 'error', openSloPosition(doc, `${path}.${ownIndicator}`), 'gives the objective its own indicator (a composite SLO), which NthLayer does not support yet', 'objectives measured by the SLO\'s indicator', skipped);
      return;
    }
    for (const [field, why] of Object.entries(IGNORED)) {
      if (objective[field] !== undefined) {
        report(reporter, 'warning', openSloPosition(doc, `${path}.${field}`), `is ignored: ${why}`, 'target or targetPercent', 'The objective is imported without it.');
      }
    }
    if (!isThreshold) {
      for (const field of ['op', 'value'].filter(k => objective[k] !== undefined)) {
        report(reporter, 'warning', openSloPosition(doc, `${path}.${field}`), 'is ignored: a ratioMetric objective is its target', 'target or targetPercent', 'The objective is imported without it.');
      }
    }
    const targetPercent = targetPercentOf(objective);
    if (targetPercent === undefined) {
      const field = typeof objective.target === 'number' || objective.targetPercent === undefined ? 'target' : 'targetPercent';
      report(reporter, 'error', openSloPosition(doc, `${path}.${field}`), 'is not a target NthLayer can use', ACCEPTED_TARGET, skipped);
      return;
    }
    if (typeof objective.target === 'number' && typeof objective.targetPercent === 'number' && objective.targetPercent !== targetPercent) {
      report(reporter, 'warning', openSloPosition(doc, `${path}.targetPercent`), 'differs from target', 'either target or targetPercent', 'The target is used.');
    }
    const name = typeof objective.displayName === 'string' ? slug(objective.displayName) : '';
    read.push({
      path,
      ...(objectives.length > 1 ? { suffix: name || String(i + 1) } : {}),
      targetPercent,
      ...(isThreshold ? { op: objective.op, value: objective.value } : {}),
    });
  });
  return read;
}
