import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { BudgetNotificationStore } from './BudgetNotificationStore';
import { DeploymentStore } from './DeploymentStore';
import { DriftStore } from './DriftStore';
import { GateDecisionStore } from './GateDecisionStore';
import { GateOverrideStore } from './GateOverrideStore';
import { IncidentStore } from './IncidentStore';
import { LedgerStore } from './LedgerStore';
import { MeasurementStore } from './MeasurementStore';
import { RefreshStateStore } from './RefreshStateStore';
import { ReliabilityStore } from './ReliabilityStore';
import { RollupStore } from './RollupStore';
import { SliSourceStore } from './SliSourceStore';
import { SnapshotStore } from './SnapshotStore';

const migrationsDir = resolvePackagePath('@nthlayer/backstage-plugin-backend', 'migrations');

/** The plugin's stores over one knex client (SQLite or PostgreSQL), migrated on creation. */
export interface NthlayerDatabase {
  measurements: MeasurementStore;
  snapshots: SnapshotStore;
  rollups: RollupStore;
  refreshState: RefreshStateStore;
  gateDecisions: GateDecisionStore;
  deployments: DeploymentStore;
  gateOverrides: GateOverrideStore;
  budgetNotifications: BudgetNotificationStore;
  sliSources: SliSourceStore;
  drift: DriftStore;
  incidents: IncidentStore;
  reliability: ReliabilityStore;
  ledger: LedgerStore;
}

export async function createNthlayerDatabase(options: {
  database: DatabaseService | { getClient(): Promise<Knex> };
}): Promise<NthlayerDatabase> {
  const { database } = options;
  const client = await database.getClient();
  const skip = 'migrations' in database && database.migrations?.skip === true;
  if (!skip) await client.migrate.latest({ directory: migrationsDir });
  await useWriteAheadLog(client);
  return {
    measurements: new MeasurementStore(client),
    snapshots: new SnapshotStore(client),
    rollups: new RollupStore(client),
    refreshState: new RefreshStateStore(client),
    gateDecisions: new GateDecisionStore(client),
    deployments: new DeploymentStore(client),
    gateOverrides: new GateOverrideStore(client),
    budgetNotifications: new BudgetNotificationStore(client),
    sliSources: new SliSourceStore(client),
    drift: new DriftStore(client),
    incidents: new IncidentStore(client),
    reliability: new ReliabilityStore(client),
    ledger: new LedgerStore(client),
  };
}

/**
 * SQLite (the embedded default) commits with two fsyncs in its default rollback-journal mode:
 * about 3 ms each on this machine, during which better-sqlite3 blocks the event loop — every
 * gate check appends a decision. In WAL mode with synchronous=NORMAL a commit costs ~0.1 ms
 * and a power loss can drop only the last commits, never corrupt the file. Sorting and
 * grouping (the thinned history reads) keep their temporary B-trees in memory rather than in
 * temporary files, which under a busy disk stalled reads (and the event loop) for up to a
 * second in `bench:api`; the page cache is 32 MiB instead of 2. Only the plugin's own database
 * file is changed; PostgreSQL is left alone.
 */
async function useWriteAheadLog(client: Knex): Promise<void> {
  const dialect = String(client.client.config?.client ?? '');
  if (!/sqlite/.test(dialect)) return;
  await client.raw('PRAGMA journal_mode = WAL');
  await client.raw('PRAGMA synchronous = NORMAL');
  await client.raw('PRAGMA temp_store = MEMORY');
  await client.raw('PRAGMA cache_size = -32768');
}
