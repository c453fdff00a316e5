import { stringify } from 'yaml';
import { ruleSelectors } from './ruleSelectors';
import { seriesFindings } from './seriesFindings';

const selectors = ruleSelectors(
  stringify({
    groups: [
      {
        name: 'g',
        rules: [
          { alert: 'Ok', expr: 'rate(a_total{x="1"}[5m]) > 0', for: '1m' },
          { alert: 'Labels', expr: 'rate(a_total{x="2"}[5m]) > 0 or rate(a_total{x="2"}[1h]) > 0', for: '1m' },
          { alert: 'Missing', expr: 'b_up == 0 or b_up{job="b"} == 0', for: '1m' },
        ],
      },
    ],
  }),
);

describe('seriesFindings', () => {
  it('asks each distinct selector once and reports one finding per rule and message', async () => {
    const asked: string[] = [];
    const known = new Set(['a_total{x="1"}', '{__name__="a_total"}']);
    const findings = await seriesFindings(
      selectors,
      async match => {
        asked.push(match);
        return known.has(match);
      },
      { lookback: '1d', source: 'default' },
    );
    expect(findings.map(f => [f.rule, f.severity, f.message])).toEqual([
      ['Labels', 'warning', 'a_total{x="2"} matches no series in the last 1d, though a_total has series with other labels'],
      ['Missing', 'error', 'no series named b_up in the last 1d on default: this rule can never see data (is the exporter scraped?)'],
    ]);
    expect(asked.sort()).toEqual(
      ['a_total{x="1"}', 'a_total{x="2"}', '{__name__="a_total"}', 'b_up', 'b_up{job="b"}', '{__name__="b_up"}'].sort(),
    );
  });

  it('rejects when a lookup fails', async () => {
    await expect(
      seriesFindings(selectors, async () => Promise.reject(new Error('down')), { lookback: '1d', source: 'x' }),
    ).rejects.toThrow('down');
  });
});
