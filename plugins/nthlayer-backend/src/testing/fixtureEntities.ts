import { Entity } from '@backstage/catalog-model';

/** A catalog Component with NthLayer annotations, as the catalog would return it. */
export function serviceEntity(
  name: string,
  annotations: Record<string, string>,
  extra: Partial<Entity['spec']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a', ...extra },
  };
}
