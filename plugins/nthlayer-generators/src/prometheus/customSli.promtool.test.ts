import fs from 'fs';
import path from 'path';
import { parse, stringify } from 'yaml';
import { generatePrometheusRules } from './generatePrometheusRules';
import { availability, mustRunPromtool, serviceInput, tempDir } from './testServices';

// A custom SLI (nthlayer.dev/sli-good|bad + sli-total) through the generated rules, checked by
// the real promtool: the file is valid, and the recorded error ratio over 5 minutes equals the
// one computed by hand from the input series (10 % failing), for the good and the bad form.
const dir = tempDir('custom-sli');

const GOOD = 'shop_requests_total{app="legacy",result="ok"}';
const BAD = 'shop_requests_total{app="legacy",result="error"}';
const TOTAL = 'shop_requests_total{app="legacy"}';

function rulesFor(customSli: { good?: string; bad?: string; total: string }) {
  return generatePrometheusRules(serviceInput({ name: 'legacy-shop', slos: [availability(99)], customSli })).artifacts[0].content;
}

function promtoolTest(name: string, rules: string) {
  fs.writeFileSync(path.join(dir, `${name}.rules.yaml`), rules);
  const record = (parse(rules).groups[0].rules as any[]).find(r => r.record === 'nthlayer:slo_error:ratio_rate5m');
  const test = {
    rule_files: [`${name}.rules.yaml`],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          // 75 ok and 25 errors a minute (an error ratio of exactly 0.25); another app must not count.
          { series: 'shop_requests_total{app="legacy",result="ok"}', values: '0+75x30' },
          { series: 'shop_requests_total{app="legacy",result="error"}', values: '0+25x30' },
          { series: 'shop_requests_total{app="other",result="error"}', values: '0+500x30' },
        ],
        promql_expr_test: [{ expr: 'nthlayer:slo_error:ratio_rate5m', eval_time: '20m', exp_samples: [{ labels: labelsOf(record), value: 0.25 }] }],
      },
    ],
  };
  fs.writeFileSync(path.join(dir, `${name}.test.yaml`), stringify(test));
  return { record, verdict: mustRunPromtool(['test', 'rules', `${name}.test.yaml`], dir) };
}

function labelsOf(rule: { record: string; labels: Record<string, string> }) {
  const labels = Object.entries(rule.labels).map(([k, v]) => `${k}="${v}"`);
  return `${rule.record}{${labels.join(',')}}`;
}

describe('custom SLI queries in the generated rules (promtool)', () => {
  it.each([
    ['good', { good: GOOD, total: TOTAL }],
    ['bad', { bad: BAD, total: TOTAL }],
  ])('records the error ratio of the %s/total form exactly, and promtool accepts the file', (name, custom) => {
    const rules = rulesFor(custom);
    expect(rules).toContain(TOTAL);
    expect(rules).not.toContain('http_requests_total');
    const check = mustRunPromtool(['check', 'rules', writeRules(`${name}-check.rules.yaml`, rules)]);
    expect(check.status).toBe('passed');
    const { record, verdict } = promtoolTest(name, rules);
    expect(record.expr).toContain(name === 'good' ? GOOD : BAD);
    expect(verdict.output).toContain('SUCCESS');
    expect(verdict.status).toBe('passed');
  });
});

function writeRules(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
