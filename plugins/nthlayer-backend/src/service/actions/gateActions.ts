import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { isUserPrincipal, principalOf, requireGateCheckPermission } from '../callers';
import { ActionZod, NthlayerActionServices, actionEntityRef, entityRefField } from './common';

const checkInput = (z: ActionZod) =>
  z
    .object({
      entityRef: entityRefField(z),
      version: z.string().min(1).max(128).describe('The version about to be deployed, e.g. v2.4.1 or a build number.'),
      commit: z.string().min(1).max(128).optional().describe('The commit being deployed.'),
      labels: z
        .array(z.string().min(1).max(64))
        .max(20)
        .optional()
        .describe('Deploy labels, e.g. hotfix: a policy rule may exempt deploys carrying one of its exception labels.'),
      environment: z.string().min(1).max(64).optional().describe('The target environment, e.g. production.'),
    })
    .strict();

const checkOutput = (z: ActionZod) =>
  z.object({
    id: z.number().optional().describe('The stored decision\'s id.'),
    entityRef: z.string().describe('The entity, as kind:namespace/name.'),
    decidedAt: z.string().describe('When the gate decided (ISO 8601).'),
    verdict: z.string().describe('allow, warn (go ahead, with a warning) or block.'),
    exitCode: z.number().describe('0 allow, 1 warn, 2 block: what `nthlayer check-deploy` exits with.'),
    reasons: z.array(z.string()).describe('Why, in words: the rules that fired, or the override that let the deploy through.'),
    rules: z
      .array(
        z.object({
          policy: z.string().describe('The policy the rule belongs to.'),
          rule: z.string().describe('The rule name.'),
          condition: z.string().describe('The CEL condition, e.g. budget.remaining < 0.1.'),
          action: z.string().describe('What the rule does when it fires: block, warn, notify or freeze.'),
          result: z.string().describe('true (fired), false, exempt (skipped by a deploy label) or error (could not be evaluated).'),
          values: z.record(z.unknown()).describe('The values the condition read, e.g. budget.remaining.'),
          verdict: z.string().describe('The verdict this rule asks for.'),
          message: z.string().describe('The rule\'s message.'),
        }),
      )
      .describe('Every rule evaluated.'),
    policies: z
      .array(z.object({ name: z.string(), source: z.string(), hash: z.string() }))
      .describe('The policies applied (tier defaults, the service file, ReliabilityPolicy documents).'),
    budgetsAsOf: z.string().nullable().describe('When the oldest budget the gate read was measured; null when one was never measured.'),
    stale: z.boolean().describe('True when a budget the gate read is stale.'),
    notify: z.array(z.string()).describe('Rules that fired with action notify.'),
    override: z
      .object({
        id: z.number(),
        reason: z.string(),
        createdBy: z.string(),
        expiresAt: z.string(),
        verdictWithout: z.string().describe('The verdict without the override.'),
      })
      .optional()
      .describe('The override in force that let this deploy through.'),
  });

const overrideInput = (z: ActionZod) =>
  z
    .object({
      entityRef: entityRefField(z),
      reason: z
        .string()
        .min(10)
        .max(1000)
        .describe('Why the gate may be bypassed, at least 10 characters, e.g. the incident the fix is for (INC-4411 fix must ship now). Recorded and shown to everyone.'),
      expiresAt: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .describe('When the override ends, an ISO 8601 date-time in the future (e.g. 2026-11-30T18:00:00Z), at most nthlayer.gates.maxOverrideDuration ahead (default 72 hours). Give this or expiresInHours.'),
      expiresInHours: z
        .number()
        .positive()
        .max(8760)
        .optional()
        .describe('When the override ends, in hours from now (e.g. 4), instead of expiresAt.'),
      version: z
        .string()
        .min(1)
        .max(128)
        .optional()
        .describe('Only deploys of this version are let through; any version when left out.'),
    })
    .strict();

const overrideOutput = (z: ActionZod) =>
  z.object({
    id: z.number().describe('The override\'s id.'),
    entityRef: z.string().describe('The entity, as kind:namespace/name.'),
    version: z.string().nullable().describe('The only version let through; null for any.'),
    reason: z.string(),
    createdBy: z.string().describe('The user who requested it.'),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
  });

