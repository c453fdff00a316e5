import { counterSelectorOf, ratioQueryOf, vectorSelectorParts } from './customQuery';

const SEL = 'http_requests_total{job="checkout",code!~"5.."}';

/** A problem given as text must match exactly; as a RegExp, as written. */
function asPattern(problem: string | RegExp): RegExp {
  return typeof problem === 'string' ? new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : problem;
}

describe('counterSelectorOf', () => {
  it.each([
    [SEL, SEL, 0],
    [`  ${SEL}  `, SEL, 0],
    [`(${SEL})`, SEL, 0],
    [`sum(${SEL})`, SEL, 0],
    [`sum (  ${SEL} )`, SEL, 0],
    [`sum by () (${SEL})`, SEL, 0],
    [`sum(sum(${SEL}))`, SEL, 0],
    [`((sum((${SEL}))))`, SEL, 0],
    [`rate(${SEL}[5m])`, SEL, 1],
    [`increase(${SEL}[1h])`, SEL, 1],
    [`irate(${SEL}[2m])`, SEL, 1],
    [`sum(rate(${SEL}[5m]))`, SEL, 1],
    [`sum((increase(${SEL}[30d])))`, SEL, 1],
    ['SUM(rate(x_total[5m]))', 'x_total', 1],
    ['{__name__="shop_requests_total",app="legacy"}', '{__name__="shop_requests_total",app="legacy"}', 0],
    ['sum(http_request_duration_seconds_bucket{le=~"0[.]50*"})', 'http_request_duration_seconds_bucket{le=~"0[.]50*"}', 0],
    ['sum(rate(a_count{ x = "y" , }[5m]))', 'a_count{ x = "y" , }', 1],
  ])('accepts %s', (query, selector, notes) => {
    const result = counterSelectorOf(query);
    expect(result).toEqual({ selector, notes: expect.any(Array) });
    expect('notes' in result && result.notes).toHaveLength(notes);
  });

  it('notes the ignored range with the function', () => {
    expect(counterSelectorOf(`sum(rate(${SEL}[5m]))`)).toEqual({
      selector: SEL,
      notes: ['The [5m] range of rate() is ignored: NthLayer applies its own windows.'],
    });
  });

  it.each([
    [`sum by (code) (${SEL})`, 'aggregates by labels: NthLayer sums over all series'],
    [`sum(${SEL}) by (code)`, 'aggregates by labels: NthLayer sums over all series'],
    [`sum without (code) (${SEL})`, 'aggregates by labels (sum without …): NthLayer sums over all series'],
    [`max(${SEL})`, 'aggregates with max(): only sum() is unwrapped, NthLayer sums the counter itself'],
    [`sum(rate(${SEL}[5m])) by (code)`, 'aggregates by labels: NthLayer sums over all series'],
    [`histogram_quantile(0.9, ${SEL})`, /^calls histogram_quantile\(\): only rate\(\), increase\(\) or irate\(\)/],
    [`rate(${SEL}[5m:1m])`, /^calls rate\(\) of an argument that is a subquery/],
    [`rate(${SEL}[5m] offset 1h)`, /^calls rate\(\) of an argument that has an offset/],
    [`rate(${SEL})`, 'calls rate() without a [range]: not valid PromQL'],
    [`rate(sum(${SEL})[5m:])`, /^calls rate\(\) of an argument that is a subquery/],
    [`${SEL}[5m]`, /^is a range vector/],
    [`${SEL} offset 5m`, /^has an offset/],
    [`${SEL} / ${SEL}`, /^is an expression of several series/],
    ['up{job="x"}', /^selects up, which is not a counter/],
    ['sum(rate(up[5m]))', /^selects up, which is not a counter/],
    ['{job="x"}', /^selects no metric by name/],
    ['42', /^is a number/],
    ['sum(rate(x_total{job=[5m]))', /^is not valid PromQL \(column \d+, near/],
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['x'.repeat(2001), 'is longer than 2,000 characters'],
  ])('refuses %s', (query, problem) => {
    const result = counterSelectorOf(query);
    expect('problem' in result).toBe(true);
    expect('problem' in result && result.problem).toEqual(
      expect.stringMatching(asPattern(problem)),
    );
  });
});

describe('ratioQueryOf', () => {
  const GOOD = 'http_requests_total{job="checkout",code!~"5.."}';
  const BAD = 'http_requests_total{job="checkout",code=~"5.."}';
  const TOTAL = 'http_requests_total{job="checkout"}';

  it.each([
    [`${GOOD} / ${TOTAL}`, { good: GOOD, total: TOTAL }, 0],
    [`sum(rate(${GOOD}[5m])) / sum(rate(${TOTAL}[5m]))`, { good: GOOD, total: TOTAL }, 1],
    [`(sum(increase(${GOOD}[1h])) / sum(increase(${TOTAL}[30d])))`, { good: GOOD, total: TOTAL }, 2],
    [`1 - (sum(rate(${BAD}[5m])) / sum(rate(${TOTAL}[5m])))`, { bad: BAD, total: TOTAL }, 1],
    [`1 - sum(${BAD}) / sum(${TOTAL})`, { bad: BAD, total: TOTAL }, 0],
    [`(1 - ((${BAD}) / (${TOTAL})))`, { bad: BAD, total: TOTAL }, 0],
    [`1.0 - (${BAD} / ${TOTAL})`, { bad: BAD, total: TOTAL }, 0],
  ])('accepts %s', (query, sli, notes) => {
    const result = ratioQueryOf(query);
    expect(result).toEqual({ sli, notes: expect.any(Array) });
    expect('notes' in result && result.notes).toHaveLength(notes);
  });

  it('returns each note once', () => {
    expect(ratioQueryOf(`sum(rate(${GOOD}[5m])) / sum(rate(${TOTAL}[5m]))`)).toEqual({
      sli: { good: GOOD, total: TOTAL },
      notes: ['The [5m] range of rate() is ignored: NthLayer applies its own windows.'],
    });
  });

  it.each([
    [GOOD, 'is not a ratio of two counters (good / total)'],
    [`${GOOD} * ${TOTAL}`, 'is not a ratio of two counters (good / total)'],
    [`(${GOOD} - ${BAD}) / ${TOTAL}`, /^is a ratio whose numerator is an expression of several series/],
    [`2 - (${BAD} / ${TOTAL})`, 'is not a ratio of two counters (good / total)'],
    [`1 - ${BAD}`, 'is not a ratio of two counters (good / total)'],
    [`${GOOD} / on(job) ${TOTAL}`, 'is not a ratio of two counters (good / total)'],
    [`${GOOD} / ${TOTAL} * 100`, 'is not a ratio of two counters (good / total)'],
    [`sum by (code) (${GOOD}) / sum(${TOTAL})`, 'is a ratio whose numerator aggregates by labels: NthLayer sums over all series'],
    [`sum(${GOOD}) / sum by (code) (${TOTAL})`, 'is a ratio whose denominator aggregates by labels: NthLayer sums over all series'],
    [`${GOOD} / up`, /^is a ratio whose denominator selects up, which is not a counter/],
    [`${GOOD} /`, /^is not valid PromQL/],
    ['', 'is empty'],
  ])('refuses %s', (query, problem) => {
    const result = ratioQueryOf(query);
    expect('problem' in result && result.problem).toEqual(
      expect.stringMatching(asPattern(problem)),
    );
  });
});

describe('vectorSelectorParts', () => {
  it('takes a selector apart', () => {
    expect(vectorSelectorParts('x_seconds_bucket{job="a", le=~"0[.]50*", "q"!~`z\\d`}')).toEqual({
      name: 'x_seconds_bucket',
      matchers: [
        { label: 'job', op: '=', value: 'a', text: 'job="a"' },
        { label: 'le', op: '=~', value: '0[.]50*', text: 'le=~"0[.]50*"' },
        { label: 'q', op: '!~', value: 'z\\d', text: '"q"!~`z\\d`' },
      ],
    });
    expect(vectorSelectorParts('{__name__="a_total",b="c\\\\.d"}')).toEqual({
      name: 'a_total',
      matchers: [{ label: 'b', op: '=', value: 'c\\.d', text: 'b="c\\\\.d"' }],
    });
    expect(vectorSelectorParts('({"a_total"})')).toEqual({ name: 'a_total', matchers: [] });
    expect(vectorSelectorParts('{job="a"}')).toEqual({ name: undefined, matchers: [{ label: 'job', op: '=', value: 'a', text: 'job="a"' }] });
  });

  it.each(['sum(a_total)', 'a_total[5m]', 'a_total{', ''])('is undefined for %s', query => {
    expect(vectorSelectorParts(query)).toBeUndefined();
  });
});
