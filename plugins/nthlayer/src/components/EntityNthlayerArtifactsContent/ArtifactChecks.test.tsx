import { renderInTestApp } from '@backstage/test-utils';
import { EntityArtifactsValidationResponse } from '@nthlayer/backstage-plugin-common';
import { fireEvent, screen } from '@testing-library/react';
import { ArtifactChecks } from './ArtifactChecks';

const validation = (
  overrides: Partial<EntityArtifactsValidationResponse> = {},
): EntityArtifactsValidationResponse => ({
  entityRef: 'component:default/checkout-api',
  checkedAt: '2026-11-23T12:00:00.000Z',
  prometheus: { instance: 'default', status: 'checked', lookback: '1d' },
  artifacts: [
    { id: 'prometheus-slo-rules', filename: 'prometheus/checkout-api-slo.rules.yaml', findings: [] },
    {
      id: 'technology-alerts',
      filename: 'prometheus/checkout-api-technology.rules.yaml',
      findings: [
        { check: 'promql/series', severity: 'warning', message: 'redis_up{job="x"} matches no series', group: 'g', rule: 'RedisDown', line: 12 },
        { check: 'promql/series', severity: 'error', message: 'no series named pg_up in the last 1d', group: 'g', rule: 'PostgreSQLDown', line: 8 },
      ],
    },
  ],
  ...overrides,
});

describe('ArtifactChecks', () => {
  it('says a clean rule file is clean and where its series were looked up', async () => {
    await renderInTestApp(<ArtifactChecks artifactId="prometheus-slo-rules" loading={false} validation={validation()} />);
    const checks = screen.getByTestId('nthlayer-artifact-checks');
    expect(checks).toHaveAttribute('data-state', 'checked');
    expect(checks).toHaveTextContent('Lint clean; series looked up on Prometheus "default" (last 1d).');
    expect(screen.queryAllByTestId('nthlayer-artifact-check')).toHaveLength(0);
  });

  it('lists findings errors first, with check, rule and line', async () => {
    await renderInTestApp(<ArtifactChecks artifactId="technology-alerts" loading={false} validation={validation()} />);
    expect(screen.getByTestId('nthlayer-artifact-checks')).toHaveTextContent('1 error(s), 1 warning(s)');
    const items = screen.getAllByTestId('nthlayer-artifact-check');
    expect(items.map(i => i.getAttribute('data-severity'))).toEqual(['error', 'warning']);
    expect(items[0]).toHaveTextContent('promql/series · PostgreSQLDown (line 8): no series named pg_up in the last 1d');
  });

  it('shows the first five findings and the rest on request', async () => {
    const many = validation();
    many.artifacts[1].findings = Array.from({ length: 12 }, (_, i) => ({
      check: 'promql/series',
      severity: 'error' as const,
      message: `no series named m${i}`,
      rule: `R${i}`,
    }));
    await renderInTestApp(<ArtifactChecks artifactId="technology-alerts" loading={false} validation={many} />);
    expect(screen.getAllByTestId('nthlayer-artifact-check')).toHaveLength(5);
    fireEvent.click(screen.getByTestId('nthlayer-artifact-checks-all'));
    expect(screen.getAllByTestId('nthlayer-artifact-check')).toHaveLength(12);
    expect(screen.queryByTestId('nthlayer-artifact-checks-all')).toBeNull();
  });

  it('says when Prometheus could not be asked', async () => {
    await renderInTestApp(
      <ArtifactChecks
        artifactId="prometheus-slo-rules"
        loading={false}
        validation={validation({
          prometheus: { instance: 'default', status: 'unreachable', lookback: '1d', error: 'Prometheus "default" at http://p:9090 is unreachable: ECONNREFUSED' },
        })}
      />,
    );
    const checks = screen.getByTestId('nthlayer-artifact-checks');
    expect(checks).toHaveAttribute('data-state', 'unreachable');
    expect(checks).toHaveTextContent('unreachable, series not checked: Prometheus "default" at http://p:9090 is unreachable: ECONNREFUSED');
  });

  it('shows nothing for artifacts that are not rule files, progress while loading, and request errors', async () => {
    const { unmount } = await renderInTestApp(
      <ArtifactChecks artifactId="grafana-dashboard" loading={false} validation={validation()} />,
    );
    expect(screen.queryByTestId('nthlayer-artifact-checks')).toBeNull();
    unmount();
    const loading = await renderInTestApp(<ArtifactChecks artifactId="technology-alerts" loading />);
    expect(screen.getByTestId('nthlayer-artifact-checks')).toHaveAttribute('data-state', 'loading');
    loading.unmount();
    await renderInTestApp(<ArtifactChecks artifactId="technology-alerts" loading={false} error={new Error('HTTP 500')} />);
    expect(screen.getByRole('alert')).toHaveTextContent('The checks could not run: HTTP 500');
  });
});
