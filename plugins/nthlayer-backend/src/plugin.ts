import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { GrafanaClient, PagerDutyClient } from '@nthlayer/backstage-plugin-generators';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { nthlayerPermissions } from '@nthlayer/backstage-plugin-common';
import { createNthlayerDatabase } from './database/NthlayerDatabase';
import { registerNthlayerActions } from './service/actions/registerNthlayerActions';
import { ArtifactService } from './service/ArtifactService';
import { ArtifactValidator } from './service/ArtifactValidator';
import { BudgetEngine } from './service/BudgetEngine';
import { CatalogReader } from './service/CatalogReader';
import { DeploymentService } from './service/DeploymentService';
import { DriftService } from './service/DriftService';
import { IncidentService } from './service/IncidentService';
import { LedgerService } from './service/LedgerService';
import { PagerDutyApplyService } from './service/PagerDutyApplyService';
import { EntityReader } from './service/EntityReader';
import { EntitySloService } from './service/EntitySloService';
import { GateNotifier } from './service/GateNotifier';
import { GateService } from './service/GateService';
import { PolicyService } from './service/PolicyService';
import { PrometheusRegistry } from './service/PrometheusRegistry';
import { RefreshService } from './service/RefreshService';
import { ReliabilityService } from './service/ReliabilityService';
import { DependencyDiscovery } from './service/DependencyDiscovery';
import { ServiceDefinitions } from './service/ServiceDefinitions';
import { ServiceFileReader } from './service/ServiceFileReader';
import { SliResolver } from './service/SliResolver';
import { readNthlayerConfig, readPolicyLocations, readServiceFileLimits } from './service/config';
import { createRouter } from './service/router';

export const BUDGET_TASK_ID = 'nthlayer-budget-refresh';
export const DRIFT_TASK_ID = 'nthlayer-drift';
export const INCIDENTS_TASK_ID = 'nthlayer-pagerduty-incidents';
export const RELIABILITY_TASK_ID = 'nthlayer-graph-and-scores';
export const LEDGER_TASK_ID = 'nthlayer-ledger';

/**
 * NthLayer backend plugin: measures SLO error budgets of catalog services against
 * Prometheus on the scheduler and serves them at /api/nthlayer.
 *
 * @public
 */
