import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { ReactElement, ReactNode } from 'react';
import { isNthlayerAvailable } from '../../api';

/** What a card shows for an entity the backend answered 404 for: NthLayer does not manage it. */
export function NotManagedNotice(props: {
  testId: string;
  title: string;
  /** Why the card has nothing for such an entity, one sentence. */
  reason: string;
  /** The backend's message. */
  message?: string;
}) {
  return (
    <div data-testid={props.testId}>
      <Typography variant="subtitle1">{props.title}</Typography>
      <Typography variant="body2" color="textSecondary">
        {props.reason} Set a valid {NTHLAYER_ANNOTATIONS.tier} annotation to
        manage it.
      </Typography>
      {props.message && (
        <Typography variant="caption" color="textSecondary" component="p">
          {props.message}
        </Typography>
      )}
    </div>
  );
}

/**
 * The loading and failure states every entity card shares: a spinner until the first
 * answer, the not-managed notice on a 404, an error panel otherwise; undefined once there is
 * a value to render.
 */
export function loadState<T>(
  state: { loading: boolean; error?: Error; value?: T },
  notManaged: (message?: string) => ReactElement,
  errorPanel: (error: Error) => ReactElement = error => (
    <ResponseErrorPanel error={error} />
  ),
): ReactElement | null | undefined {
  if (state.loading && !state.value) return <Progress />;
  if (state.error) {
    if (ResponseError.is(state.error) && state.error.statusCode === 404) {
      return notManaged(state.error.cause?.message);
    }
    return errorPanel(state.error);
  }
  if (!state.value) return null;
  return undefined;
}

/** An info card of the current entity: its content for NthLayer-managed entities, else the missing-annotation state. */
export function ManagedEntityCard(props: {
  title: string;
  children: (entity: Entity) => ReactNode;
}) {
  const { entity } = useEntity();
  return (
    <InfoCard title={props.title}>
      {isNthlayerAvailable(entity) ? (
        props.children(entity)
      ) : (
        <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
      )}
    </InfoCard>
  );
}
