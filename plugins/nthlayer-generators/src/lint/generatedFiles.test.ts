import fs from 'fs';
import path from 'path';
import { generatePrometheusRules } from '../prometheus/generatePrometheusRules';
import { SAMPLE_INPUTS, tempDir } from '../prometheus/testServices';
import { loadAlertCatalogue } from '../technology/catalogue';
import { generateTechnologyAlerts } from '../technology/generateTechnologyAlerts';
import { SUPPORTED_TECHNOLOGIES } from '../technology/technologyMap';
import { lintRuleFile } from './lintRuleFile';
import { promtoolCheck } from './promtool';

const catalogue = loadAlertCatalogue();

describe('generated rule files lint clean', () => {
  it.each(
    Object.keys(SAMPLE_INPUTS).filter(k => SAMPLE_INPUTS[k].service.runbookUrl),
  )('SLO rules of the %s service', key => {
    const input = SAMPLE_INPUTS[key];
    const content = generatePrometheusRules(input).artifacts[0].content;
    expect(
      lintRuleFile(content, { serviceSelector: input.service.selector }),
    ).toEqual([]);
  });

  it('SLO rules without a runbook URL report only alerts/annotation', () => {
    const content = generatePrometheusRules(SAMPLE_INPUTS.custom).artifacts[0]
      .content;
    const checks = new Set(
      lintRuleFile(content, {
        serviceSelector: SAMPLE_INPUTS.custom.service.selector,
      }).map(f => f.check),
    );
    expect([...checks]).toEqual(['alerts/annotation']);
  });

  it('technology alerts lint clean; the file switches off only the counter-naming heuristic', () => {
    const input = {
      ...SAMPLE_INPUTS.api,
      dependencies: Object.keys(SUPPORTED_TECHNOLOGIES).map(t => ({
        ref: `resource:default/${t}`,
        name: t,
        kind: 'resource' as const,
        technology: t,
      })),
    };
    const content = generateTechnologyAlerts(input, catalogue).artifacts[0].content;
    expect(lintRuleFile(content)).toEqual([]);
    // Without the directive: warnings, and only the heuristic's (exporters such as
    // postgres_exporter name counters without _total).
    const findings = lintRuleFile(content.replace(/^# nthlayer-lint .*$/m, ''));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings)
      expect(f).toMatchObject({ check: 'promql/counter-name', severity: 'warning' });
  });
});

describe('promtoolCheck', () => {
  const dir = tempDir('lint');
  it('passes a generated file and fails a broken one', () => {
    const good = path.join(dir, 'good.rules.yaml');
    fs.writeFileSync(
      good,
      generatePrometheusRules(SAMPLE_INPUTS.api).artifacts[0].content,
    );
    expect(promtoolCheck(good).status).toBe('passed');
    const bad = path.join(dir, 'bad.rules.yaml');
    fs.writeFileSync(
      bad,
      'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(rate(x[5m])\n',
    );
    const verdict = promtoolCheck(bad);
    expect(verdict.status).toBe('failed');
    expect(verdict.output).toMatch(/parse error/);
  });

  it('reports unavailable when promtool is not installed', () => {
    const saved = process.env.PROMTOOL;
    process.env.PROMTOOL = '/nonexistent/promtool';
    try {
      expect(promtoolCheck('x.yaml').status).toBe('unavailable');
    } finally {
      if (saved === undefined) delete process.env.PROMTOOL;
      else process.env.PROMTOOL = saved;
    }
  });
});
