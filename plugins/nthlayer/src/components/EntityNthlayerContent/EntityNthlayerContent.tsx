import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  NTHLAYER_ANNOTATIONS,
  SloReport,
} from '@nthlayer/backstage-plugin-common';
import { isNthlayerAvailable } from '../../api';
import { useEntityHistory } from '../../hooks/useEntityHistory';
import { useEntityLedger } from '../../hooks/useEntityLedger';
import { useEntitySlos } from '../../hooks/useEntitySlos';
import { NthlayerBurnRateTable } from '../BurnRateTable';
import {
  SloBudgetChart,
  SloHistoryState,
} from '../EntityNthlayerBudgetChart/SloBudgetChart';
import { LedgerSection } from '../EntityNthlayerLedger/LedgerSection';
import { FindingsList } from '../EntityNthlayerSloCard/FindingsList';
import { SloRow } from '../EntityNthlayerSloCard/SloRow';
import { SlosErrorPanel } from '../EntityNthlayerSloCard/SlosErrorPanel';
import { sloTitle } from '../EntityNthlayerSloCard/format';

function SloSection(props: {
  report: SloReport;
  history: SloHistoryState;
  now: Date;
}) {
  const { report, history, now } = props;
  const headingId = `nthlayer-section-${report.name}-heading`;
  return (
    <Grid
      item
      xs={12}
      component="section"
      aria-labelledby={headingId}
      data-testid={`nthlayer-section-${report.name}`}
    >
      <Typography variant="h5" component="h2" id={headingId} gutterBottom>
        {sloTitle(report)}
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12} lg={4}>
          <InfoCard title="Summary">
            <SloRow slo={report} now={now} sparkline={false} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} lg={8}>
          <InfoCard
            title="Error budget burn-down"
            subheader={`Budget remaining over the ${report.window} window`}
          >
            <SloBudgetChart report={report} history={history} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Burn rates">
            <NthlayerBurnRateTable report={report} />
          </InfoCard>
        </Grid>
      </Grid>
    </Grid>
  );
}

function ReliabilitySections() {
  const { entity } = useEntity();
  const { loading, error, value } = useEntitySlos(entity);
  // Every SLO's history in one request, loaded alongside the report.
  const history = useEntityHistory(getCompoundEntityRef(entity));
  // The ledger once per page view: its episodes shade the charts, its section ends the tab.
  const ledger = useEntityLedger(getCompoundEntityRef(entity));
  if (loading) return <Progress />;
  if (error) return <SlosErrorPanel error={error} />;
  if (!value) return null;
  const now = new Date();
  const historyOf = (slo: string): SloHistoryState => ({
    loading: history.loading,
    error: history.error,
    value: history.value?.slos.find(h => h.slo === slo),
    deployments: history.value?.deployments,
    episodes: ledger.value?.slos.find(l => l.sloName === slo)?.episodes,
  });
  return (
    <Grid container spacing={3}>
      {value.findings.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Findings">
            <FindingsList findings={value.findings} />
          </InfoCard>
        </Grid>
      )}
      {value.slos.length === 0 && (
        <Grid item xs={12}>
          <EmptyState
            missing="info"
            title="No SLOs"
            description={
              value.service
                ? 'This service declares no SLOs.'
                : `NthLayer could not build a service model for this entity. Check the ${NTHLAYER_ANNOTATIONS.tier} annotation.`
            }
          />
        </Grid>
      )}
      {value.slos.map(report => (
        <SloSection
          key={report.name}
          report={report}
          history={historyOf(report.name)}
          now={now}
        />
      ))}
      {value.slos.length > 0 && <LedgerSection ledger={ledger} />}
    </Grid>
  );
}

/**
 * The Reliability tab of an entity: per SLO a summary (target, SLI, budget, time to
 * exhaustion, why), the error budget burn-down (with deploys and burn episodes) and the
 * burn-rate table, with the entity's findings on top and the budget ledger at the end.
 *
 * @remarks
 * Each SLO is a section `data-testid="nthlayer-section-<slo>"` holding
 * `nthlayer-slo-<slo>`, `nthlayer-budget-chart-<slo>` and `nthlayer-burn-table-<slo>`.
 * The ledger is the section `nthlayer-ledger`, with `nthlayer-ledger-slo-<slo>` per SLO.
 *
 * @public
 */
export function EntityNthlayerContent() {
  const { entity } = useEntity();
  // The entity page already lays tab content out in its own padded container.
  return isNthlayerAvailable(entity) ? (
    <ReliabilitySections />
  ) : (
    <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
  );
}
