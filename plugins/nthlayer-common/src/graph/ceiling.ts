/** One dependency as the ceiling sees it. @public */
export interface CeilingDependency {
  ref: string;
  /** Its availability SLO target or declared SLA, in percent; null when unknown. */
  availabilityPercent: number | null;
  /** Only critical dependencies bound the ceiling. */
  critical: boolean;
}

/** The availability a service can reach at most given its critical dependencies (DESIGN §2). @public */
export interface DependencyCeiling {
  /** The product of the critical dependencies' availability, in percent; null without any known. */
  ceilingPercent: number | null;
  /** The critical dependencies with a known availability, multiplied together. */
  counted: Array<{ ref: string; availabilityPercent: number }>;
  /** Critical dependencies whose availability is unknown (left out of the product). */
  unknown: string[];
  /** True when the target is above the ceiling. */
  exceeded: boolean;
}

/**
 * A service cannot be more available than the product of its critical dependencies'
 * availability: 99.95 % × 99.99 % ≈ 99.94 %, so a 99.99 % target on top of them exceeds it.
 *
 * @public
 */
export function dependencyCeiling(targetPercent: number, dependencies: CeilingDependency[]): DependencyCeiling {
  const counted: DependencyCeiling['counted'] = [];
  const unknown: string[] = [];
  let product = 1;
  for (const d of dependencies) {
    if (!d.critical) continue;
    if (d.availabilityPercent === null || !Number.isFinite(d.availabilityPercent)) {
      unknown.push(d.ref);
      continue;
    }
    counted.push({ ref: d.ref, availabilityPercent: d.availabilityPercent });
    product *= d.availabilityPercent / 100;
  }
  if (!counted.length) return { ceilingPercent: null, counted, unknown, exceeded: false };
  const ceilingPercent = product * 100;
  // A tolerance of 1e-9 points: 99.9 × 100 % must not exceed 99.9 through rounding.
  return { ceilingPercent, counted, unknown, exceeded: targetPercent > ceilingPercent + 1e-9 };
}

/** A percentage for messages: as many decimals as it needs, at most four. @public */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(4))} %`;
}
