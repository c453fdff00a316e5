import { Table, TableColumn, TableProps } from '@backstage/core-components';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PortfolioService,
  PortfolioStatus,
} from '@nthlayer/backstage-plugin-common';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { statusLabel } from '../EntityNthlayerSloCard/format';
import { EntityNameLink } from '../shared/EntityNameLink';
import { PortfolioStatusChip } from '../shared/PortfolioStatusChip';
import {
  entityName,
  formatRatioPercent,
  formatScore,
  formatTier,
  portfolioStatusLabel,
} from '../shared/scoreFormat';
import {
  SERVICE_ORDER,
  ServiceFilters,
  componentsText,
} from './servicesModel';

/** Rows per page of the services table, and the other sizes offered. */
export const SERVICES_PAGE_SIZE = 20;
export const SERVICES_PAGE_SIZES = [20, 50, 100];

const STATUSES: PortfolioStatus[] = ['healthy', 'warning', 'critical'];

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 160 },
  count: { flexGrow: 1, textAlign: 'right' },
}));

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  all: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      variant="outlined"
      size="small"
      className={classes.select}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': props.id }}
    >
      <option value="">{props.all}</option>
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}

/** The Team, Tier, Status and System selects above the services table. */
export function ServiceFilterBar(props: {
  filters: ServiceFilters;
  teams: string[];
  systems: string[];
  shown: number;
  total: number;
  onChange: (filters: ServiceFilters) => void;
}) {
  const classes = useStyles();
  const { filters, onChange } = props;
  return (
    <div className={classes.filters} data-testid="nthlayer-service-filters">
      <FilterSelect
        id="nthlayer-filter-team"
        label="Team"
        all="All teams"
        value={filters.team}
        options={props.teams.map(ref => ({ value: ref, label: entityName(ref) }))}
        onChange={team => onChange({ ...filters, team })}
      />
      <FilterSelect
        id="nthlayer-filter-tier"
        label="Tier"
        all="All tiers"
        value={filters.tier}
        options={['1', '2', '3'].map(tier => ({ value: tier, label: `Tier ${tier}` }))}
        onChange={tier => onChange({ ...filters, tier: tier as ServiceFilters['tier'] })}
      />
      <FilterSelect
        id="nthlayer-filter-status"
        label="Status"
        all="All statuses"
        value={filters.status}
        options={STATUSES.map(status => ({
          value: status,
          label: portfolioStatusLabel(status),
        }))}
        onChange={status =>
          onChange({ ...filters, status: status as ServiceFilters['status'] })
        }
      />
      <FilterSelect
        id="nthlayer-filter-system"
        label="System"
        all="All systems"
        value={filters.system}
        options={props.systems.map(ref => ({ value: ref, label: entityName(ref) }))}
        onChange={system => onChange({ ...filters, system })}
      />
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.count}
        data-testid="nthlayer-services-count"
      >
        {props.shown === props.total
          ? `${props.total} services`
          : `${props.shown} of ${props.total} services`}
      </Typography>
    </div>
  );
}

type ServiceRow = PortfolioService;
/** The table's remote-data loader, its query and its answer (material-table's types). */
type RemoteData = Exclude<NonNullable<TableProps<ServiceRow>['data']>, ServiceRow[]>;
type Query = Parameters<RemoteData>[0];

/** The order of each sortable column's field. */
const ORDER_BY_FIELD = {
  name: SERVICE_ORDER.name,
  owner: SERVICE_ORDER.team,
  system: SERVICE_ORDER.system,
  tier: SERVICE_ORDER.tier,
  status: SERVICE_ORDER.status,
  score: SERVICE_ORDER.score,
  minRemainingRatio: SERVICE_ORDER.budget,
  slosBelowTarget: (a: PortfolioService, b: PortfolioService) =>
    a.slosBelowTarget - b.slosBelowTarget || SERVICE_ORDER.name(a, b),
};

/**
 * Every service of the portfolio in a paginated table, sortable by each column (score
 * ascending, worst first, by default; no data always after the numbers when ascending).
 * Material-table renders one page at a time, so 10,000 rows stay fast.
 */
