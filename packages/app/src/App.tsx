import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import nthlayerPlugin from '@nthlayer/backstage-plugin/alpha';
import { navModule } from './modules/nav';
import { guestSignInModule } from './modules/signIn';

// Listed explicitly so the app works with or without `app.packages: all` discovery;
// the same plugin object found twice is only installed once.
export default createApp({
  features: [catalogPlugin, notificationsPlugin, scaffolderPlugin, nthlayerPlugin, navModule, guestSignInModule],
});
