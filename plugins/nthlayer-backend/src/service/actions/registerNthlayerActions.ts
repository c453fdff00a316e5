import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerBudgetActions } from './budgetActions';
import { NthlayerActionServices } from './common';
import { registerGateActions } from './gateActions';
import { registerReliabilityActions } from './reliabilityActions';

export type { NthlayerActionServices } from './common';

/** The names of the actions NthLayer registers (ids `nthlayer:<name>`). */
export const NTHLAYER_ACTION_NAMES = [
  'get-slos',
  'explain-budget',
  'check-deploy-gate',
  'request-gate-override',
  'get-drift',
  'get-blast-radius',
  'get-portfolio',
] as const;

/**
 * Registers NthLayer's capabilities as actions in Backstage's actions registry, for AI
 * assistants through MCP (`@backstage/plugin-mcp-actions-backend`) and for the scaffolder.
 * Each action calls the service its REST route calls, with the invoking caller's credentials:
 * the catalog's permissions and NthLayer's permissions decide as they do for the route.
 *
 * @param registry - The plugin's actions registry (ids become `nthlayer:<name>`).
 * @param services - The services the REST routes use.
 */
export function registerNthlayerActions(registry: ActionsRegistryService, services: NthlayerActionServices): void {
  registerBudgetActions(registry, services);
  registerGateActions(registry, services);
  registerReliabilityActions(registry, services);
}
