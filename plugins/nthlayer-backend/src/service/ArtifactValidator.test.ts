import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { serviceEntity } from '../testing/fixtureEntities';
import { ArtifactService } from './ArtifactService';
import { ArtifactValidator, SeriesSource } from './ArtifactValidator';
import { ServiceFileReader } from './ServiceFileReader';

const REF = { kind: 'component', namespace: 'default', name: 'checkout-api' };

/** A series source over a fixed set of selectors, counting lookups; it can be made to fail. */
class CountingSource implements SeriesSource {
  readonly name = 'default';
  lookups = 0;
  failing = false;
  constructor(private readonly known: Set<string>) {}
  async hasSeries(match: string): Promise<boolean> {
    this.lookups++;
    if (this.failing) throw new Error('Prometheus "default" at http://p:9090 is unreachable: ECONNREFUSED');
    return this.known.has(match);
  }
}

function setup(source: SeriesSource) {
  let now = new Date('2026-11-23T12:00:00Z');
  const artifacts = new ArtifactService({
    catalog: catalogServiceMock({
      entities: [serviceEntity('checkout-api', { 'nthlayer.dev/tier': '2', 'nthlayer.dev/runbook-url': 'https://r.example.com/c' })],
    }),
    serviceFiles: new ServiceFileReader({
      urlReader: mockServices.urlReader.mock(),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    }),
    model: {},
  });
  const validator = new ArtifactValidator({
    artifacts,
    seriesSource: () => source,
    lookback: { text: '1d', seconds: 86400 },
    scrapeInterval: '30s',
    now: () => now,
  });
  return {
    validate: () => validator.validate(REF, mockCredentials.user()),
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('ArtifactValidator', () => {
  it('reports SLO rule selectors with no series and reuses answers for a minute', async () => {
    const source = new CountingSource(new Set(['{__name__="http_requests_total"}']));
    const { validate, advance } = setup(source);
    const first = await validate();
    const slo = first.artifacts.find(a => a.filename.endsWith('-slo.rules.yaml'))!;
    expect(first.prometheus).toEqual({ instance: 'default', status: 'checked', lookback: '1d' });
    // http_requests_total exists but not for this service; the histogram does not exist at all.
    expect(slo.findings.map(f => f.severity).sort()).toContain('warning');
    expect(slo.findings.some(f => f.severity === 'error' && f.message.includes('http_request_duration_seconds_bucket'))).toBe(true);
    const asked = source.lookups;
    expect(asked).toBeGreaterThan(0);

    await validate();
    expect(source.lookups).toBe(asked); // within the minute: no new lookups
    advance(61_000);
    await validate();
    expect(source.lookups).toBe(2 * asked);
  });

  it('says Prometheus is unreachable, keeps the offline findings, and asks again next time', async () => {
    const source = new CountingSource(new Set());
    source.failing = true;
    const { validate } = setup(source);
    const down = await validate();
    expect(down.prometheus).toEqual({
      instance: 'default',
      status: 'unreachable',
      lookback: '1d',
      error: 'Prometheus "default" at http://p:9090 is unreachable: ECONNREFUSED',
    });
    expect(down.artifacts.map(a => a.findings)).toEqual([[], []]); // offline checks: clean
    const failedLookups = source.lookups;
    source.failing = false;
    const up = await validate();
    expect(up.prometheus.status).toBe('checked');
    expect(source.lookups).toBeGreaterThan(failedLookups);
  });
});
