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

/** All NthLayer permissions, for the permission integration router. @public */
export const nthlayerPermissions = [
  nthlayerRefreshPermission,
  nthlayerGateCheckPermission,
  nthlayerDeploymentCreatePermission,
];
