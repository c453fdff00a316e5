import { useTheme } from '@material-ui/core/styles';
import {
  AttributedEpisode,
  DeploymentRecord,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { episodeTitle, sliceColour } from '../EntityNthlayerLedger/format';
import { BudgetTooltip } from './BudgetTooltip';
import {
  BUDGET_THRESHOLDS,
  formatTick,
  percentDomain,
  timeDomain,
  toChartRows,
} from './chartData';

/** Height of the burn-down in pixels; the width follows the container. */
export const BUDGET_CHART_HEIGHT = 280;

const LINE_COLOUR = '#1565c0';
const DEPLOY_COLOUR = '#6a1b9a';
const FAILED_DEPLOY_COLOUR = '#c62828';

/** Hover text of a deploy marker: version, author, status, when. */
export function deploymentTitle(d: DeploymentRecord): string {
  return [
    `deploy ${d.version}`,
    d.author ? `by ${d.author}` : undefined,
    `${d.status.replace('_', ' ')}`,
    `started ${new Date(d.startedAt).toISOString().replace('.000Z', 'Z')}`,
    d.labels.length ? `labels ${d.labels.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function DeployLabel(props: { viewBox?: { x: number; y: number }; deployment: DeploymentRecord }) {
  const { viewBox, deployment } = props;
  if (!viewBox) return null;
  const colour = deployment.status === 'failed' || deployment.status === 'rolled_back' ? FAILED_DEPLOY_COLOUR : DEPLOY_COLOUR;
  const mark = (
    <g data-testid={`nthlayer-deploy-marker-${deployment.id}`}>
      <title>{deploymentTitle(deployment)}</title>
      <text x={viewBox.x + 4} y={viewBox.y + 12} fill={colour} fontSize={11}>
        {deployment.version}
      </text>
    </g>
  );
  return deployment.url ? (
    <a href={deployment.url} target="_blank" rel="noopener noreferrer">
      {mark}
    </a>
  ) : (
    mark
  );
}

/** An episode as the chart shades it: its part inside the chart's time range. */
interface EpisodeArea {
  episode: AttributedEpisode;
  x1: number;
  x2: number;
}

/** The episodes overlapping `domain`, clipped to it (recharts drops an area reaching outside). */
export function episodeAreas(
  episodes: AttributedEpisode[],
  domain: [number, number],
): EpisodeArea[] {
  return episodes
    .map(episode => ({
      episode,
      x1: Math.max(Date.parse(episode.start), domain[0]),
      x2: Math.min(Date.parse(episode.end), domain[1]),
    }))
    .filter(a => Number.isFinite(a.x1) && Number.isFinite(a.x2) && a.x1 < a.x2);
}

/** The shaded rectangle of an episode, with its cause in the hover title. */
function EpisodeShape(props: {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  episode: AttributedEpisode;
}) {
  const { x, y, width, height, episode } = props;
  if (x === undefined || y === undefined || !width || !height) return null;
  const colour = sliceColour(episode.cause.source);
  return (
    <g
      data-testid="nthlayer-episode-area"
      data-source={episode.cause.source}
      data-cause={episode.cause.key}
    >
      <title>{episodeTitle(episode)}</title>
      <rect
        x={x}
        y={y}
        // A short episode on a long range stays visible.
        width={Math.max(width, 2)}
        height={height}
        fill={colour}
        fillOpacity={0.15}
        stroke={colour}
        strokeOpacity={0.4}
      />
    </g>
  );
}

function EpisodeLabel(props: {
  viewBox?: { x: number; y: number; width: number; height: number };
  episode: AttributedEpisode;
}) {
  const { viewBox, episode } = props;
  if (!viewBox) return null;
  return (
    <text
      x={viewBox.x + 2}
      y={viewBox.y + viewBox.height - 6}
      fill={sliceColour(episode.cause.source)}
      fontSize={10}
      data-testid="nthlayer-episode-label"
    >
      <title>{episodeTitle(episode)}</title>
      {episode.cause.label}
    </text>
  );
}

/**
 * The error budget remaining (%) over time, with the status thresholds (25 %, 10 %, and
 * 0 %: budget exhausted, the SLO target) as reference lines, the entity's deployments as
 * vertical markers (hover: version, author, status; a link when the deploy has one) and the
 * SLO's burn episodes from the ledger as shaded areas from start to end, coloured by source
 * and labelled with their cause.
 */
export function BudgetBurnDownChart(props: {
  history: SloHistoryResponse;
  deployments?: DeploymentRecord[];
  episodes?: AttributedEpisode[];
}) {
  const theme = useTheme();
  const rows = toChartRows(props.history.points);
  const domain = timeDomain(props.history, rows);
  const span = domain[1] - domain[0];
  const text = theme.palette.text.secondary;
  const gradientId = `nthlayer-budget-fill-${props.history.slo.replace(
    /[^\w-]/g,
    '-',
  )}`;
  return (
    <ResponsiveContainer width="100%" height={BUDGET_CHART_HEIGHT}>
      <AreaChart
        data={rows}
        margin={{ top: 24, right: 24, bottom: 0, left: 0 }}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={LINE_COLOUR} stopOpacity={0.3} />
            <stop offset="100%" stopColor={LINE_COLOUR} stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
        <XAxis
          dataKey="time"
          type="number"
          scale="time"
          domain={domain}
          tickFormatter={(t: number) => formatTick(t, span)}
          tick={{ fill: text, fontSize: 12 }}
          minTickGap={24}
        />
        <YAxis
          domain={percentDomain(rows)}
          unit=" %"
          width={56}
          tick={{ fill: text, fontSize: 12 }}
          allowDataOverflow={false}
        />
        {BUDGET_THRESHOLDS.map(t => (
          <ReferenceLine
            key={t.percent}
            y={t.percent}
            stroke={t.colour}
            strokeDasharray={t.percent === 0 ? undefined : '6 4'}
            strokeWidth={t.percent === 0 ? 2 : 1}
            label={{
              value: t.label,
              position: 'insideBottomLeft',
              fill: t.colour,
              fontSize: 11,
            }}
          />
        ))}
        {episodeAreas(props.episodes ?? [], domain).map(
          ({ episode, x1, x2 }) => (
            <ReferenceArea
              key={`episode-${episode.start}-${episode.cause.key}`}
              x1={x1}
              x2={x2}
              shape={shapeProps => (
                <EpisodeShape {...shapeProps} episode={episode} />
              )}
              label={<EpisodeLabel episode={episode} />}
            />
          ),
        )}
        {(props.deployments ?? [])
          .filter(d => {
            const t = Date.parse(d.startedAt);
            return t >= domain[0] && t <= domain[1];
          })
          .map(d => (
            <ReferenceLine
              key={`deploy-${d.id}`}
              x={Date.parse(d.startedAt)}
              stroke={d.status === 'failed' || d.status === 'rolled_back' ? FAILED_DEPLOY_COLOUR : DEPLOY_COLOUR}
              strokeDasharray="2 3"
              label={<DeployLabel deployment={d} />}
            />
          ))}
        <Tooltip content={<BudgetTooltip />} />
        <Area
          type="linear"
          dataKey="remainingPercent"
          name="Budget remaining"
          stroke={LINE_COLOUR}
          strokeWidth={2}
          fill={`url(#${gradientId})`}
          dot={false}
          activeDot={{ r: 4 }}
          isAnimationActive={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}
