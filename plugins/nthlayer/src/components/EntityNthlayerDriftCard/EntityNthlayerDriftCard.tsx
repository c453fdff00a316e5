import { Entity } from '@backstage/catalog-model';
import {
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DriftHistoryEntry,
  DriftReport,
} from '@nthlayer/backstage-plugin-common';
import { useEntityDrift } from '../../hooks/useEntityDrift';
import { formatTime } from '../EntityNthlayerGateCard/format';
import { formatRelativeTime } from '../EntityNthlayerSloCard/format';
import { DriftTargetSection } from './DriftTargetSection';
import {
  driftSections,
  severityCount,
  summaryText,
  unreachableTargets,
} from './format';
import { SeverityChip } from './SeverityChip';
import {
  ManagedEntityCard,
  NotManagedNotice,
  loadState,
} from '../shared/entityCardStates';

const TITLE = 'Drift';

/** How many changes of the drift history the card lists. */
export const HISTORY_COUNT = 5;

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  grow: { flexGrow: 1 },
  incomplete: { marginTop: theme.spacing(1) },
  history: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(3) },
  section: { marginTop: theme.spacing(2) },
}));

/** A time as `5 minutes ago`, with the absolute time in its title. */
function When(props: { iso: string; now: Date; testId?: string }) {
  return (
    <time
      dateTime={props.iso}
      title={formatTime(props.iso)}
      data-testid={props.testId}
    >
      {formatRelativeTime(props.iso, props.now)}
    </time>
  );
}

function Summary(props: { report: DriftReport; now: Date }) {
  const classes = useStyles();
  const { report, now } = props;
  const unreachable = unreachableTargets(report);
  return (
    <div data-testid="nthlayer-drift-summary">
      <div className={classes.summary} aria-label={summaryText(report.summary)}>
        {(['critical', 'warning', 'info'] as const).map(severity => (
          <SeverityChip
            key={severity}
            severity={severity}
            label={severityCount(severity, report.summary[severity] ?? 0)}
            testId={`nthlayer-drift-count-${severity}`}
          />
        ))}
        <span className={classes.grow} />
        <Typography variant="caption" color="textSecondary" component="span">
          Last checked{' '}
          <When
            iso={report.checkedAt}
            now={now}
            testId="nthlayer-drift-checked-at"
          />
        </Typography>
      </div>
      {unreachable.length > 0 && (
        <Typography
          variant="body2"
          color="error"
          className={classes.incomplete}
          data-testid="nthlayer-drift-incomplete"
        >
          Not everything could be checked ({unreachable.join(', ')}): drift
          there is unknown, not absent.
        </Typography>
      )}
    </div>
  );
}

function History(props: { history: DriftHistoryEntry[]; now: Date }) {
  const classes = useStyles();
  const entries = props.history.slice(0, HISTORY_COUNT);
  if (entries.length === 0) return null;
  return (
    <section className={classes.section} data-testid="nthlayer-drift-history">
      <Typography variant="subtitle2" component="h3">
        Recent changes
      </Typography>
      <ul className={classes.history}>
        {entries.map((entry, index) => (
          <li key={`${entry.checkedAt}/${index}`}>
            <Typography variant="body2" component="span">
              <When iso={entry.checkedAt} now={props.now} />:{' '}
              {summaryText(entry)}
            </Typography>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NotCheckedYet() {
  return (
    <div data-testid="nthlayer-drift-not-checked">
      <Typography variant="subtitle1">Not checked yet</Typography>
      <Typography variant="body2" color="textSecondary">
        NthLayer's drift task compares what runs (Prometheus rules, the Grafana
        dashboard, PagerDuty) with what NthLayer generates for this entity. It
        runs on a schedule (nthlayer.drift.schedule, every 15 minutes by
        default) and has not checked this entity yet; its first result appears
        here after its next run.
      </Typography>
    </div>
  );
}


function DriftReportView(props: {
  report: DriftReport;
  history: DriftHistoryEntry[];
}) {
  const now = new Date();
  return (
    <div data-testid="nthlayer-drift">
      <Summary report={props.report} now={now} />
      {driftSections(props.report).map(section => (
        <DriftTargetSection key={section.target} section={section} />
      ))}
      <History history={props.history} now={now} />
    </div>
  );
}

function DriftCardContent(props: { entity: Entity }) {
  const state = useEntityDrift(props.entity);
  const pending = loadState(state, message => (
    <NotManagedNotice
      testId="nthlayer-drift-empty"
      title="No drift detection"
      reason="NthLayer does not manage this entity, so it generates nothing to compare with what runs."
      message={message}
    />
  ));
  const value = state.value;
  if (pending !== undefined || !value) return pending ?? null;
  if (!value.report) return <NotCheckedYet />;
  return <DriftReportView report={value.report} history={value.history} />;
}

/**
 * Entity card with the drift of the current entity: how what runs differs from what NthLayer
 * generates, as the scheduled drift task last found it.
 *
 * @remarks
 * A summary (critical, warning and info counts; when the entity was last checked, the exact
 * time in the title), then one section per target in the report's order — Prometheus rules,
 * SLO thresholds (the objectives the loaded burn-rate alerts encode, checked with the rules),
 * Grafana dashboard, PagerDuty, Budget trend. Each finding shows its severity, kind, field,
 * object and message and, when it has them, what NthLayer generates and what runs side by
 * side ("Generated by NthLayer" / "Running"). A target that could not be read says "Could not
 * check: <why>" and never "No drift"; one without configuration says "Not configured: <why>".
 * Until the drift task has checked the entity the card says "Not checked yet".
 *
 * Test ids: `nthlayer-drift-summary`, `nthlayer-drift-count-<severity>`,
 * `nthlayer-drift-checked-at` (a `time` element), `nthlayer-drift-incomplete`; per target
 * `nthlayer-drift-target-<target>` (`data-state` = `checked|unreachable|not-configured|unknown`,
 * `data-findings` = the count) holding `nthlayer-drift-unreachable`,
 * `nthlayer-drift-not-configured` or `nthlayer-drift-none`, and findings
 * `nthlayer-drift-finding` (`data-target`, `data-severity`, `data-kind`) with
 * `nthlayer-drift-expected` / `nthlayer-drift-actual`; `nthlayer-drift-history`,
 * `nthlayer-drift-not-checked`, and `nthlayer-drift-empty` when NthLayer does not manage the
 * entity.
 *
 * @public
 */
export function EntityNthlayerDriftCard() {
  return (
    <ManagedEntityCard title={TITLE}>
      {entity => <DriftCardContent entity={entity} />}
    </ManagedEntityCard>
  );
}
