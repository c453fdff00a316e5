import {
  AttributedEpisode,
  DeploymentImpactSummary,
  ImpactTimelineEvent,
  LedgerDeployment,
  LedgerSlo,
  LedgerTopCause,
} from './api';
import { confidenceLevel } from './confidence';

/** A rollback is looked for up to a day after the deploy. */
const ROLLBACK_WITHIN_MS = 86_400_000;

/**
 * One SLO's ledger: its attributed episodes summed by source. `baseline` is the window's
 * consumption less the episodes' burn (the burn at or below the sustainable pace), so the
 * sources add up to the budget card's consumption; it is null without a consumption.
 *
 * @public
 */
export function ledgerSlo(input: {
  sloName: string;
  targetPercent: number;
  windowMinutes: number;
  consumedMinutes: number | null;
  episodes: AttributedEpisode[];
}): LedgerSlo {
  const burned = { deployments: 0, incidents: 0, dependencies: 0, unattributed: 0 };
  for (const e of input.episodes) burned[e.cause.source] += e.burnedMinutes;
  const inEpisodes = burned.deployments + burned.incidents + burned.dependencies + burned.unattributed;
  return {
    sloName: input.sloName,
    targetPercent: input.targetPercent,
    windowMinutes: input.windowMinutes,
    budgetMinutes: (1 - input.targetPercent / 100) * input.windowMinutes,
    consumedMinutes: input.consumedMinutes,
    // Prometheus extrapolates `increase` per range, so the 5-minute buckets and the window's
    // own count differ by a fraction of a bucket: never report a negative baseline.
    burned: { ...burned, baseline: input.consumedMinutes === null ? null : Math.max(0, input.consumedMinutes - inEpisodes) },
    episodes: [...input.episodes].sort((a, b) => Date.parse(b.start) - Date.parse(a.start)),
  };
}

/** The largest causes over every SLO, by burned minutes (at most `limit`). @public */
export function ledgerTopCauses(slos: LedgerSlo[], limit = 10): LedgerTopCause[] {
  const byKey = new Map<string, LedgerTopCause>();
  for (const slo of slos) {
    for (const e of slo.episodes) {
      const key = `${slo.sloName}\u0000${e.cause.key}`;
      const known = byKey.get(key);
      if (known) {
        known.burnedMinutes += e.burnedMinutes;
        known.episodes += 1;
      } else byKey.set(key, { ...e.cause, sloName: slo.sloName, burnedMinutes: e.burnedMinutes, episodes: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => b.burnedMinutes - a.burnedMinutes).slice(0, limit);
}

/** Unattributed episode burn ÷ all episode burn; null when no episode burned anything. @public */
export function ledgerUnattributedRatio(slos: LedgerSlo[]): number | null {
  let all = 0;
  let unattributed = 0;
  for (const slo of slos) {
    all += slo.burned.deployments + slo.burned.incidents + slo.burned.dependencies + slo.burned.unattributed;
    unattributed += slo.burned.unattributed;
  }
  return all > 0 ? unattributed / all : null;
}

/**
 * What each deploy did: the burn of the episodes attributed to it, and its impact — the level
 * of its strongest candidacy in any episode (high, medium, low), `clean` when no burn began
 * within 5 hours after it.
 *
 * @public
 */
export function deploymentImpacts(
  deployments: LedgerDeployment[],
  attributed: Array<{ entityRef: string; episode: AttributedEpisode }>,
): DeploymentImpactSummary[] {
  return deployments.map(deployment => {
    let best: number | null = null;
    let burnedMinutes = 0;
    let episodes = 0;
    for (const { episode } of attributed) {
      const candidate = episode.deployments.find(c => c.deployment.id === deployment.id);
      if (candidate) best = Math.max(best ?? 0, candidate.confidence.score);
      if (episode.cause.key === `deployment:${deployment.id}`) {
        burnedMinutes += episode.burnedMinutes;
        episodes += 1;
      }
    }
    return {
      deployment,
      impact: best === null ? 'clean' : confidenceLevel(best),
      confidence: best === null ? null : { score: best, level: confidenceLevel(best) },
      burnedMinutes,
      episodes,
    };
  });
}

/**
 * A deploy's impact in order: deploy started, burn began, incidents opened and resolved, the
 * next deploy of the service when this one was rolled back (or one labelled `rollback`), and
 * recovery (the end of its last episode, unless still going on).
 *
 * @public
 */
export function impactTimeline(input: {
  deployment: LedgerDeployment;
  attributed: Array<{ entityRef: string; episode: AttributedEpisode }>;
  laterDeployments: LedgerDeployment[];
}): ImpactTimelineEvent[] {
  const { deployment } = input;
  const events: ImpactTimelineEvent[] = [
    { at: deployment.startedAt, kind: 'deploy-started', label: `${deployment.version} deployed to ${deployment.entityRef}` },
  ];
  const mine = input.attributed.filter(a => a.episode.cause.key === `deployment:${deployment.id}`);
  const seenIncidents = new Set<string>();
  for (const { entityRef, episode } of mine) {
    events.push({
      at: episode.start,
      kind: 'burn-began',
      label: `${entityRef} ${episode.sloName} burning (peak ${episode.peakBurnRate.toFixed(1)}×)`,
    });
    for (const { incident } of episode.incidents) {
      if (seenIncidents.has(incident.id)) continue;
      seenIncidents.add(incident.id);
      const name = incident.number ? `#${incident.number}` : incident.id;
      events.push({ at: incident.createdAt, kind: 'incident-opened', label: `${name}${incident.title ? ` ${incident.title}` : ''} on ${incident.entityRef}` });
      if (incident.resolvedAt) events.push({ at: incident.resolvedAt, kind: 'incident-resolved', label: `${name} resolved` });
    }
  }
  const rollback = input.laterDeployments
    .filter(d => {
      const after = Date.parse(d.startedAt) - Date.parse(deployment.startedAt);
      return d.entityRef === deployment.entityRef && after > 0 && after <= ROLLBACK_WITHIN_MS;
    })
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    .find(d => d.labels.includes('rollback') || deployment.status === 'rolled_back');
  if (rollback) events.push({ at: rollback.startedAt, kind: 'rollback', label: `${rollback.version} deployed (rollback)` });
  if (mine.length && mine.every(a => !a.episode.ongoing)) {
    const last = mine.map(a => a.episode.end).sort().at(-1)!;
    events.push({ at: last, kind: 'recovered', label: 'burn back at or below the sustainable pace' });
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
