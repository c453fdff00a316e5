import { createRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef as createFrontendRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the Reliability tab (`EntityNthlayerContent`) in the legacy system. */
export const rootRouteRef = createRouteRef({ id: 'nthlayer' });

/** Route of the scorecard page (`NthlayerScorecardPage`) in the legacy system. */
export const scorecardRouteRef = createRouteRef({ id: 'nthlayer-scorecard' });

/** Route of the scorecard page (`page:nthlayer`) in the new frontend system. */
export const scorecardPageRouteRef = createFrontendRouteRef();
