import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/**
 * Why an entity's SLOs could not be loaded: a warning when the backend does not know the
 * entity (404), the error panel otherwise.
 */
export function SlosErrorPanel(props: { error: Error }) {
  const { error } = props;
  if (ResponseError.is(error) && error.statusCode === 404) {
    return (
      <WarningPanel
        severity="warning"
        title="NthLayer does not know this entity yet"
        message={error.cause.message || error.message}
      />
    );
  }
  return <ResponseErrorPanel error={error} />;
}
