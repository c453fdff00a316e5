import { createPermission } from '@backstage/plugin-permission-common';

/** Allows running the NthLayer refresh task on demand. @public */
export const nthlayerRefreshPermission = createPermission({
  name: 'nthlayer.refresh',
  attributes: { action: 'update' },
});

/** All NthLayer permissions, for the permission integration router. @public */
export const nthlayerPermissions = [nthlayerRefreshPermission];
