import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityGateResponse,
  GateCheckResponse,
  PolicyLoadError,
  nthlayerGateOverridePermission,
} from '@nthlayer/backstage-plugin-common';
import { ReactNode, useState } from 'react';
import { useEntityGate } from '../../hooks/useEntityGate';
import { SlosErrorPanel } from '../EntityNthlayerSloCard/SlosErrorPanel';
import { formatPrincipal, formatTime } from './format';
import { GateRulesTable } from './GateRulesTable';
import {
  ActiveOverrides,
  RecentDecisions,
  RecentDeployments,
} from './GateLists';
import { OverrideDialog } from './OverrideDialog';
import { VerdictChip } from './VerdictChip';
import {
  ManagedEntityCard,
  NotManagedNotice,
  loadState,
} from '../shared/entityCardStates';

const TITLE = 'Deploy gate';

/** Shown instead of the override button to users without the permission. */
export const OVERRIDE_DENIED_TEXT = `Only the owners of this entity can override its gate (permission ${nthlayerGateOverridePermission.name}).`;

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  grow: { flexGrow: 1 },
  section: { marginTop: theme.spacing(2) },
  reasons: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
}));

function Section(props: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  const classes = useStyles();
  return (
    <section className={classes.section} data-testid={props.testId}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

/** "Allowed by override of jane until 1 Mar 2026, 14:00: <reason>; without it: block". */
function OverrideInForce(props: { current: GateCheckResponse }) {
  const { override, verdict } = props.current;
  if (!override) return null;
  const how = verdict === 'allow' ? 'Allowed' : `Set to ${verdict}`;
  return (
    <Typography
      variant="body2"
      data-testid="nthlayer-gate-override-applied"
      data-verdict-without={override.verdictWithout}
      style={{ marginTop: 8 }}
    >
      {how} by override of{' '}
      <span title={override.createdBy}>
        {formatPrincipal(override.createdBy)}
      </span>{' '}
      until {formatTime(override.expiresAt)}: {override.reason}; without it:{' '}
      <strong>{override.verdictWithout}</strong>
    </Typography>
  );
}

function Freshness(props: { current: GateCheckResponse }) {
  const { stale, budgetsAsOf } = props.current;
  if (budgetsAsOf === null) {
    return (
      <Typography
        variant="body2"
        color="error"
        data-testid="nthlayer-gate-stale"
      >
        No error budget has been measured yet.
      </Typography>
    );
  }
  if (stale) {
    return (
      <Typography
        variant="body2"
        color="error"
        data-testid="nthlayer-gate-stale"
      >
        Budgets are stale: last measured {formatTime(budgetsAsOf)}.
      </Typography>
    );
  }
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      Budgets as of {formatTime(budgetsAsOf)}.
    </Typography>
  );
}

function PolicyErrors(props: { errors: PolicyLoadError[] }) {
  if (props.errors.length === 0) return null;
  const count = props.errors.length;
  return (
    <Box mt={2} data-testid="nthlayer-gate-policy-errors">
      <WarningPanel
        severity="warning"
        title={`${count} policy document${
          count === 1 ? ' was' : 's were'
        } rejected`}
        message="The previously loaded policies stay in force until these are fixed."
        defaultExpanded
      >
        <ul>
          {props.errors.map((error, index) => (
            <li key={index} data-testid="nthlayer-gate-policy-error">
              <code>
                {error.source}:{error.line}:{error.column}
              </code>{' '}
              {error.policy ? `(${error.policy}) ` : ''}
              {error.reason}
            </li>
          ))}
        </ul>
      </WarningPanel>
    </Box>
  );
}

function GateView(props: {
  response: EntityGateResponse;
  entityRef: string;
  reloading: boolean;
  onChanged: () => void;
}) {
  const classes = useStyles();
  const { current, overrides, decisions, deployments, policyErrors } =
    props.response;
  const permission = usePermission({
    permission: nthlayerGateOverridePermission,
    resourceRef: props.entityRef,
  });
  const [dialogOpen, setDialogOpen] = useState(false);

  return (
    <div data-testid="nthlayer-gate">
      {props.reloading && <Progress />}
      <div className={classes.header}>
        <Typography variant="body1">A deploy now would get</Typography>
        <VerdictChip
          verdict={current.verdict}
          size="medium"
          testId="nthlayer-gate-verdict"
        />
        <span className={classes.grow} />
        {permission.allowed && (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setDialogOpen(true)}
          >
            Override gate
          </Button>
        )}
      </div>
      {!permission.loading && !permission.allowed && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="nthlayer-gate-override-denied"
        >
          {OVERRIDE_DENIED_TEXT}
        </Typography>
      )}
      <OverrideInForce current={current} />
      <ul className={classes.reasons} data-testid="nthlayer-gate-reasons">
        {current.reasons.map((reason, index) => (
          <li key={index}>
            <Typography variant="body2">{reason}</Typography>
          </li>
        ))}
      </ul>
      <Freshness current={current} />
      <PolicyErrors errors={policyErrors ?? []} />
      <Section title="Rules" testId="nthlayer-gate-rules">
        <GateRulesTable rules={current.rules} />
        {current.policies.length > 0 && (
          <Typography variant="caption" color="textSecondary" component="p">
            Policies:{' '}
            {current.policies.map(p => `${p.name} (${p.source})`).join(', ')}
            {props.response.policiesLoadedAt
              ? `; loaded ${formatTime(props.response.policiesLoadedAt)}`
              : ''}
          </Typography>
        )}
      </Section>
      <Section title="Active overrides" testId="nthlayer-gate-overrides">
        <ActiveOverrides
          overrides={overrides}
          canRevoke={permission.allowed}
          onRevoked={props.onChanged}
        />
      </Section>
      <Section title="Recent decisions" testId="nthlayer-gate-decisions">
        <RecentDecisions decisions={decisions} />
      </Section>
      <Section title="Recent deployments" testId="nthlayer-gate-deployments">
        <RecentDeployments deployments={deployments} />
      </Section>
      <OverrideDialog
        open={dialogOpen}
        entityRef={props.entityRef}
        onClose={() => setDialogOpen(false)}
        onCreated={() => {
          setDialogOpen(false);
          props.onChanged();
        }}
      />
    </div>
  );
}


