import { stringify } from 'yaml';
import { lintRuleFile } from './lintRuleFile';
import { durationMs } from './promqlSyntax';
import { LintOptions } from './types';

const RUNBOOK = {
  runbook_url: 'https://runbooks.example.com/x#y',
  summary: 's',
};

/** A rule file with one group holding `rules`. */
function file(...rules: object[]): string {
  return stringify({ groups: [{ name: 'g', rules }] });
}
const alert = (expr: string, extra: object = {}) => ({
  alert: 'A',
  expr,
  for: '5m',
  annotations: RUNBOOK,
  ...extra,
});
const record = (expr: string, extra: object = {}) => ({
  record: 'job:x:rate5m',
  expr,
  ...extra,
});
const checks = (text: string, options?: LintOptions) =>
  lintRuleFile(text, options).map(f => f.check);

describe('lintRuleFile', () => {
  it('accepts a clean file', () => {
    expect(
      lintRuleFile(
        file(record('sum(rate(x_total[5m]))'), alert('job:x:rate5m > 1')),
      ),
    ).toEqual([]);
  });

  describe('promql/syntax', () => {
    it('reports expressions the Prometheus grammar rejects, with group, rule and line', () => {
      const findings = lintRuleFile(
        file(record('sum(rate(x_total[5m])'), {
          ...record('rate(x_total[5m]) >'),
          record: 'job:y:rate5m',
        }),
      );
      expect(findings.map(f => f.check)).toEqual([
        'promql/syntax',
        'promql/syntax',
      ]);
      expect(findings[0]).toMatchObject({
        severity: 'error',
        group: 'g',
        rule: 'job:x:rate5m',
        line: 4,
      });
    });
    it('reports string escapes Prometheus rejects, accepts valid ones and raw strings', () => {
      expect(
        checks(
          file(
            record('label_replace(up, "v", "$1", "v", "(v[0-9]*\\.[0-9]*)")'),
          ),
        ),
      ).toEqual(['promql/syntax']);
      expect(
        checks(
          file(
            record('label_replace(up, "v", "$1", "v", "(v[0-9]*\\\\.[0-9]*)")'),
          ),
        ),
      ).toEqual([]);
      expect(
        checks(
          file(
            record('label_replace(up, "v", "$1", "v", `(v[0-9]*\\.[0-9]*)`)'),
          ),
        ),
      ).toEqual([]);
    });
    it('reports empty expressions', () => {
      expect(checks(file(record('')))).toEqual(['promql/syntax']);
    });
  });

  describe('promql/rate and promql/counter-name', () => {
    it('flags rate over something not named like a counter', () => {
      const findings = lintRuleFile(file(record('rate(node_load1[5m])')));
      expect(findings).toEqual([
        expect.objectContaining({ check: 'promql/counter-name', severity: 'warning' }),
      ]);
      expect(findings[0].message).toContain('node_load1');
    });
    it('lets a file switch checks off for itself, except parse and syntax errors', () => {
      const text = file(
        record('rate(node_load1[20s])', {
          labels: { note: 'line one\n# nthlayer-lint file/disable promql/rate' },
        }),
        record('sum(', { record: 'job:y:broken' }),
      );
      expect(checks(text).sort()).toEqual(['promql/counter-name', 'promql/rate', 'promql/syntax']);
      const disabled = `# nthlayer-lint file/disable promql/counter-name promql/syntax\n${text}`;
      expect(checks(disabled).sort()).toEqual(['promql/rate', 'promql/syntax']);
      // Text inside a value (the label above) is no directive: promql/rate still reports.
    });
    it('flags ranges shorter than twice the scrape interval', () => {
      expect(checks(file(record('increase(x_total[45s])')))).toEqual([
        'promql/rate',
      ]);
      expect(checks(file(record('rate(x_total[1m])')))).toEqual([]);
      expect(
        checks(file(record('rate(x_total[1m])')), { scrapeInterval: '1m' }),
      ).toEqual(['promql/rate']);
    });
    it('accepts counters, histogram series and subqueries', () => {
      const ok = [
        'rate(a_count[5m])',
        'irate(a_bucket[5m])',
        'increase(a_sum[1h] offset 1d)',
        'rate(a_total[5m:1m])',
      ];
      for (const expr of ok) expect(checks(file(record(expr)))).toEqual([]);
    });
  });

  describe('promql/aggregate', () => {
    it('requires histogram_quantile to aggregate by le', () => {
      expect(
        checks(
          file(record('histogram_quantile(0.95, sum(rate(a_bucket[5m])))')),
        ),
      ).toEqual(['promql/aggregate']);
      expect(
        checks(
          file(
            record(
              'histogram_quantile(0.95, sum by (job) (rate(a_bucket[5m])))',
            ),
          ),
        ),
      ).toEqual(['promql/aggregate']);
      expect(
        checks(
          file(
            record(
              'histogram_quantile(0.95, sum without (le) (rate(a_bucket[5m])))',
            ),
          ),
        ),
      ).toEqual(['promql/aggregate']);
    });
    it('accepts by (le), by (..., le), without (other) and unaggregated buckets', () => {
      const ok = [
        'histogram_quantile(0.95, sum by (le) (rate(a_bucket[5m])))',
        'histogram_quantile(0.95, (sum by (job, le) (rate(a_bucket[5m]))))',
        'histogram_quantile(0.95, sum without (instance) (rate(a_bucket[5m])))',
        'histogram_quantile(0.95, rate(a_bucket[5m]))',
      ];
      for (const expr of ok) expect(checks(file(record(expr)))).toEqual([]);
    });
  });

  describe('promql/selector', () => {
    const options = { serviceSelector: 'service="checkout"' };
    it('requires the service selector on raw metrics when asked', () => {
      const findings = lintRuleFile(
        file(record('sum(rate(x_total{job="a"}[5m]))')),
        options,
      );
      expect(findings.map(f => f.check)).toEqual(['promql/selector']);
      expect(checks(file(record('sum(rate(x_total{job="a"}[5m]))')))).toEqual(
        [],
      );
    });
    it('accepts selectors with every required matcher, and recorded series with a service matcher', () => {
      const custom = {
        serviceSelector: 'app="search", env=~"prod|production"',
      };
      expect(
        checks(
          file(
            record(
              'sum(rate(x_total{env=~"prod|production",app="search",code="5xx"}[5m]))',
            ),
          ),
          custom,
        ),
      ).toEqual([]);
      expect(
        checks(file(record('sum(rate(x_total{app="search"}[5m]))')), custom),
      ).toEqual(['promql/selector']);
      expect(
        checks(file(alert('a:b:c{service="checkout"} > 1')), options),
      ).toEqual([]);
      expect(checks(file(alert('a:b:c{slo="x"} > 1')), options)).toEqual([
        'promql/selector',
      ]);
    });
  });

  describe('alerts/for', () => {
    it('warns on missing or zero for, rejects malformed for and for on records', () => {
      expect(checks(file(alert('up == 0', { for: undefined })))).toEqual([
        'alerts/for',
      ]);
      expect(checks(file(alert('up == 0', { for: '0m' })))).toEqual([
        'alerts/for',
      ]);
      expect(
        lintRuleFile(file(alert('up == 0', { for: '5 minutes' })))[0],
      ).toMatchObject({ check: 'alerts/for', severity: 'error' });
      expect(checks(file(record('up', { for: '5m' })))).toEqual(['alerts/for']);
      expect(checks(file(alert('up == 0', { for: '1h30m' })))).toEqual([]);
    });

    it('reads for with Prometheus\' duration grammar (parsePrometheusDuration)', () => {
      // Prometheus' rule loader rejects these; the old parser accepted them.
      for (const value of [300, '300', '30m1h', '1h1h']) {
        expect(lintRuleFile(file(alert('up == 0', { for: value })))).toEqual([
          expect.objectContaining({ check: 'alerts/for', severity: 'error', message: `"for: ${value}" is not a Prometheus duration` }),
        ]);
      }
      expect(checks(file(alert('up == 0', { for: '1m500ms' })))).toEqual([]);
      expect(checks(file(alert('up == 0', { for: 0 })))).toEqual(['alerts/for']);
    });
  });

  describe('durationMs (PromQL durations, exported)', () => {
    it('delegates to parsePrometheusDuration with plain numbers as seconds', () => {
      expect(durationMs('1h30m')).toBe(5_400_000);
      expect(durationMs('90')).toBe(90_000);
      expect(durationMs('1.5')).toBe(1500);
      expect(durationMs('30m1h')).toBeUndefined();
      expect(durationMs('5 minutes')).toBeUndefined();
    });
  });

  describe('alerts/annotation', () => {
    it('requires runbook_url (or the configured annotations) as an http(s) URL', () => {
      expect(
        checks(file(alert('up == 0', { annotations: { summary: 's' } }))),
      ).toEqual(['alerts/annotation']);
      expect(
        checks(
          file(alert('up == 0', { annotations: { runbook_url: 'see wiki' } })),
        ),
      ).toEqual(['alerts/annotation']);
      expect(
        checks(file(alert('up == 0')), {
          requiredAnnotations: ['runbook_url', 'description'],
        }),
      ).toEqual(['alerts/annotation']);
      expect(checks(file(alert('up == 0')))).toEqual([]);
    });
  });

  describe('rule/duplicate', () => {
    it('reports the same name and labels twice, across groups', () => {
      const text = stringify({
        groups: [
          {
            name: 'a',
            rules: [record('up', { labels: { team: 't', tier: '1' } })],
          },
          {
            name: 'b',
            rules: [record('up', { labels: { tier: '1', team: 't' } })],
          },
        ],
      });
      const findings = lintRuleFile(text);
      expect(findings).toEqual([
        expect.objectContaining({
          check: 'rule/duplicate',
          group: 'b',
          line: 11,
        }),
      ]);
      expect(findings[0].message).toContain('group "a"');
    });
    it('accepts the same name with different labels', () => {
      const rules = [
        alert('up == 0', { labels: { severity: 'page' } }),
        alert('up == 0', { labels: { severity: 'ticket' } }),
      ];
      expect(checks(file(...rules))).toEqual([]);
    });
  });

  describe('yaml/parse', () => {
    it('reports files that are not rule files', () => {
      expect(checks('groups: [')).toContain('yaml/parse');
      expect(checks('foo: 1')).toEqual(['yaml/parse']);
      expect(checks(file({ expr: 'up' }))).toEqual(['yaml/parse']);
    });
  });
});
