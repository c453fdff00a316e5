import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import { cutForMessage, nthlayerGateCheckPermission } from '@nthlayer/backstage-plugin-common';

/*
 * Who is calling and what they may do: shared by the REST routes and the actions registered
 * in the actions registry, so both answer a caller the same way.
 */

/**
 * Who asked, for the decision log and the audit: the user's entity ref, or `service:<subject>`.
 *
 * @param credentials - The caller's credentials.
 * @returns The user's entity ref, `service:<subject>` for a service, else the principal type.
 */
export function principalOf(credentials: { principal: unknown }): string {
  const p = credentials.principal as { type?: string; userEntityRef?: string; subject?: string };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return p.type ?? 'unknown';
}

/**
 * Whether the caller is a signed-in user (not a service, not anonymous).
 *
 * @param credentials - The caller's credentials.
 */
export function isUserPrincipal(credentials: { principal: unknown }): boolean {
  const p = credentials.principal as { type?: string; userEntityRef?: string } | undefined;
  return p?.type === 'user' && typeof p.userEntityRef === 'string' && p.userEntityRef.length > 0;
}

/**
 * Throws a NotAllowedError (403) with `message` unless the caller holds the (basic) permission.
 *
 * @param permissions - The permissions service.
 * @param permission - The basic permission the caller needs.
 * @param credentials - The caller's credentials (never the plugin's own).
 * @param message - The error's message.
 */
export async function requirePermission(
  permissions: PermissionsService,
  permission: BasicPermission,
  credentials: BackstageCredentials,
  message: string,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) throw new NotAllowedError(message);
}

/**
 * Throws a NotAllowedError unless the caller may ask the deploy gate (`nthlayer.gate.check`):
 * `POST /v1/gates/check` and the `check-deploy-gate` action.
 *
 * @param permissions - The permissions service.
 * @param credentials - The caller's credentials.
 */
export async function requireGateCheckPermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<void> {
  await requirePermission(
    permissions,
    nthlayerGateCheckPermission,
    credentials,
    'Not allowed to ask the NthLayer deploy gate (permission nthlayer.gate.check)',
  );
}

/**
 * An entity ref given in a request body or an action's input: `[kind:][namespace/]name`, kind
 * `component` and namespace `default` when left out.
 *
 * @param entityRef - The ref as given.
 * @param field - The field named in the error.
 * @returns The parsed ref.
 * @throws InputError (400) naming `field` when the ref is malformed.
 */
export function parseEntityRefInput(entityRef: string, field = 'entityRef'): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef, { defaultKind: 'component', defaultNamespace: 'default' });
  } catch (error) {
    throw new InputError(`${field}: ${cutForMessage((error as Error).message, 200)}`);
  }
}
