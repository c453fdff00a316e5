import { ConfidenceLevel, DeployConfidence } from './api';

/** Hours after which time proximity contributes nothing: `0.5 − 0.1 × 5 = 0`. @public */
export const PROXIMITY_HOURS = 5;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** high above 0.8 (DESIGN §5), medium from 0.5, else low. @public */
export function confidenceLevel(score: number): ConfidenceLevel {
  if (score > 0.8) return 'high';
  if (score >= 0.5) return 'medium';
  return 'low';
}

/**
 * A deployment's confidence of having caused a burn (DESIGN §5):
 * - time proximity 0–0.5: `max(0, 0.5 − 0.1 × hours)` from the deploy's start to the burn's;
 * - dependency 0–0.3: 0.3 when the deploy is of the burning service or of a direct
 *   dependency, 0.15 of a transitive one (depth ≥ 2), 0 when unrelated;
 * - history 0–0.2: `0.2 × followed / earlier`, the share of the deploying service's earlier
 *   deploys followed within 5 hours by an incident or burn (0 without earlier deploys).
 * Capped at 1.0.
 *
 * @public
 */
export function deployConfidence(input: {
  /** Hours from the deploy's start to the burn's start; a deploy inside the first bucket is 0. */
  hoursBeforeBurn: number;
  /** 0: the burning service itself; 1: a direct dependency; 2+: transitive; null: unrelated. */
  depth: number | null;
  earlierDeploys: number;
  earlierFollowed: number;
}): DeployConfidence {
  const hours = Math.max(0, input.hoursBeforeBurn);
  const proximity = Math.max(0, 0.5 - 0.1 * hours);
  const depth = input.depth;
  let dependency = 0;
  if (depth !== null && depth >= 0) dependency = depth <= 1 ? 0.3 : 0.15;
  const earlier = Math.max(0, Math.floor(input.earlierDeploys));
  const followed = Math.min(earlier, Math.max(0, Math.floor(input.earlierFollowed)));
  const history = earlier > 0 ? (0.2 * followed) / earlier : 0;
  const score = round3(Math.min(1, proximity + dependency + history));
  return {
    score,
    level: confidenceLevel(score),
    factors: {
      proximity: { score: round3(proximity), hours: Math.round(hours * 100) / 100 },
      dependency: { score: dependency, relation: depth === 0 ? 'self' : 'dependency', depth: depth ?? -1 },
      history: { score: round3(history), earlier, followed },
    },
  };
}
