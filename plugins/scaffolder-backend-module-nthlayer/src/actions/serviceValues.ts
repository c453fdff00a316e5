import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { NTHLAYER_ANNOTATIONS, parseLatencyObjective } from '@nthlayer/backstage-plugin-common';

/** A catalog entity name: letters, digits and `-_.` between them, at most 63 characters. */
export const ENTITY_NAME = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

/**
 * The service a template's form describes: the fields of the "Reliable service" template,
 * shared by `nthlayer:generate` and the skeleton's `catalog-info.yaml`.
 *
 * @public
 */
export interface ServiceValues {
  name: string;
  owner: string;
  tier: string;
  type?: string;
  description?: string;
  system?: string;
  lifecycle?: string;
  dependencies?: string[];
  availability?: number;
  latency?: string;
}

/**
 * The catalog entity of a new service, as the template's skeleton writes it: a `Component`
 * of type `service` with the NthLayer annotations. The generators read it like any entity.
 *
 * @public
 */
export function entityFromValues(values: ServiceValues): Entity {
  if (values.latency !== undefined && !parseLatencyObjective(values.latency)) {
    throw new InputError(`latency "${values.latency.slice(0, 40)}" must look like p95<300ms or p99<1s`);
  }
  const annotations: Record<string, string> = { [NTHLAYER_ANNOTATIONS.tier]: String(values.tier) };
  if (values.type) annotations[NTHLAYER_ANNOTATIONS.type] = values.type;
  if (values.availability !== undefined) annotations[NTHLAYER_ANNOTATIONS.sloAvailability] = String(values.availability);
  if (values.latency) annotations[NTHLAYER_ANNOTATIONS.sloLatency] = values.latency;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: values.name,
      namespace: 'default',
      ...(values.description ? { description: values.description } : {}),
      annotations,
    },
    spec: {
      type: 'service',
      lifecycle: values.lifecycle || 'production',
      owner: values.owner,
      ...(values.system ? { system: values.system } : {}),
      ...(values.dependencies?.length ? { dependsOn: [...new Set(values.dependencies)] } : {}),
    },
  };
}
