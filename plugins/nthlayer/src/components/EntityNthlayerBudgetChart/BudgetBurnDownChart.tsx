import { useTheme } from '@material-ui/core/styles';
import { SloHistoryResponse } from '@nthlayer/backstage-plugin-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
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

/**
 * The error budget remaining (%) over time, with the status thresholds (25 %, 10 %, and
 * 0 %: budget exhausted, the SLO target) as reference lines.
 */
export function BudgetBurnDownChart(props: { history: SloHistoryResponse }) {
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
