import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  EntitySlosResponse,
  NTHLAYER_ANNOTATIONS,
} from '@nthlayer/backstage-plugin-common';
import { isNthlayerAvailable } from '../../api';
import { useEntitySlos } from '../../hooks/useEntitySlos';
import { FindingsList } from './FindingsList';
import { SloRow } from './SloRow';
import { SlosErrorPanel } from './SlosErrorPanel';

const TITLE = 'NthLayer SLOs';

function EmptyNotice(props: {
  title: string;
  children: string;
  testId: string;
}) {
  return (
    <div data-testid={props.testId}>
      <Typography variant="subtitle1">{props.title}</Typography>
      <Typography variant="body2" color="textSecondary">
        {props.children}
      </Typography>
    </div>
  );
}

function SloList(props: { response: EntitySlosResponse; entity: Entity }) {
  const { service, findings, slos } = props.response;
  const now = new Date();
  const anyData = slos.some(slo => slo.errorBudget !== null);
  return (
    <>
      <FindingsList findings={findings} />
      {slos.length === 0 && (
        <EmptyNotice title="No SLOs" testId="nthlayer-empty">
          {service
            ? 'This service declares no SLOs.'
            : `NthLayer could not build a service model for this entity. Check the ${
                NTHLAYER_ANNOTATIONS.tier
              } annotation${findings.length ? ' and the findings above' : ''}.`}
        </EmptyNotice>
      )}
      {slos.length > 0 && !anyData && (
        <EmptyNotice title="No data yet" testId="nthlayer-no-data">
          No error budget could be computed yet: the SLOs are not measured or
          saw no traffic in their window.
        </EmptyNotice>
      )}
      {slos.map(slo => (
        <SloRow key={slo.name} slo={slo} now={now} />
      ))}
    </>
  );
}

function SloCardContent(props: { entity: Entity }) {
  const { loading, error, value } = useEntitySlos(props.entity);
  if (loading) return <Progress />;
  if (error) return <SlosErrorPanel error={error} />;
  if (!value) return null;
  return <SloList response={value} entity={props.entity} />;
}

/**
 * Entity card with the NthLayer SLOs of the current entity: target, window, current SLI,
 * error budget left, status and freshness of each SLO, and the entity's findings.
 *
 * @remarks
 * Each SLO is rendered in an element with `data-testid="nthlayer-slo-<name>"`. When the SLO
 * has an error budget, two elements hold its remaining budget as bare numbers (no unit,
 * no thousands separator), in JavaScript's `Number.prototype.toFixed` format:
 *
 * - `nthlayer-slo-<name>-remaining-percent`: `(errorBudget.remainingRatio * 100).toFixed(1)`,
 *   e.g. `15.0`, or `-30.0` when overspent;
 * - `nthlayer-slo-<name>-remaining-minutes`: `errorBudget.remainingMinutes.toFixed(2)`,
 *   e.g. `6.48`, or `-12.96` when overspent.
 *
 * Without a budget (no data, pending) those elements are absent. The status chip is
 * `nthlayer-slo-<name>-status` (with `data-status` set to the API status) and the SLI
 * `nthlayer-slo-<name>-sli` (three decimals, rounded down, or `no data`).
 *
 * @public
 */
export function EntityNthlayerSloCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title={TITLE}>
      {isNthlayerAvailable(entity) ? (
        <SloCardContent entity={entity} />
      ) : (
        <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
      )}
    </InfoCard>
  );
}
