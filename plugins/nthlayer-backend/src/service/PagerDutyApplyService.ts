import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { nthlayerPagerDutyApplyPermission } from '@nthlayer/backstage-plugin-common';
import {
  PagerDutyApiError,
  PagerDutyApplyError,
  PagerDutyApplyPlan,
  PagerDutyApplyResult,
  PagerDutyClient,
  PagerDutyDesiredState,
  applyPagerDutyPlan,
  observePagerDuty,
  planPagerDutyApply,
} from '@nthlayer/backstage-plugin-generators';
import { z } from 'zod';
import { ArtifactService } from './ArtifactService';

const applyRequest = z.object({ dryRun: z.boolean().optional() }).strict();

/** `POST .../pagerduty/apply`: the plan, and what applying it did unless it was a dry run. */
export interface PagerDutyApplyResponse {
  entityRef: string;
  dryRun: boolean;
  plan: PagerDutyApplyPlan;
  result?: PagerDutyApplyResult;
}

/**
 * Makes PagerDuty match an entity's generated desired state: reads what exists, plans
 * create/update per object (team, schedules, escalation policy, service), applies it. A
 * second apply finds nothing to change; nothing is ever deleted. Authorized per entity
 * (`nthlayer.pagerduty.apply`, a resource permission: owners only where the policy says so).
 */
export class PagerDutyApplyService {
  constructor(
    private readonly deps: {
      artifacts: ArtifactService;
      permissions: PermissionsService;
      /** Absent without a token: every request is a 409 naming the config key. */
      client?: PagerDutyClient;
      scheduleUsers: Record<string, string>;
    },
  ) {}

  async apply(ref: CompoundEntityRef, body: unknown, credentials: BackstageCredentials): Promise<PagerDutyApplyResponse> {
    const parsed = applyRequest.safeParse(body ?? {});
    if (!parsed.success) {
      throw new InputError(`Invalid apply request: ${parsed.error.issues.map(i => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    }
    const dryRun = parsed.data.dryRun ?? false;
    const entityRef = stringifyEntityRef(ref);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: nthlayerPagerDutyApplyPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to apply the PagerDuty setup of ${entityRef} (permission nthlayer.pagerduty.apply)`);
    }
    const client = this.deps.client;
    if (!client) throw new ConflictError('PagerDuty is not configured on this backend: set nthlayer.pagerduty.token');
    const { artifacts } = await this.deps.artifacts.generate(ref, credentials);
    const artifact = artifacts.find(a => a.kind === 'pagerduty');
    if (!artifact) throw new NotFoundError(`${entityRef} has no generated PagerDuty setup (is it managed by NthLayer?)`);
    const desired = JSON.parse(artifact.content) as PagerDutyDesiredState;
    try {
      const observed = await observePagerDuty(client, desired);
      const annotated = desired.nthlayer.existingServiceId;
      if (annotated && !observed.service) {
        // Creating one would never be found again by that id: every apply would add another.
        throw new InputError(
          `${entityRef} names the PagerDuty service ${annotated} (pagerduty.com/service-id), which PagerDuty does not have: fix the annotation or remove it to have the service created`,
        );
      }
      const plan = planPagerDutyApply(desired, observed);
      if (dryRun) return { entityRef, dryRun, plan };
      const result = await applyPagerDutyPlan(client, desired, plan, { userIds: this.deps.scheduleUsers });
      return { entityRef, dryRun, plan, result };
    } catch (error) {
      if (error instanceof PagerDutyApplyError) throw new InputError(error.message);
      if (error instanceof PagerDutyApiError) {
        throw new ServiceUnavailableError(`PagerDuty refused or could not be reached: ${error.message}`);
      }
      throw error;
    }
  }
}
