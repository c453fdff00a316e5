import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  EntityArtifactsResponse,
  EntityArtifactsValidationResponse,
} from '@nthlayer/backstage-plugin-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
} from '../../testUtils/InMemoryNthlayerApi';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerArtifactsContent } from './EntityNthlayerArtifactsContent';

const listing: EntityArtifactsResponse = {
  entityRef: 'component:default/checkout-api',
  artifacts: [
    {
      id: 'prometheus-slo-rules',
      kind: 'prometheus-rules',
      filename: 'prometheus/checkout-api-slo.rules.yaml',
      mediaType: 'application/yaml',
      description:
        'Recording rules and burn-rate alerts; load into Prometheus.',
      size: 20,
    },
    {
      id: 'grafana-dashboard',
      kind: 'grafana-dashboard',
      filename: 'grafana/checkout-api.json',
      mediaType: 'application/json',
      description: 'Dashboard to import into Grafana.',
      size: 17,
    },
  ],
  findings: [],
};

let saved: Array<{ download: string; href: string }>;
let blobs: Blob[];
beforeEach(() => {
  saved = [];
  blobs = [];
  (URL as any).createObjectURL = jest.fn((blob: Blob) => {
    blobs.push(blob);
    return `blob:test/${blobs.length}`;
  });
  (URL as any).revokeObjectURL = jest.fn();
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function recordClick(this: HTMLAnchorElement) {
      saved.push({ download: this.download, href: this.href });
    });
});
afterEach(() => jest.restoreAllMocks());

async function renderTab(
  artifacts: FakeAnswer<EntityArtifactsResponse> = listing,
  entity = serviceEntity,
  validation?: FakeAnswer<EntityArtifactsValidationResponse>,
) {
  const api = new InMemoryNthlayerApi({
    artifacts,
    validation,
    artifactContent: {
      'prometheus-slo-rules': 'groups:\n  - name: checkout-api-slo\n',
      'grafana-dashboard': '{"title": "checkout-api"}',
    },
    zip: new Blob(['PK'], { type: 'application/zip' }),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[nthlayerApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityNthlayerArtifactsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('EntityNthlayerArtifactsContent', () => {
  it('shows the checks of the selected rule file above its content', async () => {
    const api = await renderTab(listing, serviceEntity, {
      entityRef: 'component:default/checkout-api',
      checkedAt: '2026-11-23T12:00:00.000Z',
      prometheus: { instance: 'default', status: 'checked', lookback: '1d' },
      artifacts: [
        {
          id: 'prometheus-slo-rules',
          filename: 'prometheus/checkout-api-slo.rules.yaml',
          findings: [{ check: 'promql/series', severity: 'warning', message: 'x{a="b"} matches no series', rule: 'R' }],
        },
      ],
    });
    const checks = await screen.findByTestId('nthlayer-artifact-checks');
    expect(checks).toHaveAttribute('data-state', 'checked');
    expect(checks).toHaveAttribute('data-warnings', '1');
    expect(checks).toHaveTextContent('x{a="b"} matches no series');
    expect(api.artifactsRequested).toContain('Component:default/checkout-api/validation');
    // The dashboard is no rule file: no checks shown for it.
    fireEvent.click(screen.getByTestId('nthlayer-artifact-grafana-dashboard'));
    await waitFor(() => expect(screen.queryByTestId('nthlayer-artifact-checks')).toBeNull());
  });

  it('lists the artifacts with what each is for and shows the first one', async () => {
    await renderTab();
    const rules = screen.getByTestId('nthlayer-artifact-prometheus-slo-rules');
    expect(rules).toHaveTextContent(
      'Prometheus SLO rules — prometheus/checkout-api-slo.rules.yaml',
    );
    expect(rules).toHaveTextContent(
      'Recording rules and burn-rate alerts; load into Prometheus.',
    );
    expect(
      screen.getByTestId('nthlayer-artifact-grafana-dashboard'),
    ).toHaveTextContent('Dashboard to import into Grafana.');
    const viewer = screen.getByTestId('nthlayer-artifact-viewer');
    expect(viewer).toHaveAttribute('data-artifact', 'prometheus-slo-rules');
    await waitFor(() => expect(viewer).toHaveTextContent('checkout-api-slo'));
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });

  it('shows another artifact when selected and downloads it as a file', async () => {
    await renderTab();
    fireEvent.click(screen.getByTestId('nthlayer-artifact-grafana-dashboard'));
    const viewer = screen.getByTestId('nthlayer-artifact-viewer');
    expect(viewer).toHaveAttribute('data-artifact', 'grafana-dashboard');
    await waitFor(() =>
      expect(viewer).toHaveTextContent('"title": "checkout-api"'),
    );
    fireEvent.click(screen.getByTestId('nthlayer-artifact-download'));
    expect(saved).toEqual([
      { download: 'checkout-api.json', href: 'blob:test/1' },
    ]);
    expect(blobs[0].type).toBe('application/json');
  });

  it('downloads all artifacts as a zip', async () => {
    const api = await renderTab();
    fireEvent.click(screen.getByTestId('nthlayer-artifacts-zip'));
    await waitFor(() =>
      expect(saved).toEqual([
        { download: 'checkout-api-nthlayer-configs.zip', href: 'blob:test/1' },
      ]),
    );
    expect(api.artifactsRequested).toContain(
      'Component:default/checkout-api.zip',
    );
  });

  it('shows the findings and an empty state without artifacts', async () => {
    await renderTab({
      ...listing,
      artifacts: [],
      findings: [
        {
          severity: 'error',
          annotation: 'nthlayer.dev/service-file',
          value: 'resources[0].spec.objective: 100',
          accepted: 'a percentage greater than 0 and less than 100',
          message:
            'nthlayer.dev/service-file: resources[0].spec.objective = 100 is not valid.',
        },
      ],
    });
    expect(screen.getByTestId('nthlayer-finding')).toHaveTextContent(
      'resources[0].spec.objective = 100',
    );
    expect(screen.getByText('No generated configs')).toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-artifacts-zip'),
    ).not.toBeInTheDocument();
  });

  it('shows a failure to load', async () => {
    await renderTab(new Error('backend down'));
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('explains a missing annotation without calling the backend', async () => {
    const api = await renderTab(listing, {
      ...serviceEntity,
      metadata: { name: 'plain', annotations: {} },
    });
    expect(api.artifactsRequested).toEqual([]);
    expect(
      within(document.body).getByText('nthlayer.dev/tier'),
    ).toBeInTheDocument();
  });
});
