import { CompoundEntityRef } from '@backstage/catalog-model';
import { Line, LineChart, ReferenceLine, YAxis } from 'recharts';
import { useSloHistory } from '../../hooks/useSloHistory';
import {
  percentDomain,
  toChartRows,
} from '../EntityNthlayerBudgetChart/chartData';

const WIDTH = 120;
const HEIGHT = 32;

/**
 * A tiny line of the error budget remaining (%) over the SLO window. Loads its own history
 * once the row is shown; while loading it keeps its place, and on failure or without
 * history it is simply left out — the card never depends on it.
 */
export function SloSparkline(props: {
  entityRef: CompoundEntityRef;
  slo: string;
  colour: string;
}) {
  const { loading, value } = useSloHistory(props.entityRef, props.slo);
  if (loading) {
    return (
      <span
        data-testid={`nthlayer-slo-${props.slo}-sparkline-loading`}
        style={{ display: 'inline-block', width: WIDTH, height: HEIGHT }}
      />
    );
  }
  const rows = value ? toChartRows(value.points) : [];
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
