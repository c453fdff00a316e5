import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Replaces the app plugin's default `sign-in-page:app` (same id, so it overrides it
 * instead of competing for the app root's single sign-in page input): the demo signs
 * everyone in as guest, automatically.
 */
const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./GuestSignInPage').then(m => m.GuestSignInPage),
  },
});

/** Installs the automatic guest sign-in page in the app plugin. */
export const guestSignInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [guestSignInPage],
});
