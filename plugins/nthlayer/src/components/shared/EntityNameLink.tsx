import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';
import { entityName } from './scoreFormat';

/**
 * The catalog page path of an entity ref (`/catalog/default/component/checkout-api`), or
 * undefined when the ref does not parse.
 */
export function useEntityPath(): (entityRef: string) => string | undefined {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) => {
      try {
        return entityRoute(entityRouteParams(entityRef));
      } catch {
        return undefined;
      }
    },
    [entityRoute],
  );
}

/** An entity's name linked to its catalog page, the full ref in the title. */
export function EntityNameLink(props: {
  entityRef: string;
  /** Shown instead of the name (e.g. the entity's title). */
  text?: string;
  testId?: string;
}) {
  const pathOf = useEntityPath();
  const path = pathOf(props.entityRef);
  const text = props.text ?? entityName(props.entityRef);
  if (!path) return <span data-testid={props.testId}>{text}</span>;
  return (
    <Link
      to={path}
      title={props.entityRef}
      data-testid={props.testId}
      data-entity-ref={props.entityRef}
    >
      {text}
    </Link>
  );
}
