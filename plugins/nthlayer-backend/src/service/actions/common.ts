import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { parseEntityRefInput } from '../callers';
import { DriftService } from '../DriftService';
import { EntitySloService } from '../EntitySloService';
import { GateService } from '../GateService';
import { ReliabilityService } from '../ReliabilityService';

/**
 * The services the actions call: the same instances the REST routes call, so an action and
 * its route answer alike. Every call is made with the invoking caller's credentials.
 */
export interface NthlayerActionServices {
  permissions: PermissionsService;
  entitySlos: EntitySloService;
  gates: GateService;
  drift: DriftService;
  reliability: ReliabilityService;
}

type RegisterOptions = Parameters<ActionsRegistryService['register']>[0];

/**
 * The `z` the actions registry hands to schema callbacks. Taken from the registry's own types:
 * it is the registry's copy of zod (`zod/v3`), not this package's, and the two do not mix.
 */
export type ActionZod = Parameters<RegisterOptions['schema']['input']>[0];

/** The parsed value of a schema built by `build`. */
export type SchemaOutput<F extends (z: ActionZod) => { _output: unknown }> = ReturnType<F>['_output'];

/**
 * `[kind:][namespace/]name` with Backstage's characters; anything else is refused before the
 * action runs (parseEntityRef alone accepts e.g. `a:b:c/d` or names with spaces).
 */
const ENTITY_REF = /^(?:[A-Za-z][A-Za-z0-9]*:)?(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The `entityRef` input field every action takes.
 *
 * @param z - The registry's zod.
 */
export function entityRefField(z: ActionZod): ReturnType<ActionZod['string']> {
  return z
    .string()
    .min(1)
    .max(300)
    .regex(
      ENTITY_REF,
      'entityRef must be an entity ref such as component:default/payment-api, or a bare name meaning component:default/<name>',
    )
    .describe(
      'The catalog entity, as kind:namespace/name, e.g. component:default/payment-api. A bare name (payment-api) means component:default/<name>; kind:name means namespace default.',
    );
}

/**
 * The entity an action's input names.
 *
 * @param entityRef - The `entityRef` input.
 * @throws InputError when it is not an entity ref.
 */
export function actionEntityRef(entityRef: string): CompoundEntityRef {
  return parseEntityRefInput(entityRef);
}

/**
 * A service's answer, served unchanged, as the output of an action whose output schema is an
 * open (`.passthrough()`) object: every field the REST route serves is kept, the declared ones
 * are checked by the registry. TypeScript does not let an interface stand for an open object
 * type (one with an index signature), hence this one cast.
 *
 * @param value - The service's answer (JSON, as the route serves it).
 */
export function passthroughOutput<T>(value: object): T {
  return value as unknown as T;
}

/**
 * The first `limit` items and how many were left off.
 *
 * @param items - The full list.
 * @param limit - The most items kept.
 */
export function bounded<T>(items: readonly T[], limit: number): { items: T[]; leftOff: number } {
  return { items: items.slice(0, limit), leftOff: Math.max(0, items.length - limit) };
}

/**
 * A ratio as a percentage with at most two decimals (0.05 → 5), null stays null.
 *
 * @param ratio - The ratio.
 */
export function percent(ratio: number | null | undefined): number | null {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return null;
  return Math.round(ratio * 10_000) / 100;
}
