import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { createTemplateAction, scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import express from 'express';
import Router from 'express-promise-router';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The demo's stand-in for a git host. No git host is reachable from the demo, and the
 * catalog registers only `url` locations (the UrlReader has no reader for local files), so:
 *
 * - `demo:publish:directory` copies a scaffolder workspace into `demo.repositoriesDir`
 *   (default `.demo/repositories/<name>/` at the repository root), refusing a name that exists;
 * - the `demo-repositories` plugin serves those folders read-only at
 *   `/api/demo-repositories/<name>/<path>`, like a git host's raw files, for the catalog's
 *   UrlReader (`backend.reading.allow` in app-config.yaml) — unauthenticated, as the UrlReader
 *   reads public raw URLs without a Backstage token.
 *
 * A real installation uses `publish:github` / `publish:gitlab` instead and none of this.
 */
const PLUGIN_ID = 'demo-repositories';
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function repositoriesDir(config: { getOptionalString(key: string): string | undefined }): string {
  return path.resolve(config.getOptionalString('demo.repositoriesDir') ?? '../../.demo/repositories');
}

/** Serves the published folders read-only. */
export const demoRepositoriesPlugin = createBackendPlugin({
  pluginId: PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig, httpRouter: coreServices.httpRouter },
      async init({ config, httpRouter }) {
        const root = repositoriesDir(config);
        const router = Router();
        router.get('/:name/*', async (req: express.Request, res: express.Response) => {
          const { name } = req.params;
          if (!NAME.test(name)) throw new NotFoundError(`No demo repository ${name.slice(0, 80)}`);
          const file = resolveSafeChildPath(path.join(root, name), (req.params as Record<string, string>)[0] ?? '');
          const stat = await fs.stat(file).catch(() => undefined);
          if (!stat?.isFile()) throw new NotFoundError(`No file ${req.path.slice(0, 200)} in the demo repositories`);
          res.type('text/plain; charset=utf-8').send(await fs.readFile(file, 'utf8'));
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

/** Adds `demo:publish:directory` to the scaffolder. */
export const demoPublishModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-publish-directory',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, config, discovery }) {
        const root = repositoriesDir(config);
        scaffolder.addActions(
          createTemplateAction({
            id: 'demo:publish:directory',
            description:
              "Demo only: publishes the workspace into a local folder the demo backend serves like a git host's raw files (use publish:github or publish:gitlab in a real installation).",
            supportsDryRun: true,
            schema: {
              input: {
                name: z => z.string().max(63).regex(NAME, 'lower-case letters, digits and dashes').describe('Repository name'),
              },
              output: {
                remoteUrl: z => z.string().describe('Where the files are served'),
                catalogInfoUrl: z => z.string().describe('URL of catalog-info.yaml, for catalog:register'),
              },
            },
            async handler(ctx) {
              const base = `${await discovery.getExternalBaseUrl(PLUGIN_ID)}/${ctx.input.name}`;
              if (!ctx.isDryRun) {
                const target = resolveSafeChildPath(root, ctx.input.name);
                if (await fs.stat(target).catch(() => undefined)) {
                  throw new ConflictError(`A demo repository named ${ctx.input.name} exists already; pick another name`);
                }
                await fs.mkdir(root, { recursive: true });
                await fs.cp(ctx.workspacePath, target, { recursive: true });
                ctx.logger.info(`Published the workspace to ${target}`);
              }
              ctx.output('remoteUrl', base);
              ctx.output('catalogInfoUrl', `${base}/catalog-info.yaml`);
            },
          }),
        );
      },
    });
  },
});
