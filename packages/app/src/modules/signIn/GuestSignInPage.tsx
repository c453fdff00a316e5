import { ProxiedSignInPage } from '@backstage/core-components';
import { SignInPageProps } from '@backstage/plugin-app-react';

/**
 * Signs in as guest without a click: the page asks the auth backend's `guest` provider
 * (`/api/auth/guest/refresh`) for a session as soon as it mounts, and keeps refreshing it.
 * The backend needs `@backstage/plugin-auth-backend-module-guest-provider` and
 * `auth.providers.guest` in app-config.
 */
export function GuestSignInPage(props: SignInPageProps) {
  return <ProxiedSignInPage {...props} provider="guest" />;
}
