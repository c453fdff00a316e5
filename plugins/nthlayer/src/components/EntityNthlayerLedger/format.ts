import {
  AttributedEpisode,
  DeployConfidence,
  LedgerBurnBySource,
  LedgerCause,
  LedgerSlo,
  LedgerSource,
} from '@nthlayer/backstage-plugin-common';
import { formatTime } from '../EntityNthlayerGateCard/format';

/**
 * Pure formatting of the budget ledger. No clock: times are formatted as given.
 */

/** A slice of the burn bar: the ledger's sources, plus the baseline outside any episode. */
export type BurnSlice = LedgerSource | 'baseline';

/** The bar's slices in the order drawn, each with its colour. */
export const BURN_SLICES: ReadonlyArray<{ slice: BurnSlice; colour: string }> =
  [
    { slice: 'deployments', colour: '#6a1b9a' },
    { slice: 'incidents', colour: '#c62828' },
    { slice: 'dependencies', colour: '#ef6c00' },
    { slice: 'unattributed', colour: '#757575' },
    { slice: 'baseline', colour: '#90a4ae' },
  ];

/** Colour of a source (episode areas on the burn-down, the bar's slices). */
export function sliceColour(slice: BurnSlice): string {
  return BURN_SLICES.find(s => s.slice === slice)?.colour ?? '#757575';
}

/** Minutes with one decimal: `28.0 min`; `—` for null or a non-finite number. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) {
    return '—';
  }
  return `${minutes.toFixed(1)} min`;
}

/** A cause's confidence as `0.90 high`; `—` when it has none (incidents, dependencies). */
export function formatConfidence(
  confidence: { score: number; level: string } | null | undefined,
): string {
  if (!confidence) return '—';
  return `${confidence.score.toFixed(2)} ${confidence.level}`;
}

/** A burn rate as `14.4×`. */
export function formatBurnRate(rate: number): string {
  return Number.isFinite(rate) ? `${rate.toFixed(1)}×` : '—';
}

/** A ratio as a percentage with one decimal, `12.5 %`; `—` for null. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return '—';
  }
  return `${(ratio * 100).toFixed(1)} %`;
}

/** Heading of an SLO's ledger: its name capitalised, `Availability`. */
export function sloHeading(name: string): string {
  return name.charAt(0).toLocaleUpperCase('en-US') + name.slice(1);
}

/** A window in minutes as `30d`, `12h` or `90 min`. */
export function formatWindowMinutes(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.round(minutes)} min`;
}

/** One slice of the bar and its minutes (null: the baseline is not known for this slice). */
export interface BurnSliceValue {
  slice: BurnSlice;
  colour: string;
  minutes: number | null;
}

/** The bar's slices of an SLO's burn, in the order drawn. */
export function burnSlices(burned: LedgerBurnBySource): BurnSliceValue[] {
  return BURN_SLICES.map(({ slice, colour }) => ({
    slice,
    colour,
    minutes: burned[slice],
  }));
}

/** Sum of the known slices. */
export function totalBurned(burned: LedgerBurnBySource): number {
  return burnSlices(burned).reduce(
    (sum, s) => sum + (s.minutes !== null && s.minutes > 0 ? s.minutes : 0),
    0,
  );
}

/** `deployments 28.0 min`, `baseline —`. */
export function sliceText(value: Pick<BurnSliceValue, 'slice' | 'minutes'>) {
  return `${value.slice} ${formatMinutes(value.minutes)}`;
}

/**
 * What the SLO consumed of its budget: `consumed 34.6 of 43.2 min (80.1 %)`, or that it is
 * not known (no measurement, or a slice shorter than the window).
 */
export function consumptionText(
  slo: Pick<LedgerSlo, 'budgetMinutes' | 'consumedMinutes'>,
): string {
  const budget = formatMinutes(slo.budgetMinutes);
  if (slo.consumedMinutes === null) {
    return `consumption unknown (budget ${budget})`;
  }
  const share =
    slo.budgetMinutes > 0
      ? ` (${formatRatio(slo.consumedMinutes / slo.budgetMinutes)})`
      : '';
  return `consumed ${slo.consumedMinutes.toFixed(1)} of ${budget}${share}`;
}

/** The deployment id of a cause that is a deploy (`deployment:<id>`), else undefined. */
export function deploymentIdOf(
  cause: Pick<LedgerCause, 'key'>,
): number | undefined {
  const match = /^deployment:(\d+)$/.exec(cause.key);
  return match ? Number(match[1]) : undefined;
}

/**
 * When an episode burned: `28 Jan 2026, 10:10 → 28 Jan 2026, 11:40`, or
 * `… → ongoing` while it goes on.
 */
export function episodeWhen(
  episode: Pick<AttributedEpisode, 'start' | 'end' | 'ongoing'>,
  timeZone?: string,
): string {
  const start = formatTime(episode.start, timeZone);
  return `${start} → ${
    episode.ongoing ? 'ongoing' : formatTime(episode.end, timeZone)
  }`;
}

/** Hover text of an episode on the burn-down: cause, minutes, peak and when. */
export function episodeTitle(episode: AttributedEpisode, timeZone?: string) {
  return [
    `${episode.cause.label} (${episode.cause.source})`,
    `${formatMinutes(episode.burnedMinutes)} burned`,
    `peak ${formatBurnRate(episode.peakBurnRate)}`,
    episodeWhen(episode, timeZone),
  ].join(' · ');
}

/** One factor of a deploy's confidence: name, score and the numbers behind it. */
export interface ConfidenceFactorLine {
  factor: 'proximity' | 'dependency' | 'history';
  score: string;
  detail: string;
}

/** The three factors of a deploy's confidence, in words with their numbers. */
export function confidenceFactorLines(
  confidence: DeployConfidence,
): ConfidenceFactorLine[] {
  const { proximity, dependency, history } = confidence.factors;
  return [
    {
      factor: 'proximity',
      score: proximity.score.toFixed(2),
      detail: `${proximity.hours.toFixed(
        2,
      )} h from the deploy's start to the burn's start`,
    },
    {
      factor: 'dependency',
      score: dependency.score.toFixed(2),
      detail:
        dependency.relation === 'self'
          ? `a deploy of the service itself (depth ${dependency.depth})`
          : `a deploy of a dependency at depth ${dependency.depth}`,
    },
    {
      factor: 'history',
      score: history.score.toFixed(2),
      detail:
        history.earlier === 0
          ? 'no earlier deploy of that service'
          : `${history.followed} of ${history.earlier} earlier deploy${
              history.earlier === 1 ? '' : 's'
            } followed by a burn or incident within 5 h`,
    },
  ];
}
