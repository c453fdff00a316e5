import { Snapshot } from '../database/SnapshotStore';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The reference thinning, in plain JS, of snapshots of one SLO: those in [from, to], grouped
 * by bucket floor(epoch seconds / step) (whole seconds of step), the last of each kept,
 * oldest first.
 */
export function lastPerStep(
  snapshots: Snapshot[],
  query: { from: Date; to: Date; stepSeconds: number },
): Snapshot[] {
  const step = BigInt(Math.floor(query.stepSeconds) * 1000);
  const last = new Map<bigint, Snapshot>();
  for (const s of snapshots) {
    const t = s.time.getTime();
    if (t < query.from.getTime() || t > query.to.getTime()) continue;
    const bucket = BigInt(t) / step; // times are positive: truncation is floor
    const kept = last.get(bucket);
    if (!kept || kept.time.getTime() < t) last.set(bucket, s);
  }
  return [...last.values()].sort((x, y) => x.time.getTime() - y.time.getTime());
}
