import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useNthlayerQuery } from './useNthlayerQuery';

/**
 * Loads the deploy gate of an entity (verdict, overrides, decisions, deployments);
 * `retry` loads it again, e.g. after an override was created or revoked. While reloading,
 * `value` keeps the previous answer.
 */
export function useEntityGate(entity: Entity) {
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useNthlayerQuery(
    api => api.getEntityGate({ kind, namespace, name }),
    [kind, namespace, name],
  );
}
