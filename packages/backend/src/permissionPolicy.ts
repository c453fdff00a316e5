import { UserInfoService, coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  nthlayerGateOverridePermission,
  nthlayerPagerDutyApplyPermission,
  nthlayerRefreshPermission,
} from '@nthlayer/backstage-plugin-common';

/**
 * The demo's permission policy: everyone signed in reads everything and may ask the gate and
 * report deployments; only an entity's owners may override its deploy gate or apply its
 * PagerDuty setup; a refresh (it
 * recomputes every budget, not one entity's) is for users who belong to a team.
 *
 * Service tokens never reach this policy for these checks: a service principal without
 * `accessRestrictions` is granted everything, one with restrictions only what they list (the
 * demo CI token in app-config.yaml: nthlayer.gate.check and nthlayer.deployment.create).
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, nthlayerGateOverridePermission) ||
      isPermission(request.permission, nthlayerPagerDutyApplyPermission)
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(user.credentials);
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (isPermission(request.permission, nthlayerRefreshPermission)) {
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(user.credentials);
      const inATeam = ownershipEntityRefs.some(ref => ref.startsWith('group:'));
      return { result: inATeam ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DemoPermissionPolicy} as the permission backend's policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'nthlayer-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new DemoPermissionPolicy(userInfo));
      },
    });
  },
});
