import { SloSparkline as SloSparklineData } from '@nthlayer/backstage-plugin-common';
import { Line, LineChart, ReferenceLine, YAxis } from 'recharts';
import { percentDomain } from '../EntityNthlayerBudgetChart/chartData';

const WIDTH = 120;
const HEIGHT = 32;

/**
 * A tiny line of the error budget remaining (%) over the SLO window, from the points the
 * SLO report carries (no request of its own). Without two points it is left out.
 */
export function SloSparkline(props: {
  sparkline: SloSparklineData | undefined;
  slo: string;
  colour: string;
}) {
  const value = props.sparkline;
  const rows = (value?.points ?? [])
    .map(p => ({
      time: Date.parse(p.time),
      remainingPercent: p.remainingRatio === null ? null : p.remainingRatio * 100,
    }))
    .filter(r => Number.isFinite(r.time))
    .sort((a, b) => a.time - b.time);
  const drawn = rows.filter(r => r.remainingPercent !== null);
  if (drawn.length < 2) return null;
  const first = drawn[0].remainingPercent!.toFixed(1);
  const last = drawn[drawn.length - 1].remainingPercent!.toFixed(1);
  return (
    <span
      data-testid={`nthlayer-slo-${props.slo}-sparkline`}
      role="img"
      aria-label={`${props.slo} error budget over ${
        value!.window
      }: ${first} % to ${last} %`}
      title={`Budget remaining over ${value!.window}: ${first} % → ${last} %`}
    >
      <LineChart
        width={WIDTH}
        height={HEIGHT}
        data={rows}
        margin={{ top: 2, right: 2, bottom: 2, left: 2 }}
      >
        <YAxis hide domain={percentDomain(rows)} />
        <ReferenceLine y={0} stroke="#c62828" strokeOpacity={0.5} />
        <Line
          type="linear"
          dataKey="remainingPercent"
          stroke={props.colour}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}