export const nthlayerPlugin = createBackendPlugin({
  pluginId: 'nthlayer',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        urlReader: coreServices.urlReader,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, scheduler, httpRouter } = deps;
        const config = readNthlayerConfig(deps.config);
        deps.permissionsRegistry.addPermissions(nthlayerPermissions);
        const db = await createNthlayerDatabase({ database: deps.database });
        const prometheus = PrometheusRegistry.fromConfig(config.prometheusInstances);
        const reader = new CatalogReader(deps.catalog, deps.auth);
        const notifier = new GateNotifier({
          notifications: config.notifications.enabled ? deps.notifications : undefined,
          levels: db.budgetNotifications,
          logger,
        });
        const model = {
          tiers: config.tiers,
          defaultTimeZone: config.budgets.timeZone,
          prometheusInstances: prometheus.names,
        };
        // One reader of service files and OpenSLO documents: the budget task, the entity
        // page and the generators define services the same way.
        const documents = new ServiceFileReader({
          urlReader: deps.urlReader,
          integrations: ScmIntegrations.fromConfig(deps.config),
          limits: readServiceFileLimits(deps.config),
          ttlMs: config.cache.entityTtlMs,
        });
        const definitions = new ServiceDefinitions({ files: documents, model });
        const engine = new BudgetEngine({
          readEntities: () => reader.readManagedEntities(),
          prometheus,
          db,
          logger,
          model,
          backfillStepMinutes: config.budgets.backfillStepMinutes,
          retentionDays: config.budgets.retentionDays,
          afterMeasure: measured => notifier.budgets(measured),
          sliResolver: new SliResolver({ prometheus }),
          definitions,
        });

        const refresh = new RefreshService({
          engine,
          state: db.refreshState,
          scheduler,
          taskId: BUDGET_TASK_ID,
          logger,
          minIntervalMs: config.refresh.minIntervalMs,
          schedulePeriodMs: config.schedulePeriodMs,
          instances: () => prometheus.health(),
        });

        // The scheduler's database lock runs this once across replicas; manual refreshes
        // trigger this task rather than running the engine themselves.
        await scheduler.scheduleTask({
          id: BUDGET_TASK_ID,
          ...config.schedule,
          fn: async () => {
            await refresh.run();
          },
        });

        // One reader for every route: a page view's requests ask the catalog once.
        const entities = new EntityReader({ catalog: deps.catalog, auth: deps.auth, ttlMs: config.cache.entityTtlMs });
        const artifacts = new ArtifactService({
          entities,
          serviceFiles: documents,
          model,
          sliSources: db.sliSources,
        });
        const policies = new PolicyService({
          // Read again at every reload: a location removed from the config drops its policies.
          locations: () => readPolicyLocations(deps.config),
          urlReader: deps.urlReader,
          logger,
        });
        await policies.load();
        // Every replica holds its own copy of the policies: a local task on each.
        await scheduler.scheduleTask({
          id: 'nthlayer-policy-reload',
          scope: 'local',
          frequency: config.policies.reloadFrequency,
          timeout: { minutes: 1 },
          initialDelay: config.policies.reloadFrequency,
          fn: () => policies.load(),
        });
        const entitySlos = new EntitySloService({
          entities,
          db,
          model,
          definitions,
          minEventRate: config.budgets.minRequestRate,
        });
        const pagerdutyConfig = config.pagerduty;
        const pagerduty = pagerdutyConfig?.token
          ? new PagerDutyClient({ token: pagerdutyConfig.token, baseUrl: pagerdutyConfig.baseUrl, from: pagerdutyConfig.from })
          : undefined;
        const drift = new DriftService({
          readEntities: () => reader.readManagedEntities(),
          serviceCredentials: () => deps.auth.getOwnServiceCredentials(),
          artifacts,
          entities,
          prometheus,
          grafana: config.grafanaInstances.map(
            g => new GrafanaClient({ name: g.name, baseUrl: g.baseUrl, token: g.token, timeoutMs: g.timeoutMs }),
          ),
          pagerduty,
          entitySlos,
          store: db.drift,
          logger,
          trendDays: config.drift.trendDays,
        });
        // Its own task on the scheduler's lock: one drift run at a time across replicas.
        await scheduler.scheduleTask({
          id: DRIFT_TASK_ID,
          ...config.drift.schedule,
          fn: async () => {
            const summary = await drift.run();
            logger.info(
              `Drift checked ${summary.entities} entities in ${summary.durationMs} ms: ${summary.changed} changed, ${summary.critical} critical findings, ${summary.failed} failed`,
            );
          },
        });
        const incidents = new IncidentService({
          store: db.incidents,
          entities,
          readEntities: () => reader.readPagerDutyEntities(),
          client: pagerduty,
          configured: pagerdutyConfig !== undefined,
          webhookSecrets: pagerdutyConfig?.webhookSecrets ?? [],
          lookbackDays: pagerdutyConfig?.incidentsLookbackDays ?? 30,
          logger,
        });
        if (pagerdutyConfig) {
          // Local: every replica maps services to entities for the webhooks it receives;
          // reading incidents twice is harmless (stored by id, the later update wins).
          await scheduler.scheduleTask({
            id: INCIDENTS_TASK_ID,
            scope: 'local',
            ...pagerdutyConfig.incidentsSchedule,
            fn: async () => {
              await incidents.poll();
            },
          });
        }
        // The gate reads blast.* from the reliability snapshot, which reads the gate's verdicts:
        // the service is handed to the gate once built.
        const blastSource: { reliability?: ReliabilityService } = {};
        const ledger = new LedgerService({
          readEntities: () => reader.readManagedEntities(),
          defineServices: found => engine.definedWithStoredSources(found),
          prometheus,
          store: db.ledger,
          deployments: db.deployments,
          incidents: db.incidents,
          entitySlos,
          graph: async () => blastSource.reliability?.currentGraph(),
          logger,
          lookbackDays: config.ledger.lookbackDays,
          retentionDays: config.ledger.retentionDays,
          recentHighImpactDays: config.ledger.recentHighImpactDays,
        });
        // On the scheduler's lock: one reader of new buckets at a time across replicas.
        await scheduler.scheduleTask({
          id: LEDGER_TASK_ID,
          ...config.ledger.schedule,
          fn: async () => {
            const summary = await ledger.run();
            logger.info(
              `Ledger read ${summary.buckets} buckets of ${summary.slos} SLOs with ${summary.queries} queries in ${summary.durationMs} ms: ${summary.episodes} episodes written, ${summary.failed} failed`,
            );
          },
        });
        const gates = new GateService({
          entities,
          entitySlos,
          artifacts,
          policies,
          decisions: db.gateDecisions,
          overrides: db.gateOverrides,
          deployments: db.deployments,
          permissions: deps.permissions,
          notifier,
          drift: db.drift,
          incidents,
          blast: { blastSummary: entityRef => blastSource.reliability?.blastSummary(entityRef) ?? Promise.resolve(null) },
          ledger,
          maxOverrideMs: config.gates.maxOverrideMs,
        });
        const reliabilityService = new ReliabilityService({
          catalog: deps.catalog,
          auth: deps.auth,
          entities,
          gates,
          artifacts,
          incidents,
          db,
          discovery: config.graph.discovery
            ? new DependencyDiscovery({ prometheus, sources: config.graph.discovery.sources, lookback: config.graph.discovery.lookback, logger })
            : undefined,
          lookbackLabel: config.graph.discovery?.lookback ?? '7d',
          logger,
        });
        blastSource.reliability = reliabilityService;
        // The same services as the routes, called with the invoking caller's credentials.
        registerNthlayerActions(deps.actionsRegistry, {
          permissions: deps.permissions,
          entitySlos,
          gates,
          drift,
          reliability: reliabilityService,
        });
        // On the scheduler's lock: one build at a time across replicas; each replica reads the stored result.
        await scheduler.scheduleTask({
          id: RELIABILITY_TASK_ID,
          ...config.graph.schedule,
          fn: async () => {
            const summary = await reliabilityService.run();
            logger.info(
              `Dependency graph and scores built in ${summary.durationMs} ms: ${summary.entities} entities, ${summary.services} services, ${summary.edges} edges, ${summary.findings} findings, ${summary.failed} failed`,
            );
          },
        });
        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger,
            refresh,
            entitySlos,
            gates,
            reliability: reliabilityService,
            policies,
            deployments: new DeploymentService({ entities, store: db.deployments }),
            artifacts,
            validator: new ArtifactValidator({
              artifacts,
              seriesSource: instance => prometheus.get(instance ?? prometheus.defaultName),
              lookback: config.validation.lookback,
              scrapeInterval: config.validation.scrapeInterval,
            }),
            instances: () => prometheus.health(),
            drift,
            incidents,
            ledger,
            pagerdutyApply: new PagerDutyApplyService({
              artifacts,
              permissions: deps.permissions,
              client: pagerduty,
              scheduleUsers: pagerdutyConfig?.scheduleUsers ?? {},
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Authenticated by the X-PagerDuty-Signature over the body (a 401 without a match).
        httpRouter.addAuthPolicy({ path: '/v1/webhooks/pagerduty', allow: 'unauthenticated' });
      },
    });
  },
});
