import { BackendOptions, Log, needsPermission, postToBackend } from './backendApi';

/** Options of {@link recordDeployCommand}. */
export interface RecordDeployOptions extends BackendOptions {
  entity: string;
  version: string;
  startedAt?: string;
  finishedAt?: string;
  status?: string;
  source?: string;
  commit?: string;
  author?: string;
  url?: string;
  label?: string[];
}

/**
 * `nthlayer record-deploy`: reports a deployment to NthLayer (`POST /v1/deployments`), where
 * it becomes a marker on the budget chart. Reporting the same entity, version and start again
 * updates it (started → succeeded). Exit 0 when recorded, 3 when not (the message says why).
 */
export async function recordDeployCommand(options: RecordDeployOptions, log: Log): Promise<0 | 3> {
  const body = {
    entityRef: options.entity,
    version: options.version,
    startedAt: options.startedAt ?? new Date().toISOString(),
    ...(options.finishedAt ? { finishedAt: options.finishedAt } : {}),
    status: options.status ?? 'succeeded',
    source: options.source ?? 'nthlayer-cli',
    ...(options.commit ? { commit: options.commit } : {}),
    ...(options.author ? { author: options.author } : {}),
    ...(options.url ? { url: options.url } : {}),
    labels: options.label ?? [],
  };
  const text = await postToBackend('api/nthlayer/v1/deployments', body, options, log, {
    failure: 'not recorded',
    forbidden: needsPermission('nthlayer.deployment.create'),
  });
  if (text === undefined) return 3;
  const recorded = JSON.parse(text);
  log.out(`recorded deploy ${recorded.version} of ${recorded.entityRef} (${recorded.status}, started ${recorded.startedAt}, id ${recorded.id})`);
  return 0;
}
