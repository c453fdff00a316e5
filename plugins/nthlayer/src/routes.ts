import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the Reliability tab (`EntityNthlayerContent`) in the legacy system. */
export const rootRouteRef = createRouteRef({ id: 'nthlayer' });
