import { Entity } from '@backstage/catalog-model';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';

/**
 * True when the entity is managed by NthLayer, i.e. carries the `nthlayer.dev/tier`
 * annotation (its value is validated by the backend, which reports bad values as findings).
 *
 * @public
 */
export function isNthlayerAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier]);
}
