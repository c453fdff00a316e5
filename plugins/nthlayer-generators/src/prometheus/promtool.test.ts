import fs from 'fs';
import path from 'path';
import { parse, stringify } from 'yaml';
import { MWMBR_THRESHOLDS } from '@nthlayer/backstage-plugin-common';
import { generatePrometheusRules } from './generatePrometheusRules';
import {
  SAMPLE_INPUTS,
  availability,
  mustRunPromtool,
  serviceInput,
  tempDir,
} from './testServices';

// Real Prometheus verdicts: `promtool check rules` on generated files, and `promtool test
// rules` on synthetic series proving each burn-rate alert fires just above its factor and
// stays silent just below. These tests fail (never skip) when promtool is missing.

const dir = tempDir('slo-rules');

function writeRules(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('promtool check rules', () => {
  it.each(Object.keys(SAMPLE_INPUTS))(
    'accepts the rule file of the %s service',
    key => {
      const artifact = generatePrometheusRules(SAMPLE_INPUTS[key]).artifacts[0];
      const verdict = mustRunPromtool([
        'check',
        'rules',
        writeRules(`${key}.rules.yaml`, artifact.content),
      ]);
      expect(verdict.output).toContain('SUCCESS');
      expect(verdict.status).toBe('passed');
    },
  );
});

// One availability SLO at 99.9 %: budget 0.001 of requests.
const input = serviceInput({ slos: [availability(99.9)] });
const rules = generatePrometheusRules(input).artifacts[0].content;
const alertRules = (parse(rules).groups[0].rules as any[]).filter(r => r.alert);
type Row = (typeof MWMBR_THRESHOLDS)[number];

/** What promtool must see for one firing row: all labels and the exact annotations. */
function expected(row: Row) {
  const rule = alertRules.find(r => r.labels.long_window === row.longWindow);
  return { exp_labels: rule.labels, exp_annotations: rule.annotations };
}

const fmt = (n: number) => String(+n.toFixed(6));

/** promtool notation of a counter growing by `step` a minute, segment after segment. */
function counter(segments: Array<{ minutes: number; step: number }>): string {
  let value = 0;
  return segments
    .map((s, i) => {
      const start = i === 0 ? 0 : value + s.step;
      const count = i === 0 ? s.minutes : s.minutes - 1;
      value = start + s.step * count;
      return `${fmt(start)}+${fmt(s.step)}x${count}`;
    })
    .join(' ');
}

/** Counter samples every minute: `perMinute` requests, a share `errorRatio` failing. */
function series(
  segments: Array<{ minutes: number; perMinute: number; errorRatio: number }>,
) {
  const good = segments.map(s => ({
    minutes: s.minutes,
    step: s.perMinute * (1 - s.errorRatio),
  }));
  const bad = segments.map(s => ({
    minutes: s.minutes,
    step: s.perMinute * s.errorRatio,
  }));
  return [
    {
      series: 'http_requests_total{service="checkout-api",status="200"}',
      values: counter(good),
    },
    {
      series: 'http_requests_total{service="checkout-api",status="500"}',
      values: counter(bad),
    },
  ];
}

/** A promtool test case: a steady burn of `burn` × budget for 7 h, evaluated at 6 h. */
function steadyBurn(burn: number, perMinute: number, firing: readonly Row[]) {
  return {
    interval: '1m',
    input_series: series([
      { minutes: 420, perMinute, errorRatio: burn * 0.001 },
    ]),
    alert_rule_test: [
      {
        eval_time: '6h',
        alertname: 'NthlayerErrorBudgetBurn',
        exp_alerts: firing.map(expected),
      },
    ],
  };
}

function runTests(name: string, tests: unknown[]) {
  writeRules('burn.rules.yaml', rules);
  const file = writeRules(
    `${name}.test.yaml`,
    stringify({
      rule_files: ['burn.rules.yaml'],
      evaluation_interval: '1m',
      tests,
    }),
  );
  return mustRunPromtool(['test', 'rules', path.basename(file)], dir);
}

describe('promtool test rules: burn-rate alerts', () => {
  it.each(
    MWMBR_THRESHOLDS.map(
      row =>
        [`${row.longWindow}/${row.shortWindow} ×${row.factor}`, row] as const,
    ),
  )('%s fires at 1.1× its factor and stays silent at 0.9×', (_label, row) => {
    // Rows with a lower factor fire as well; rows with a higher factor stay silent.
    const above = MWMBR_THRESHOLDS.filter(r => r.factor <= row.factor);
    const below = MWMBR_THRESHOLDS.filter(r => r.factor < row.factor * 0.9);
    const verdict = runTests(`row-${row.longWindow}`, [
      steadyBurn(row.factor * 1.1, 1000, above),
      steadyBurn(row.factor * 0.9, 1000, below),
    ]);
    expect(verdict.output).toContain('SUCCESS');
    expect(verdict.status).toBe('passed');
  });

  it('does not page when only the long window burns (the short window has recovered)', () => {
    const pageFast = MWMBR_THRESHOLDS[0];
    const verdict = runTests('recovered', [
      {
        interval: '1m',
        input_series: series([
          {
            minutes: 120,
            perMinute: 1000,
            errorRatio: 3 * pageFast.factor * 0.001,
          },
          { minutes: 15, perMinute: 1000, errorRatio: 0 },
        ]),
        alert_rule_test: [
          {
            eval_time: '2h10m',
            alertname: 'NthlayerErrorBudgetBurn',
            exp_alerts: MWMBR_THRESHOLDS.slice(1).map(expected),
          },
        ],
      },
    ]);
    expect(verdict.output).toContain('SUCCESS');
  });

  it('does not page on low traffic (below 0.1 events/s) but still opens tickets', () => {
    const verdict = runTests('low-traffic', [
      steadyBurn(
        20,
        3,
        MWMBR_THRESHOLDS.filter(r => r.severity === 'ticket'),
      ),
      steadyBurn(20, 12, MWMBR_THRESHOLDS),
    ]);
    expect(verdict.output).toContain('SUCCESS');
  });

  it('fails the check when an alert is expected but silent (the harness is not vacuous)', () => {
    const verdict = runTests('vacuous', [
      steadyBurn(0.5, 1000, [MWMBR_THRESHOLDS[3]]),
    ]);
    expect(verdict.status).toBe('failed');
  });
});
