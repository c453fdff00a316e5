import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PortfolioResponse,
  PortfolioRollup,
  PortfolioService,
} from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { PortfolioFilters } from '../../api';
import { usePortfolio } from '../../hooks/usePortfolio';
import { Trend } from '../NthlayerScorecardPage/TeamsRanking';
import { SERVICE_ORDER } from '../NthlayerScorecardPage/servicesModel';
import { EntityNameLink } from './EntityNameLink';
import { PortfolioStatusChip } from './PortfolioStatusChip';
import { NotManagedNotice, loadState } from './entityCardStates';
import {
  formatRatioPercent,
  formatScore,
  formatTier,
  portfolioStatusLabel,
} from './scoreFormat';

/** How many services a card lists before "Show N more". */
export const COLLAPSED_SERVICES = 10;

const useStyles = makeStyles(theme => ({
  scoreLine: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  score: { fontWeight: 700, lineHeight: 1 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.25),
    margin: theme.spacing(1.5, 0),
  },
}));

function sameRef(a: string, b: string): boolean {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/** The services of a roll-up, worst score first (no data last), with tier, status and score. */
export function ServiceScoreList(props: { services: PortfolioService[]; testId: string }) {
  const [expanded, setExpanded] = useState(false);
  const sorted = [...props.services].sort(SERVICE_ORDER.score);
  const shown = expanded ? sorted : sorted.slice(0, COLLAPSED_SERVICES);
  const hidden = sorted.length - shown.length;
  return (
    <>
      <Table size="small" data-testid={props.testId}>
        <TableHead>
          <TableRow>
            <TableCell>Service</TableCell>
            <TableCell>Tier</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">Score</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(service => (
            <TableRow
              key={service.entityRef}
              data-testid="nthlayer-rollup-service"
              data-entity-ref={service.entityRef}
            >
              <TableCell>
                <EntityNameLink
                  entityRef={service.entityRef}
                  text={service.title ?? service.name}
                />
              </TableCell>
              <TableCell>{formatTier(service.tier)}</TableCell>
              <TableCell>
                <PortfolioStatusChip status={service.status} />
              </TableCell>
              <TableCell align="right" data-testid="nthlayer-rollup-service-score">
                {formatScore(service.score)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {hidden > 0 && (
        <Button size="small" onClick={() => setExpanded(true)}>
          Show {hidden} more
        </Button>
      )}
    </>
  );
}

function RollupView(props: {
  prefix: string;
  rollup: PortfolioRollup;
  services: PortfolioService[];
  showBudget: boolean;
}) {
  const classes = useStyles();
  const { prefix, rollup, services } = props;
  return (
    <div data-testid={prefix} data-ref={rollup.ref}>
      <div className={classes.scoreLine}>
        <Typography variant="h4" className={classes.score} data-testid={`${prefix}-score`}>
          {formatScore(rollup.score)}
        </Typography>
        <PortfolioStatusChip status={rollup.status} testId={`${prefix}-status`} />
      </div>
      <div className={classes.facts}>
        {props.showBudget && (
          <>
            <Typography variant="body2" color="textSecondary">
              Composite budget left
            </Typography>
            <Typography variant="body2" data-testid={`${prefix}-budget`}>
              {formatRatioPercent(rollup.compositeRemainingRatio)}
            </Typography>
          </>
        )}
        <Typography variant="body2" color="textSecondary">vs 7 days ago</Typography>
        <Trend current={rollup.score} past={rollup.score7dAgo} testId={`${prefix}-trend-7d`} />
        <Typography variant="body2" color="textSecondary">vs 30 days ago</Typography>
        <Trend current={rollup.score} past={rollup.score30dAgo} testId={`${prefix}-trend-30d`} />
        <Typography variant="body2" color="textSecondary">Services</Typography>
        <Typography variant="body2" data-testid={`${prefix}-by-status`}>
          {rollup.services} (
          {(['healthy', 'warning', 'critical'] as const)
            .map(s => `${rollup.byStatus[s] ?? 0} ${portfolioStatusLabel(s).toLocaleLowerCase('en-US')}`)
            .join(', ')}
          )
        </Typography>
        <Typography variant="body2" color="textSecondary">Tier 1 below target</Typography>
        <Typography variant="body2">{rollup.tier1BelowTarget}</Typography>
      </div>
      <ServiceScoreList services={services} testId={`${prefix}-services`} />
    </div>
  );
}

/** The roll-up of a response for `ref`: its own when listed, else the whole (filtered) response's. */
export function rollupOf(
  response: PortfolioResponse,
  key: 'teams' | 'systems',
  ref: string,
): PortfolioRollup {
  return response[key].find(r => sameRef(r.ref, ref)) ?? { ...response.org, ref };
}

/**
 * A card of the current Group or System entity with its portfolio roll-up: the portfolio
 * filtered by `group=` or `system=` its ref.
 */
export function RollupCard(props: {
  title: string;
  filter: 'group' | 'system';
  /** Test id prefix. */
  prefix: string;
  /** What the card says when the entity has no managed service. */
  noServices: string;
  showBudget: boolean;
}) {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  const filters: PortfolioFilters = { [props.filter]: ref };
  const state = usePortfolio(filters);
  const pending = loadState(state, message => (
    <NotManagedNotice
      testId={`${props.prefix}-empty`}
      title="No scorecard"
      reason={props.noServices}
      message={message}
    />
  ));
  let content = pending;
  if (pending === undefined && state.value) {
    const response = state.value;
    content =
      response.services.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid={`${props.prefix}-none`}
        >
          {props.noServices}
        </Typography>
      ) : (
        <RollupView
          prefix={props.prefix}
          rollup={rollupOf(response, props.filter === 'group' ? 'teams' : 'systems', ref)}
          services={response.services}
          showBudget={props.showBudget}
        />
      );
  }
  return <InfoCard title={props.title}>{content}</InfoCard>;
}
