import {
  EmptyState,
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { isNthlayerAvailable } from '../../api';
import { useEntitySlos } from '../../hooks/useEntitySlos';
import { SlosErrorPanel } from '../EntityNthlayerSloCard/SlosErrorPanel';
import { LoadingSloBudgetChart } from './SloBudgetChart';

/** @public */
export interface EntityNthlayerBudgetChartProps {
  /** Name of the SLO to chart, e.g. `availability`. Default: the entity's first SLO. */
  slo?: string;
}

function ChartForEntity(props: EntityNthlayerBudgetChartProps) {
  const { entity } = useEntity();
  const { loading, error, value } = useEntitySlos(entity);
  if (loading) return <Progress />;
  if (error) return <SlosErrorPanel error={error} />;
  const slos = value?.slos ?? [];
  const report = props.slo ? slos.find(s => s.name === props.slo) : slos[0];
  if (!report) {
    return (
      <EmptyState
        missing="field"
        title={props.slo ? `No SLO named ${props.slo}` : 'No SLOs'}
        description={`This entity declares ${
          slos.length ? slos.map(s => s.name).join(', ') : 'no SLOs'
        }.`}
      />
    );
  }
  return (
    <LoadingSloBudgetChart
      entityRef={getCompoundEntityRef(entity)}
      report={report}
    />
  );
}

/**
 * Error budget burn-down of one SLO of the current entity over its window: budget
 * remaining (%) with the status thresholds and a hover tooltip.
 *
 * @remarks
 * The chart is inside `data-testid="nthlayer-budget-chart-<slo>"`.
 *
 * @public
 */
export function EntityNthlayerBudgetChart(
  props: EntityNthlayerBudgetChartProps,
) {
  const { entity } = useEntity();
  return (
    <InfoCard title={props.slo ? `Error budget: ${props.slo}` : 'Error budget'}>
      {isNthlayerAvailable(entity) ? (
        <ChartForEntity slo={props.slo} />
      ) : (
        <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
      )}
    </InfoCard>
  );
}
