import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useScoreHistory } from '../../hooks/useScoreHistory';
import { formatScore } from '../shared/scoreFormat';

/** Days of history the page shows. */
export const HISTORY_DAYS = 90;
export const HISTORY_CHART_HEIGHT = 240;
const LINE_COLOUR = '#1565c0';

/**
 * The stored daily scores of `ref` (`org`, a team or a system) over the last
 * {@link HISTORY_DAYS} days; days without a score are gaps, never 0.
 */
export function ScoreHistoryChart(props: { scoreRef: string }) {
  const theme = useTheme();
  const { loading, error, value } = useScoreHistory(props.scoreRef, HISTORY_DAYS);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const points = value?.points ?? [];
  const scored = points.filter(p => p.score !== null).length;
  if (scored === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="nthlayer-score-history-empty"
      >
        No score stored yet: the backend stores one a day.
      </Typography>
    );
  }
  const text = theme.palette.text.secondary;
  return (
    <div
      data-testid="nthlayer-score-history"
      data-ref={props.scoreRef}
      data-points={points.length}
      data-scored={scored}
    >
      <ResponsiveContainer width="100%" height={HISTORY_CHART_HEIGHT}>
        <LineChart data={points} margin={{ top: 16, right: 24, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis dataKey="day" tick={{ fill: text, fontSize: 12 }} minTickGap={32} />
          <YAxis domain={[0, 100]} width={40} tick={{ fill: text, fontSize: 12 }} />
          <Tooltip
            formatter={score => [
              formatScore(typeof score === 'number' ? score : null),
              'Score',
            ]}
          />
          <Line
            type="monotone"
            dataKey="score"
            name="Score"
            stroke={LINE_COLOUR}
            strokeWidth={2}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
