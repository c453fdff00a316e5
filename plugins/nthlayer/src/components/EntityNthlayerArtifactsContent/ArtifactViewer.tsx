import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CodeSnippet,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { ArtifactSummary } from '@nthlayer/backstage-plugin-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { nthlayerApiRef } from '../../api';
import { baseName, saveBlob } from './saveBlob';

/** One artifact's content with syntax highlighting, a copy button and a download button. */
export function ArtifactViewer(props: {
  entityRef: CompoundEntityRef;
  artifact: ArtifactSummary;
  /** Shown above the content, e.g. the checks of a rule file. */
  checks?: ReactNode;
}) {
  const { entityRef, artifact } = props;
  const api = useApi(nthlayerApiRef);
  const { kind, namespace, name } = entityRef;
  const { loading, error, value } = useAsync(
    () => api.getArtifact({ kind, namespace, name }, artifact.id),
    [api, kind, namespace, name, artifact.id],
  );
  const language = artifact.mediaType === 'application/json' ? 'json' : 'yaml';
  const download = () =>
    value !== undefined &&
    saveBlob(
      new Blob([value], { type: artifact.mediaType }),
      baseName(artifact.filename),
    );
  return (
    <InfoCard
      title={artifact.filename}
      subheader={artifact.description}
      action={
        <Button
          startIcon={<GetAppIcon />}
          disabled={value === undefined}
          onClick={download}
          data-testid="nthlayer-artifact-download"
        >
          Download
        </Button>
      }
    >
      {props.checks}
      <div data-testid="nthlayer-artifact-viewer" data-artifact={artifact.id}>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value !== undefined && (
          <CodeSnippet
            text={value}
            language={language}
            showLineNumbers
            showCopyCodeButton
          />
        )}
      </div>
    </InfoCard>
  );
}
