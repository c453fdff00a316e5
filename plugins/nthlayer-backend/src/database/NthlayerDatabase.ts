import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { BudgetNotificationStore } from './BudgetNotificationStore';
import { DeploymentStore } from './DeploymentStore';
import { GateDecisionStore } from './GateDecisionStore';
import { GateOverrideStore } from './GateOverrideStore';
import { MeasurementStore } from './MeasurementStore';
import { RefreshStateStore } from './RefreshStateStore';
import { RollupStore } from './RollupStore';
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
}

export async function createNthlayerDatabase(options: {
  database: DatabaseService | { getClient(): Promise<Knex> };
}): Promise<NthlayerDatabase> {
  const { database } = options;
  const client = await database.getClient();
  const skip = 'migrations' in database && database.migrations?.skip === true;
  if (!skip) await client.migrate.latest({ directory: migrationsDir });
  return {
    measurements: new MeasurementStore(client),
    snapshots: new SnapshotStore(client),
    rollups: new RollupStore(client),
    refreshState: new RefreshStateStore(client),
    gateDecisions: new GateDecisionStore(client),
    deployments: new DeploymentStore(client),
    gateOverrides: new GateOverrideStore(client),
    budgetNotifications: new BudgetNotificationStore(client),
  };
}
