import { DEFAULT_TIERS } from '../tiers';
import { parseNthlayerService } from '../serviceModel';
import { batchedSliQueries, serviceSliQueries, sliSelectors } from '../promql';
import { checkCustomSliQuery } from './custom';

describe('checkCustomSliQuery', () => {
  it.each([
    ['http_requests_total{job="checkout",code!~"5.."}'],
    ['  shop_requests_total  '],
    ['{__name__="shop_requests_total",app="legacy"}'],
    ['(grpc_server_handled_total{grpc_code="OK"})'],
    ['http_request_duration_seconds_bucket{le="0.5"}'],
  ])('accepts %s', query => {
    expect(checkCustomSliQuery(query)).toEqual({ query: query.trim() });
  });

  it.each([
    ['rate(http_requests_total[5m])', /calls a function/],
    ['http_requests_total[5m]', /is a range vector: leave out the \[range\]/],
    ['sum(http_requests_total)', /aggregates/],
    ['http_requests_total offset 5m', /has an offset/],
    ['a_total + b_total', /several series/],
    ['http_requests_total{job=', /is not valid PromQL \(column \d+/],
    ['up{job="x"}', /selects up, which is not a counter/],
    ['{job="x"}', /selects no metric by name/],
    ['42', /is a number/],
    ['', /is empty/],
    ['x'.repeat(3000), /longer than 2,000 characters/],
  ])('refuses %s', (query, problem) => {
    const result = checkCustomSliQuery(query);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});

const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };
const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy-shop', namespace: 'default', annotations: { 'nthlayer.dev/tier': '3', ...annotations } },
  spec: { type: 'service', owner: 'team-a' },
});
const GOOD = 'shop_requests_total{app="legacy",result="ok"}';
const BAD = 'shop_requests_total{app="legacy",result="error"}';
const TOTAL = 'shop_requests_total{app="legacy"}';

describe('custom SLI annotations', () => {
  it('measures the availability SLO from the good/total pair, per service and unbatched', () => {
    const { service, findings } = parseNthlayerService(entity({ 'nthlayer.dev/sli-good': GOOD, 'nthlayer.dev/sli-total': TOTAL }), model);
    expect(findings).toEqual([]);
    expect(service!.customSli).toEqual({ good: GOOD, total: TOTAL });
    const [availability, latency] = service!.slos;
    expect(sliSelectors(service!, availability)).toMatchObject({ good: GOOD, total: TOTAL });
    expect(serviceSliQueries(service!, availability, '30d')).toEqual({
      good: `sum(increase(${GOOD}[30d]))`,
      total: `sum(increase(${TOTAL}[30d]))`,
    });
    // Latency stays on the histogram of the convention (or the resolved family).
    expect(serviceSliQueries(service!, latency, '30d').total).toBe('sum(increase(http_request_duration_seconds_count{service="legacy-shop"}[30d]))');
    // Even the batched builder keeps the entity's own queries.
    expect(batchedSliQueries(service!, availability, '1h').total).toBe(`sum(increase(${TOTAL}[1h]))`);
  });

  it('takes bad/total as good = total − bad', () => {
    const { service, findings } = parseNthlayerService(entity({ 'nthlayer.dev/sli-bad': BAD, 'nthlayer.dev/sli-total': TOTAL }), model);
    expect(findings).toEqual([]);
    const availability = service!.slos[0];
    expect(sliSelectors(service!, availability)).toMatchObject({ bad: BAD, total: TOTAL });
    expect(serviceSliQueries(service!, availability, '1d').good).toBe(`sum(increase(${TOTAL}[1d])) - (sum(increase(${BAD}[1d])) or vector(0))`);
  });

  it.each([
    [{ 'nthlayer.dev/sli-good': GOOD }, 'nthlayer.dev/sli-total', /together with exactly one of/],
    [{ 'nthlayer.dev/sli-good': GOOD, 'nthlayer.dev/sli-bad': BAD, 'nthlayer.dev/sli-total': TOTAL }, 'nthlayer.dev/sli-good', /exactly one of/],
    [{ 'nthlayer.dev/sli-good': `rate(${GOOD}[5m])`, 'nthlayer.dev/sli-total': TOTAL }, 'nthlayer.dev/sli-good', /calls a function/],
    [{ 'nthlayer.dev/sli-good': GOOD, 'nthlayer.dev/sli-total': 'up{app="legacy"}' }, 'nthlayer.dev/sli-total', /not a counter/],
  ])('is a finding naming the annotation, and not used, for %j', (annotations, annotation, message) => {
    const { service, findings } = parseNthlayerService(entity(annotations), model);
    expect(service!.customSli).toBeUndefined();
    expect(findings).toEqual([expect.objectContaining({ annotation, message: expect.stringMatching(message) })]);
    expect(findings[0].message).toContain('The availability SLI is measured from the resolved metrics instead.');
  });
});
