import { HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  PORTFOLIO_FORMATS,
  PortfolioFormat,
  PrometheusInstanceHealth,
  formatPortfolio,
  nthlayerDeploymentCreatePermission,
  nthlayerRefreshPermission,
} from '@nthlayer/backstage-plugin-common';
import express from 'express';
import Router from 'express-promise-router';
import path from 'path';
import { ArtifactService } from './ArtifactService';
import { ArtifactValidator } from './ArtifactValidator';
import { artifactZipName, artifactZipStream } from './artifactZip';
import { principalOf, requireGateCheckPermission, requirePermission } from './callers';
import { EntitySloService } from './EntitySloService';
import { DeploymentService } from './DeploymentService';
import { GateService } from './GateService';
import { PolicyService } from './PolicyService';
import { RefreshService, TooManyRequestsError } from './RefreshService';
import { DriftService } from './DriftService';
import { IncidentService } from './IncidentService';
import { sendJson, sendJsonAnswer } from './jsonAnswer';
import { LedgerService } from './LedgerService';
import { PagerDutyApplyService } from './PagerDutyApplyService';
import { ReliabilityService } from './ReliabilityService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  refresh: RefreshService;
  entitySlos: EntitySloService;
  artifacts: ArtifactService;
  validator: ArtifactValidator;
  instances: () => PrometheusInstanceHealth[];
  gates: GateService;
  policies: PolicyService;
  deployments: DeploymentService;
  drift: DriftService;
  incidents: IncidentService;
  ledger: LedgerService;
  pagerdutyApply: PagerDutyApplyService;
  reliability: ReliabilityService;
}

/** The largest PagerDuty webhook body accepted (an incident event is a few kB). */
const WEBHOOK_BODY_LIMIT = '512kb';

