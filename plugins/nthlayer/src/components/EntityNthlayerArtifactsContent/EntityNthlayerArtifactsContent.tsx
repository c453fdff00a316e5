import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ArchiveIcon from '@material-ui/icons/Archive';
import { NTHLAYER_ANNOTATIONS } from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { isNthlayerAvailable, nthlayerApiRef } from '../../api';
import { FindingsList } from '../EntityNthlayerSloCard/FindingsList';
import { SlosErrorPanel } from '../EntityNthlayerSloCard/SlosErrorPanel';
import { ArtifactChecks } from './ArtifactChecks';
import { ArtifactList } from './ArtifactList';
import { ArtifactViewer } from './ArtifactViewer';
import { saveBlob } from './saveBlob';

function ArtifactsSections() {
  const { entity } = useEntity();
  const api = useApi(nthlayerApiRef);
  const entityRef = getCompoundEntityRef(entity);
  const { kind, namespace, name } = entityRef;
  const listing = useAsync(
    () => api.getArtifacts({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  const validation = useAsync(
    () => api.validateArtifacts({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  const [selected, setSelected] = useState<string>();
  const [zip, downloadZip] = useAsyncFn(async () => {
    const blob = await api.downloadArtifactsZip({ kind, namespace, name });
    saveBlob(blob, `${name}-nthlayer-configs.zip`);
  }, [api, kind, namespace, name]);

  if (listing.loading) return <Progress />;
  if (listing.error) return <SlosErrorPanel error={listing.error} />;
  const { artifacts = [], findings = [] } = listing.value ?? {};
  const current = artifacts.find(a => a.id === selected) ?? artifacts[0];
  return (
    <Grid container spacing={3}>
      {findings.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Findings">
            <FindingsList findings={findings} />
          </InfoCard>
        </Grid>
      )}
      {artifacts.length === 0 ? (
        <Grid item xs={12}>
          <EmptyState
            missing="info"
            title="No generated configs"
            description="NthLayer could not build a service model for this entity; see the findings."
          />
        </Grid>
      ) : (
        <>
          <Grid item xs={12} md={4}>
            <InfoCard
              title="Generated configs"
              subheader="Generated from this entity's NthLayer annotations; commit them beside the service or deploy them as they are."
            >
              <Button
                variant="contained"
                color="primary"
                startIcon={<ArchiveIcon />}
                onClick={downloadZip}
                disabled={zip.loading}
                data-testid="nthlayer-artifacts-zip"
              >
                Download all (.zip)
              </Button>
              {zip.error && (
                <Typography color="error" variant="body2" role="alert">
                  The zip could not be downloaded: {zip.error.message}
                </Typography>
              )}
              <ArtifactList
                artifacts={artifacts}
                selectedId={current?.id}
                onSelect={setSelected}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            {current && (
              <ArtifactViewer
                key={current.id}
                entityRef={entityRef}
                artifact={current}
                checks={
                  <ArtifactChecks
                    artifactId={current.id}
                    loading={validation.loading}
                    error={validation.error}
                    validation={validation.value}
                  />
                }
              />
            )}
          </Grid>
        </>
      )}
    </Grid>
  );
}

/**
 * The "Generated configs" tab of an entity: the artifacts NthLayer generates for it
 * (Prometheus SLO rules, technology alerts, OpenSLO, Grafana dashboard, PagerDuty), what each
 * is for, a viewer with syntax highlighting and copy, per-file download and a zip of all;
 * rule files show their checks (lint, and whether their series exist on Prometheus).
 *
 * @remarks
 * The zip button is `data-testid="nthlayer-artifacts-zip"`; list items are
 * `nthlayer-artifact-<id>`, the viewer `nthlayer-artifact-viewer` and the checks
 * `nthlayer-artifact-checks` (items `nthlayer-artifact-check`).
 *
 * @public
 */
export function EntityNthlayerArtifactsContent() {
  const { entity } = useEntity();
  return isNthlayerAvailable(entity) ? (
    <ArtifactsSections />
  ) : (
    <MissingAnnotationEmptyState annotation={NTHLAYER_ANNOTATIONS.tier} />
  );
}
