import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/** Allows running the NthLayer refresh task on demand. @public */
export const nthlayerRefreshPermission = createPermission({
  name: 'nthlayer.refresh',
  attributes: { action: 'update' },
});

/**
 * Allows asking the deploy gate (`POST /v1/gates/check`); each check is stored with its
 * caller. CI callers use a static external access token restricted to this permission.
 * @public
 */
export const nthlayerGateCheckPermission = createPermission({
  name: 'nthlayer.gate.check',
  attributes: { action: 'create' },
});

/**
 * Allows reporting deployments (`POST /v1/deployments`), e.g. a CI token restricted to it.
 * @public
 */
export const nthlayerDeploymentCreatePermission = createPermission({
  name: 'nthlayer.deployment.create',
  attributes: { action: 'create' },
});

/**
 * Allows overriding (and revoking overrides of) an entity's deploy gate. A resource
 * permission on catalog entities, authorized with the entity's ref, so a permission policy can
 * grant it to the entity's owners only (`catalogConditions.isEntityOwner`).
 * @public
 */
export const nthlayerGateOverridePermission = createPermission({
  name: 'nthlayer.gate.override',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Allows applying an entity's generated PagerDuty setup (`POST .../pagerduty/apply`: team,
 * schedules, escalation policy, service). A resource permission on catalog entities, so a
 * policy can grant it to the entity's owners only; a dry run (the plan) needs it too, since
 * it reads PagerDuty with the backend's token.
 * @public
 */
export const nthlayerPagerDutyApplyPermission = createPermission({
  name: 'nthlayer.pagerduty.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** All NthLayer permissions, for the permission integration router. @public */
export const nthlayerPermissions = [
  nthlayerRefreshPermission,
  nthlayerGateCheckPermission,
  nthlayerDeploymentCreatePermission,
  nthlayerGateOverridePermission,
  nthlayerPagerDutyApplyPermission,
];