export function ServicesTable(props: { services: PortfolioService[] }) {
  // Remote-data mode: the table is handed one page at a time, sorted and searched here, so
  // material-table never copies or walks all 10,000 rows (it did, at ~0.35 ms a row).
  const tableRef = useRef<{ onQueryChange?: () => void }>();
  const data = useCallback(
    (query: Query): ReturnType<RemoteData> => {
      const term = query.search?.trim().toLowerCase() ?? '';
      const matching = term
        ? props.services.filter(s =>
            [s.name, s.title, s.owner, s.system].some(v => v?.toLowerCase().includes(term)),
          )
        : props.services;
      const field = query.orderBy?.field as keyof typeof ORDER_BY_FIELD | undefined;
      const order = (field && ORDER_BY_FIELD[field]) || SERVICE_ORDER.score;
      const sorted = [...matching].sort(order);
      if (query.orderBy && query.orderDirection === 'desc') sorted.reverse();
      const page = Math.min(query.page, Math.max(0, Math.ceil(sorted.length / query.pageSize) - 1));
      return Promise.resolve({
        // Copies: the table writes its own state onto each row object.
        data: sorted.slice(page * query.pageSize, (page + 1) * query.pageSize).map(s => ({ ...s })),
        page,
        totalCount: sorted.length,
      });
    },
    [props.services],
  );
  useEffect(() => {
    tableRef.current?.onQueryChange?.();
  }, [props.services]);
  const columns = useMemo<TableColumn<ServiceRow>[]>(
    () => [
      {
        title: 'Service',
        field: 'name',
        customSort: SERVICE_ORDER.name,
        render: row => (
          <span data-testid="nthlayer-service-name" data-entity-ref={row.entityRef}>
            <EntityNameLink entityRef={row.entityRef} text={row.title ?? row.name} />
          </span>
        ),
      },
      {
        title: 'Team',
        field: 'owner',
        customSort: SERVICE_ORDER.team,
        render: row => (row.owner ? <EntityNameLink entityRef={row.owner} /> : '—'),
      },
      {
        title: 'System',
        field: 'system',
        customSort: SERVICE_ORDER.system,
        render: row => (row.system ? <EntityNameLink entityRef={row.system} /> : '—'),
      },
      {
        title: 'Tier',
        field: 'tier',
        customSort: SERVICE_ORDER.tier,
        render: row => (
          <span data-testid="nthlayer-service-tier">{formatTier(row.tier)}</span>
        ),
      },
      {
        title: 'Status',
        field: 'status',
        customSort: SERVICE_ORDER.status,
        render: row => (
          <PortfolioStatusChip status={row.status} testId="nthlayer-service-status" />
        ),
      },
      {
        title: 'Score',
        field: 'score',
        type: 'numeric',
        defaultSort: 'asc',
        customSort: SERVICE_ORDER.score,
        render: row => (
          <span data-testid="nthlayer-service-score" title={componentsText(row)}>
            {formatScore(row.score)}
          </span>
        ),
      },
      {
        title: 'Budget left',
        field: 'minRemainingRatio',
        type: 'numeric',
        customSort: SERVICE_ORDER.budget,
        render: row => (
          <span
            data-testid="nthlayer-service-budget"
            title={`${statusLabel(row.budgetStatus)}${row.worstSlo ? ` (${row.worstSlo})` : ''}`}
          >
            {formatRatioPercent(row.minRemainingRatio)}
          </span>
        ),
      },
      {
        title: 'SLOs below target',
        field: 'slosBelowTarget',
        type: 'numeric',
        render: row => `${row.slosBelowTarget} of ${row.sloCount}`,
      },
    ],
    [],
  );
  if (!props.services.length) {
    // Remote data: the table cannot know it is empty; say so here.
    return (
      <div data-testid="nthlayer-services-table">
        <Typography variant="body2" color="textSecondary" style={{ padding: 16 }}>
          No service matches these filters.
        </Typography>
      </div>
    );
  }
  return (
    <div data-testid="nthlayer-services-table">
      <Table<ServiceRow>
        title="Services"
        columns={columns}
        data={data}
        tableRef={tableRef}
        options={{
          paging: true,
          pageSize: SERVICES_PAGE_SIZE,
          pageSizeOptions: SERVICES_PAGE_SIZES,
          emptyRowsWhenPaging: false,
          padding: 'dense',
          search: true,
          thirdSortClick: false,
          // A column clicked first sorts ascending, whatever the previous column's order.
          keepSortDirectionOnColumnSwitch: false,
        }}
      />
    </div>
  );
}