const HOUR_MS = 3_600_000;

/**
 * Registers `check-deploy-gate` and `request-gate-override`: GateService's check and override,
 * as `POST /v1/gates/check` and `POST /v1/gates/overrides` call them, with the caller's
 * credentials and principal.
 *
 * @param registry - The plugin's actions registry.
 * @param services - The plugin's services.
 */
export function registerGateActions(registry: ActionsRegistryService, services: NthlayerActionServices): void {
  registry.register({
    name: 'check-deploy-gate',
    title: 'Check whether a deploy may go ahead',
    description:
      'Asks the NthLayer deploy gate whether a deploy of a catalog entity may go ahead now: allow, warn or block, with the reasons, every rule evaluated with the values it read (error budget left, burn rates, drift, incidents, blast radius, freeze windows), the policies applied and any override in force. The same decision as POST /api/nthlayer/v1/gates/check (and `nthlayer check-deploy` in CI), and like it the decision is recorded in the entity\'s gate log with the caller; a block notifies the owning group once per version. Needs the permission nthlayer.gate.check. An entity NthLayer does not manage is not found.',
    // Not read-only: each check is recorded in the gate log (and a block may notify), so a
    // repeated call adds another entry; it never changes or removes anything.
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: { input: checkInput, output: checkOutput },
    examples: [
      { title: 'May v2.4.1 of payment-api go out?', input: { entityRef: 'component:default/payment-api', version: 'v2.4.1' } },
      {
        title: 'A hotfix to production',
        input: { entityRef: 'payment-api', version: 'v2.4.2', commit: '9f1c2ab', labels: ['hotfix'], environment: 'production' },
      },
    ],
    action: async ({ input, credentials }) => {
      await requireGateCheckPermission(services.permissions, credentials);
      const body = { ...withoutUndefined(input), entityRef: stringifyEntityRef(actionEntityRef(input.entityRef)) };
      return { output: await services.gates.check(body, credentials, principalOf(credentials)) };
    },
  });

  registry.register({
    name: 'request-gate-override',
    title: 'Override the deploy gate of a service',
    description:
      'Creates a deploy-gate override for a catalog entity: until it expires, deploys the gate would block or warn about are allowed (every decision it changes is audited). Recorded with the requesting user and the reason, and listed on the entity\'s gate page; the same as POST /api/nthlayer/v1/gates/overrides. Needs the permission nthlayer.gate.override on that entity (usually its owners) and a signed-in user: service tokens are refused. This changes what may be deployed: confirm the entity, reason and expiry with the user before calling. An entity the caller may not see is not found.',
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: { input: overrideInput, output: overrideOutput },
    examples: [
      {
        title: 'Let the fix for an incident through for 4 hours',
        input: { entityRef: 'component:default/payment-api', reason: 'INC-4411 fix must ship now', expiresInHours: 4 },
      },
      {
        title: 'Only one version, until a given time',
        input: { entityRef: 'payment-api', reason: 'hotfix v2.3.1 for INC-77', expiresAt: '2026-11-30T18:00:00Z', version: 'v2.3.1' },
      },
    ],
    action: async ({ input, credentials }) => {
      // Through MCP with a static token the call arrives as the MCP plugin's service principal,
      // which the permission framework grants everything: an override needs a person.
      if (!isUserPrincipal(credentials)) {
        throw new NotAllowedError(
          'request-gate-override must be invoked by a signed-in user (an override is recorded with who asked); service tokens may not request gate overrides through actions',
        );
      }
      if ((input.expiresAt === undefined) === (input.expiresInHours === undefined)) {
        throw new InputError('Give exactly one of expiresAt (an ISO 8601 date-time) or expiresInHours');
      }
      const { expiresInHours, ...rest } = input;
      const expiresAt = expiresInHours === undefined ? input.expiresAt : new Date(Date.now() + expiresInHours * HOUR_MS).toISOString();
      const body = { ...withoutUndefined(rest), expiresAt, entityRef: stringifyEntityRef(actionEntityRef(input.entityRef)) };
      return { output: await services.gates.createOverride(body, credentials, principalOf(credentials)) };
    },
  });
}

/** The fields that were given (the services' bodies are strict about what they accept). */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