function GateCardContent(props: { entity: Entity }) {
  const state = useEntityGate(props.entity);
  const pending = loadState(
    state,
    message => (
      <NotManagedNotice
        testId="nthlayer-gate-empty"
        title="No deploy gate"
        reason="This entity has no NthLayer tier, so NthLayer does not gate its deploys."
        message={message}
      />
    ),
    error => <SlosErrorPanel error={error} />,
  );
  const { loading, value, retry } = state;
  if (pending !== undefined || !value) return pending ?? null;
  return (
    <GateView
      response={value}
      entityRef={stringifyEntityRef(props.entity)}
      reloading={loading}
      onChanged={retry}
    />
  );
}

/**
 * Entity card with the NthLayer deploy gate of the current entity: the verdict a deploy
 * would get now (allow, warn or block) with its reasons and the rules that decided it, the
 * override in force, policy documents that failed to load, stale budgets, the active
 * overrides, and the latest decisions and deployments.
 *
 * @remarks
 * Users holding `nthlayer.gate.override` on the entity (a resource permission, checked with
 * the entity's ref) get an "Override gate" button, which opens a dialog (reason, expiry,
 * optional version), and a "Revoke" button on each active override; others see why not.
 *
 * Test ids: the verdict chip is `nthlayer-gate-verdict` (text and `data-verdict`:
 * `allow|warn|block`); rule rows `nthlayer-gate-rule` (`data-rule` = `policy/rule`,
 * `data-verdict`, `data-result`); active override rows `nthlayer-gate-override-<id>`;
 * `nthlayer-gate-override-applied`, `nthlayer-gate-policy-errors`, `nthlayer-gate-stale`,
 * `nthlayer-gate-decision`, `nthlayer-gate-deployment`, `nthlayer-gate-override-denied`,
 * and `nthlayer-gate-empty` when NthLayer does not manage the entity. The dialog's fields
 * are labelled "Reason", "Expires in", "Expires at" (custom) and "Version"; its submit
 * button is "Create override".
 *
 * @public
 */
export function EntityNthlayerGateCard() {
  return (
    <ManagedEntityCard title={TITLE}>
      {entity => <GateCardContent entity={entity} />}
    </ManagedEntityCard>
  );
}
