import { lintRuleFile } from './lintRuleFile';
import { validateRuleFile } from './validateRuleFile';

const rules = (lines: string) => `groups:
  - name: g
    rules:
${lines}`;

describe('validateRuleFile', () => {
  it('accepts a clean file, an empty one and anchors with merge keys', () => {
    expect(validateRuleFile('')).toEqual([]);
    expect(
      validateRuleFile(
        rules(`      - &base
        alert: A
        expr: up == 0
        labels: &labels {severity: page}
      - <<: *base
        alert: B
        labels:
          <<: *labels
          team: t
`),
      ),
    ).toEqual([]);
  });

  it('reports YAML errors with line and column', () => {
    expect(validateRuleFile('groups:\n  - name: [\n')).toEqual([
      expect.objectContaining({ check: 'yaml/parse', line: 3, column: 1 }),
    ]);
  });

  it('reports unknown fields where they are, with a suggestion', () => {
    expect(
      validateRuleFile(
        rules('      - alert: A\n        expr: up\n        annotaions: {}\n'),
      ),
    ).toEqual([
      {
        check: 'yaml/parse',
        severity: 'error',
        message: 'field annotaions not found in a rule',
        group: 'g',
        line: 6,
        column: 9,
        fix: 'did you mean "annotations"?',
      },
    ]);
  });

  it('reports what rulefmt rejects on rules, with the rule', () => {
    const findings = validateRuleFile(
      rules(`      - record: 1x
        expr: up
        for: 5m
        labels:
          __name__: x
`),
    );
    expect(findings.map(f => [f.check, f.message, f.line])).toEqual([
      ['alerts/for', '"for" is only valid on alerting rules', 6],
      ['yaml/parse', 'invalid recording rule name: 1x', 4],
      ['yaml/parse', 'invalid label name: __name__', 8],
    ]);
    expect(findings[1]).toMatchObject({
      group: 'g',
      rule: '1x',
      fix: expect.stringContaining('_1x'),
    });
  });

  it('reports duplicate group names and bad group fields', () => {
    const text =
      'groups:\n  - name: g\n    interval: 60\n  - name: g\n    limit: "10"\n';
    expect(validateRuleFile(text).map(f => f.message)).toEqual([
      '"interval: 60" is not a Prometheus duration',
      'groupname "g" is repeated in the same file (first at line 2)',
      '"limit" must be an integer, not a string',
    ]);
  });

  it('reports PromQL errors with the rule line, the column in the expression and a fix', () => {
    expect(
      validateRuleFile(
        rules('      - record: a:b:c\n        expr: rate(foo)\n'),
      ),
    ).toEqual([
      {
        check: 'promql/syntax',
        severity: 'error',
        message:
          'expected type range vector in call to function "rate", got instant vector at column 6',
        group: 'g',
        rule: 'a:b:c',
        line: 4,
        column: 6,
        fix: 'give a range, e.g. rate(foo[5m])',
      },
    ]);
  });

  it('parses the templates of alerts, not of recording rules', () => {
    const broken = '"{{ $value"';
    expect(
      validateRuleFile(
        rules(
          `      - alert: A\n        expr: up\n        annotations:\n          summary: ${broken}\n`,
        ),
      ),
    ).toEqual([
      expect.objectContaining({
        check: 'alerts/template',
        message:
          'annotation "summary": the template does not parse: unclosed action',
        rule: 'A',
      }),
    ]);
    expect(
      validateRuleFile(
        rules(
          `      - record: x\n        expr: up\n        labels:\n          a: ${broken}\n`,
        ),
      ),
    ).toEqual([]);
  });
});

describe('lintRuleFile on top of validateRuleFile', () => {
  it('reports rules of a range vector or a string (they load, but never evaluate)', () => {
    expect(
      lintRuleFile(rules('      - record: a:b:c\n        expr: foo[5m]\n')),
    ).toEqual([
      expect.objectContaining({
        check: 'promql/type',
        severity: 'error',
        rule: 'a:b:c',
      }),
    ]);
    expect(
      validateRuleFile(rules('      - record: a:b:c\n        expr: foo[5m]\n')),
    ).toEqual([]);
  });

  it('cannot switch off what Prometheus rejects', () => {
    const text = `# nthlayer-lint file/disable alerts/for alerts/template promql/syntax yaml/parse\n${rules(
      '      - record: x\n        expr: rate(up)\n        for: 5m\n',
    )}`;
    expect(lintRuleFile(text).map(f => f.check)).toEqual([
      'alerts/for',
      'promql/syntax',
    ]);
  });
});
