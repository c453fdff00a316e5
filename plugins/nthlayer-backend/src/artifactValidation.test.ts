import { Entity } from '@backstage/catalog-model';
import { EntityArtifactsValidationResponse } from '@nthlayer/backstage-plugin-common';
import {
  FixtureSeries,
  RunningPrometheus,
  counterSeries,
  rawSeries,
  startPrometheusWith,
} from '@internal/nthlayer-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

// A real Prometheus with the service's request metrics and a Redis exporter's redis_up, but
// no other Redis exporter metric.
const NOW = Math.floor(Date.now() / 1000);
const sinceStart = (t: number) => t - (NOW - 7200);
const SERIES: FixtureSeries[] = [
  counterSeries('http_requests', { service: 'checkout-api', status: '200' }, sinceStart),
  rawSeries('http_request_duration_seconds_bucket', { service: 'checkout-api', le: '0.5' }, sinceStart),
  rawSeries('http_request_duration_seconds_count', { service: 'checkout-api' }, sinceStart),
  rawSeries('redis_up', { instance: 'session-cache:9121' }, sinceStart),
];

const entities: Entity[] = [
  serviceEntity(
    'checkout-api',
    { 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': 'https://runbooks.example.com/checkout-api' },
    { dependsOn: ['resource:default/session-cache', 'resource:default/rate-limits', 'resource:default/search-index'] },
  ),
  resource('session-cache', 'redis', 'instance="session-cache:9121"'),
  // A second Redis whose exporter is not scraped: redis_up exists, but not for it.
  resource('rate-limits', 'redis', '{instance="rate-limits:9121"}'),
  // A selector that is no list of matchers: a finding, and unscoped alerts.
  resource('search-index', 'elasticsearch', 'instance is search-1'),
];

function resource(name: string, type: string, selector: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations: { 'nthlayer.dev/prometheus-selector': selector } },
    spec: { type, owner: 'group:default/team-a' },
  };
}

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheusWith(SERIES, { from: NOW - 7200, to: NOW, stepSeconds: 60 });
}, 120_000);
afterAll(() => prometheus?.stop());

function backend(baseUrl: string) {
  return startNthlayerTestBackend({ entities, baseUrl, timeoutMs: 5000, config: { validation: { lookback: '6h' } } });
}

const PATH = '/api/nthlayer/v1/entities/component/default/checkout-api/artifacts';

async function validate(baseUrl: string): Promise<{ status: number; body: EntityArtifactsValidationResponse }> {
  const res = await request(await backend(baseUrl)).get(`${PATH}/validation`);
  return { status: res.status, body: res.body };
}

const byFile = (body: EntityArtifactsValidationResponse, suffix: string) =>
  body.artifacts.find(a => a.filename.endsWith(suffix))!;

describe('GET .../artifacts/validation', () => {
  it('lints the rule files and looks their series up on the entity\'s Prometheus', async () => {
    const { status, body } = await validate(prometheus.baseUrl);
    expect(status).toBe(200);
    expect(body.prometheus).toEqual({ instance: 'default', status: 'checked', lookback: '6h' });
    expect(body.artifacts.map(a => a.filename).sort()).toEqual([
      'prometheus/checkout-api-slo.rules.yaml',
      'prometheus/checkout-api-technology.rules.yaml',
    ]);
    // Every series the SLO rules select exists: clean.
    expect(byFile(body, '-slo.rules.yaml').findings).toEqual([]);
    // redis_up exists for session-cache, the other Redis exporter metrics do not; for
    // rate-limits redis_up exists only with another instance label: a warning.
    const tech = byFile(body, '-technology.rules.yaml').findings;
    const redisDown = tech.filter(f => f.rule === 'RedisDown');
    expect(redisDown).toEqual([
      expect.objectContaining({
        severity: 'warning',
        group: 'nthlayer-checkout-api-dependency-rate-limits-redis',
        message: 'redis_up{instance="rate-limits:9121"} matches no series in the last 6h, though redis_up has series with other labels',
      }),
    ]);
    const missing = tech.filter(f => f.check === 'promql/series' && f.severity === 'error');
    expect(missing.length).toBeGreaterThan(3);
    expect(missing.map(f => f.message)).toContainEqual(
      expect.stringMatching(/^no series named redis_\w+ in the last 6h on Prometheus "default"/),
    );
    // Only series findings: the file switches the counter-naming heuristic off.
    expect(tech.every(f => f.check === 'promql/series')).toBe(true);
  });

  it('scopes technology alerts to Resources with a selector and reports a malformed one', async () => {
    const server = await backend(prometheus.baseUrl);
    const list = await request(server).get(PATH);
    expect(list.body.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/prometheus-selector',
        value: 'instance is search-1',
        severity: 'warning',
      }),
    ]);
    const tech = await request(server).get(`${PATH}/technology-alerts`);
    const groups = parse(tech.text).groups as Array<{ name: string; rules: Array<{ alert: string; expr: string }> }>;
    const exprOf = (group: string, alert: string) =>
      groups.find(g => g.name.includes(group))!.rules.find(r => r.alert === alert)!.expr;
    expect(exprOf('session-cache', 'RedisDown')).toBe('redis_up{instance="session-cache:9121"} == 0');
    expect(exprOf('rate-limits', 'RedisDown')).toBe('redis_up{instance="rate-limits:9121"} == 0');
    expect(exprOf('search-index', 'ElasticsearchHeapUsageTooHigh')).not.toContain('instance=');
  });

  it('keeps the offline checks and says so when Prometheus is unreachable', async () => {
    const { status, body } = await validate('http://127.0.0.1:9');
    expect(status).toBe(200);
    expect(body.prometheus).toMatchObject({ instance: 'default', status: 'unreachable' });
    expect(body.prometheus.error).toMatch(/127\.0\.0\.1:9 is unreachable/);
    expect(body.artifacts).toHaveLength(2);
    expect(body.artifacts.flatMap(a => a.findings).filter(f => f.check === 'promql/series')).toEqual([]);
  });
});