/** The REST API, mounted at /api/nthlayer. Thin: authorize, call a service, answer. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, refresh, entitySlos, logger } = options;
  const router = Router();

  // PagerDuty v3 webhooks: no Backstage token (the plugin allows the path unauthenticated);
  // the X-PagerDuty-Signature over the raw body authenticates them, so the body is read raw,
  // before the JSON parser. A bad signature is a 401 and stores nothing.
  router.post('/v1/webhooks/pagerduty', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await options.incidents.webhook(body, req.header('x-pagerduty-signature'));
    res.status(outcome === 'stored' ? 202 : 200).json({ status: outcome });
  });

  router.use(express.json());

  // Unauthenticated (a load balancer's or monitor's probe): the status only, always 200.
  router.get('/health', async (_req, res) => {
    const { status } = await refresh.health();
    res.json({ status });
  });

  router.get('/v1/health', async (req, res) => {
    await httpAuth.credentials(req);
    res.json(await refresh.health());
  });

  router.get('/v1/entities/:kind/:namespace/:name/slos', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    await sendJson(req, res, await entitySlos.getEntitySlos({ kind, namespace, name }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/slos/:slo/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name, slo } = req.params;
    const { from, to, step } = historyQuery(req);
    const history = await entitySlos.getSloHistory({ kind, namespace, name }, slo, { from, to, step }, credentials);
    await sendJson(req, res, history);
  });

  router.get('/v1/entities/:kind/:namespace/:name/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    const { from, to, step } = historyQuery(req);
    const history = await entitySlos.getEntityHistory({ kind, namespace, name }, { from, to, step }, credentials);
    await sendJson(req, res, history);
  });

  router.get('/v1/entities/:kind/:namespace/:name/artifacts', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    await sendJson(req, res, await options.artifacts.list({ kind, namespace, name }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/artifacts.zip', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    const ref = { kind, namespace, name };
    const { artifacts } = await options.artifacts.generate(ref, credentials);
    if (!artifacts.length) {
      throw new NotFoundError(`${stringifyEntityRef(ref)} has no generated artifacts (no nthlayer.dev/tier)`);
    }
    res.attachment(artifactZipName(name));
    res.type('application/zip');
    const zip = artifactZipStream(artifacts);
    // Headers are sent once the first bytes are: a failure can only cut the response off.
    zip.on('error', error => {
      logger.error(`NthLayer could not zip the artifacts of ${stringifyEntityRef(ref)}`, error);
      res.destroy(error);
    });
    zip.pipe(res);
  });

  // Before /artifacts/:id, which would otherwise take "validation" for an artifact id.
  router.get('/v1/entities/:kind/:namespace/:name/artifacts/validation', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.validator.validate({ kind, namespace, name }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/artifacts/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name, id } = req.params;
    const artifact = await options.artifacts.get({ kind, namespace, name }, id, credentials);
    if (req.query.download === '1' || req.query.download === 'true') {
      res.attachment(path.posix.basename(artifact.filename));
    }
    res.type(`${artifact.mediaType}; charset=utf-8`).send(artifact.content);
  });

  router.post('/v1/gates/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await requireGateCheckPermission(permissions, credentials);
    res.json(await options.gates.check(req.body, credentials, principalOf(credentials)));
  });

  router.get('/v1/entities/:kind/:namespace/:name/gate', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.gates.entityGate({ kind, namespace, name }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/gate/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.gates.audit({ kind, namespace, name }, credentials));
  });

  // nthlayer.gate.override is a resource permission on the entity: the service authorizes it
  // once it knows which entity the override is for.
  router.post('/v1/gates/overrides', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.status(201).json(await options.gates.createOverride(req.body, credentials, principalOf(credentials)));
  });

  router.delete('/v1/gates/overrides/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await options.gates.revokeOverride(req.params.id, credentials, principalOf(credentials)));
  });

  router.post('/v1/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await requirePermission(permissions, nthlayerDeploymentCreatePermission, credentials, 'Not allowed to report deployments to NthLayer (permission nthlayer.deployment.create)');
    res.status(201).json(await options.deployments.record(req.body, credentials, principalOf(credentials)));
  });

  router.get('/v1/entities/:kind/:namespace/:name/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    const { from, to } = historyQuery(req);
    res.json({ deployments: await options.deployments.list({ kind, namespace, name }, credentials, { from, to }) });
  });

  router.get('/v1/entities/:kind/:namespace/:name/drift', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.drift.entityDrift({ kind, namespace, name }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/ledger', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    const ledger = await options.ledger.entityLedger({ kind, namespace, name }, { window: req.query.window }, credentials);
    await sendJson(req, res, ledger);
  });

  router.get('/v1/deployments/:id/impact', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await options.ledger.deploymentImpact(req.params.id, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/incidents', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.incidents.entityIncidents({ kind, namespace, name }, credentials));
  });

  // nthlayer.pagerduty.apply is a resource permission on the entity, checked by the service.
  router.post('/v1/entities/:kind/:namespace/:name/pagerduty/apply', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.pagerdutyApply.apply({ kind, namespace, name }, req.body, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/dependencies', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    const { depth, direction } = singleQuery(req, ['depth', 'direction']);
    res.json(await options.reliability.dependencies({ kind, namespace, name }, { depth, direction }, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/blast-radius', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = req.params;
    res.json(await options.reliability.blastRadius({ kind, namespace, name }, credentials));
  });

  router.get('/v1/portfolio', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { format = 'json', group, system, tier } = singleQuery(req, ['format', 'group', 'system', 'tier']);
    if (!(PORTFOLIO_FORMATS as readonly string[]).includes(format)) {
      throw new InputError(`format must be one of ${PORTFOLIO_FORMATS.join(', ')}`);
    }
    const answer = await options.reliability.portfolio({ group, system, tier }, credentials);
    const portfolio = answer.portfolio;
    if (format === 'json') {
      // Megabytes at 10,000 services: served from the cached bytes, gzipped once, 304 when unchanged.
      await sendJsonAnswer(req, res, answer);
      return;
    }
    const type = format === 'csv' ? 'text/csv' : 'text/markdown';
    res.type(`${type}; charset=utf-8`).send(formatPortfolio(portfolio, format as PortfolioFormat));
  });

  router.get('/v1/scores/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await options.reliability.scoreHistory(singleQuery(req, ['ref', 'days']), credentials));
  });

  router.get('/v1/policies', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({
      loadedAt: options.policies.loadedAt(),
      policies: options.policies.policies().map(p => ({
        name: p.name,
        source: p.source,
        hash: p.hash,
        selector: p.selector,
        timeZone: p.timeZone,
        failClosed: p.failClosed,
        rules: p.rules.map(r => ({ name: r.name, condition: r.condition, action: r.action, message: r.message, exceptions: r.exceptions })),
        freezeWindows: p.freezeWindows,
      })),
      errors: options.policies.errors(),
    });
  });

  router.get('/v1/instances', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ instances: options.instances() });
  });

  router.post('/v1/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await requirePermission(permissions, nthlayerRefreshPermission, credentials, 'Not allowed to refresh NthLayer budgets');
    try {
      await refresh.requestManual();
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.set('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    res.status(202).json({ status: 'accepted' });
  });

  return router;
}

/** from, to and step, each given at most once. */
function historyQuery(req: express.Request): { from?: string; to?: string; step?: string } {
  return singleQuery(req, ['from', 'to', 'step']);
}

/** Query parameters, each given at most once. */
function singleQuery(req: express.Request, names: string[]): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = req.query[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new InputError(`${name} must be given once, as a single value`);
    }
    query[name] = value;
  }
  return query;
}
