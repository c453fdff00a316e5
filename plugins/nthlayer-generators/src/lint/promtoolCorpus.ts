/**
 * Test data: rule files with the verdict of `promtool check rules` (Prometheus 2.42, the
 * promtool of CI) on each, established by running promtool on every case. The offline
 * validator must agree; `promtoolCorpus.test.ts` checks both. Not exported from the package.
 */

/** One rule file and whether promtool accepts it. */
export interface CorpusCase {
  name: string;
  yaml: string;
  /** promtool check rules exits 0. */
  valid: boolean;
}

const q = (value: string) => JSON.stringify(value);

/** A file with one recording rule of `expr`. */
const rec = (expr: string) => `groups:
  - name: g
    rules:
      - record: job:r:sum
        expr: ${q(expr)}
`;

/** A file with one alert of `expr`, and `extra` YAML lines of the rule (indented 8). */
const alert = (expr: string, extra = '') => `groups:
  - name: g
    rules:
      - alert: A
        expr: ${q(expr)}
        for: 5m
${extra}`;

/** A file with one alert whose `summary` annotation is `template`. */
const annotated = (template: string) =>
  alert('up == 0', `        annotations:\n          summary: ${q(template)}\n`);

/** A file with one group, `group` YAML lines after its name (indented 4). */
const group = (lines: string) => `groups:
  - name: g
${lines}`;

const validExprs: Array<[string, string]> = [
  ['rate summed by job', 'sum by (job) (rate(http_requests_total[5m]))'],
  ['holt_winters (2.42 name)', 'holt_winters(node_load1[10m], 0.5, 0.5)'],
  ['metric named offset', 'offset > 0'],
  ['metric named offset in a call', 'rate(offset[5m] offset 5m)'],
  ['metric named sum, by, start, end', 'sum + by + start + end'],
  ['__name__ matcher for a keyword', '{__name__="on"} or {__name__="bool"}'],
  [
    'keywords as label names',
    'sum by (on, offset, bool) (foo{on="a", offset="b", bool="c"})',
  ],
  ['keywords in upper case', 'SUM(foo) BY (job) AND foo OFFSET 5m'],
  ['number literals', '5. + 0x1F + 1e3 + .5 + 0755 + 08'],
  ['Inf and NaN', 'foo > -Inf or foo != NaN'],
  ['negative offset and @', 'foo offset -5m @ start()'],
  ['@ timestamp and offset on a range', 'rate(foo[5m] offset 1h @ 1609459200)'],
  ['subquery of a rate', 'max_over_time(rate(foo[5m])[1h:1m])'],
  ['subquery without step, offset after', 'foo[5m:] offset 1m'],
  ['subquery of an offset selector', 'max_over_time((foo offset 1m)[5m:])'],
  ['unary minus binds looser than offset', '-foo offset 5m'],
  ['offset binds to the right operand', 'foo + bar offset 5m'],
  ['@ binds to the right operand', 'foo * bar @ 1609459200'],
  ['one-to-many matching', 'a / on(job) group_left(instance) b'],
  ['ignoring with group_left', 'a / ignoring(code) group_left b'],
  ['empty on() with a scalar', 'foo + on() 1'],
  ['scalar comparison with bool', '1 > bool 0'],
  ['vector comparison with bool', 'foo > bool 1'],
  ['time arithmetic', 'time() - process_start_time_seconds > 300'],
  ['round with and without precision', 'round(foo) + round(foo, 0.5)'],
  ['date function without argument', 'day_of_week() == bool 0'],
  ['label_join variadic', 'label_join(foo, "a", ",", "b", "c", "d")'],
  ['label_replace', 'label_replace(up, "dst", "$1", "src", "(.*)")'],
  ['absent_over_time', 'absent_over_time(up{job="x"}[5m])'],
  [
    'histogram_fraction (native histograms)',
    'histogram_fraction(0, 0.2, rate(h[5m]))',
  ],
  ['clamp, vector, scalar', 'clamp(foo, 0, 1) > bool scalar(bar) or vector(1)'],
  ['topk with a scalar() parameter', 'topk(scalar(bar), foo)'],
  [
    'quantile and count_values',
    'quantile(0.9, foo) or count_values("value", foo)',
  ],
  ['group and without', 'group(foo) by (job) or sum without (instance) (foo)'],
  [
    'RE2 regexes Go accepts',
    'foo{a=~"(?i)x.*", b=~"[[:alpha:]]+", c=~"(?P<n>a)\\\\d+"}',
  ],
  ['name regex without metric name', '{__name__=~"foo|bar", job=~".+"}'],
  ['not-equal-empty matcher alone', '{job!=""}'],
  [
    'raw and single-quoted strings',
    'label_replace(up, \'a\', `\\d`, "b", "\\u00e9\\n")',
  ],
  [
    'histogram_quantile by le',
    'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
  ],
  [
    'predict_linear',
    'predict_linear(node_filesystem_free_bytes[6h], 4 * 3600) < 0',
  ],
  ['nested parens and double unary', '((foo)) + - -1 + --foo'],
  ['trailing commas in matchers and grouping', 'sum by (a,) (foo{a="b",})'],
  [
    'unless on and or vector(0)',
    'count by (le) (x) unless on(le) y or vector(0)',
  ],
  [
    'durations',
    'rate(foo[1y]) + rate(foo[1w2d]) + rate(foo[500ms]) + rate(foo[1h30m])',
  ],
  [
    'ratio with group_left',
    'sum(rate(foo[5m])) by (job) / on(job) group_left sum(bar) by (job)',
  ],
  ['bool before on', 'a > bool on(x) b'],
  ['group_right', 'a == on(job) group_right(x) b'],
  ['@ end() and @ start() on a range', 'foo @ end() + rate(foo[5m] @ start())'],
  ['@ then offset inside a rate', 'rate(foo[5m] @ 1 offset 1m)'],
  ['timestamp and time', 'timestamp(foo) < time() - 60'],
  [
    'range functions',
    'changes(foo[1h]) + resets(foo[1h]) + idelta(foo[1h]) + deriv(foo[1h]) + delta(foo[1h]) + irate(foo[1h])',
  ],
  ['quantile_over_time', 'quantile_over_time(0.9, foo[5m])'],
  ['math functions', 'abs(ln(sqrt(exp(sgn(deg(rad(sort(foo))))))))'],
  [
    'native histogram functions',
    'histogram_count(rate(h[5m])) + histogram_sum(rate(h[5m]))',
  ],
  [
    'date functions of a vector',
    'days_in_month(timestamp(foo)) + year() - 2000',
  ],
  ['absent', 'absent(up{job="x"})'],
  [
    'over_time functions',
    'last_over_time(foo[1h]) + present_over_time(foo[1h]) * stddev_over_time(foo[1h]) / stdvar_over_time(foo[1h])',
  ],
  [
    'more aggregations',
    'bottomk(3, foo) or stddev(foo) or stdvar(foo) by (x) or avg(foo) without (x) or min(foo) or max(foo)',
  ],
  ['count by compared', 'count(foo) by (job) > 0'],
  ['topk of an aggregation', 'topk(3, sum by (job) (rate(foo[5m])))'],
  [
    'nested label functions',
    'label_replace(label_join(foo, "a", "-", "b"), "c", "$1", "a", "(.*)")',
  ],
  [
    'more RE2',
    'foo{a=~"\\\\Qa.b\\\\E", b=~"a{2,5}", c!~"x|y", d=~"(?s:.)", e=~""}',
  ],
  ['name regex with a colon', '{__name__=~"job:.*"}'],
  ['atan2 operator', 'foo atan2 bar + foo atan2 1'],
  ['signed numbers', '-1 + +1 - -2'],
  ['chained scalar comparisons', '1 > bool 2 > bool 3'],
  ['vector(time())', 'vector(time()) - foo'],
  ['long offset', 'foo offset 1y2w'],
  ['@ start() before a range (2.42 allows it)', 'rate(foo @ start()[5m])'],
  ['metric named offset after on(…)', 'foo * on(job) offset'],
  ['comment after the range', 'rate(foo[5m # five minutes\n])'],
  ['sign and number apart', '1 > bool + 0'],
  ['escaped quote and single-quoted matcher', 'foo{a="\\"", b=\'x\'}'],
  ['pi and time', 'pi() * time()'],
  ['operator precedence', '1 + 2 * 3 ^ 2 % 4'],
  ['range vector as rule result (loads; evaluation fails)', 'foo[5m]'],
  ['string as rule result (loads; evaluation fails)', '"x"'],
  ['comment in the expression', 'sum(up) # total'],
];

const invalidExprs: Array<[string, string]> = [
  ['rate of an instant vector', 'rate(foo)'],
  ['abs with 2 arguments', 'abs(foo, 1)'],
  ['histogram_quantile of a vector quantile', 'histogram_quantile(foo, bar)'],
  ['histogram_quantile of a range', 'histogram_quantile(0.9, bar[5m])'],
  ['label_replace with 4 arguments', 'label_replace(foo, "a", "b", "c")'],
  [
    'label_replace with a number for a string',
    'label_replace(foo, "a", "b", "c", 1)',
  ],
  ['time() with an argument', 'time(1)'],
  ['round with 3 arguments', 'round(foo, 1, 2)'],
  ['round with a vector precision', 'round(foo, bar)'],
  ['sort_desc with 2 arguments', 'sort_desc(foo, bar)'],
  ['vector of a vector', 'vector(foo)'],
  ['vector without argument', 'vector()'],
  ['scalar of a scalar', 'scalar(1)'],
  ['absent_over_time of an instant vector', 'absent_over_time(foo)'],
  ['day_of_week with 2 arguments', 'day_of_week(foo, bar)'],
  ['label_join with a number', 'label_join(foo, "a", ",", "b", 1)'],
  ['set operator between scalars', '1 and 1'],
  ['set operator with a scalar', 'vector(1) and 1'],
  ['scalar comparison without bool', '1 == 1'],
  ['bool on arithmetic', 'foo + bool bar'],
  ['vector matching with a scalar', 'foo + on(a) 1'],
  ['group_left on a set operator', 'a and on(x) group_left b'],
  ['label in on and group_left', 'a + on(x) group_left(x) b'],
  ['comparison with a string', 'foo == "a"'],
  ['range in arithmetic', 'foo[5m] + 1'],
  ['sum of a scalar', 'sum(1)'],
  ['sum of a range', 'sum(foo[5m])'],
  ['topk of a vector parameter', 'topk(foo, bar)'],
  ['topk without parameter', 'topk(3)'],
  ['quantile of a string', 'quantile("0.5", foo)'],
  ['count_values of a number', 'count_values(1, foo)'],
  ['sum with 2 arguments', 'sum(foo, bar)'],
  ['sum without arguments', 'sum()'],
  ['grouping by a metric name', 'sum by (a:b) (foo)'],
  ['grouping by inf', 'sum by (inf) (foo)'],
  ['offset on a number', '1 offset 5m'],
  ['offset on a function', 'rate(foo[5m]) offset 5m'],
  ['offset on parens', '(foo) offset 5m'],
  ['@ on an aggregation', 'sum(foo) @ 1'],
  ['offset twice', 'foo offset 5m offset 1m'],
  ['@ twice', 'foo @ 1 @ 2'],
  ['zero offset', 'foo offset 0s'],
  ['offset without unit', 'foo offset 5'],
  ['@ of a duration', 'foo @ 5m'],
  ['@ of inf', 'foo @ inf'],
  ['zero range', 'foo[0m]'],
  ['range without unit', 'foo[300]'],
  ['range units out of order', 'foo[2d1w]'],
  ['range of parens', '(foo)[5m]'],
  ['offset before range', 'foo offset 5m [5m]'],
  ['subquery of a range', 'foo[5m][10m:]'],
  ['subquery of a scalar', '1[5m:]'],
  ['unary minus of a subquery', '-foo[5m:1m]'],
  ['empty selector', '{}'],
  ['selector matching the empty label only', '{a=""}'],
  ['selector of a regex matching empty', '{a=~".*"}'],
  ['metric name twice', 'foo{__name__="bar"}'],
  ['unbalanced regex', 'foo{a=~"("}'],
  ['lookahead regex (not RE2)', 'foo{a=~"(?=x)"}'],
  ['nested repetition regex', 'foo{a=~"x**"}'],
  ['unary minus of a string', '-"a"'],
  ['unary minus of a range', '-foo[5m]'],
  ['sort_by_label (Prometheus 3)', 'sort_by_label(foo, "a")'],
  ['limitk (Prometheus 3)', 'limitk(1, foo)'],
  ['duration arithmetic (Prometheus 3)', 'foo[1m+1m]'],
  ['quoted label name (Prometheus 3)', '{"a"="b"}'],
  ['trim operator (Prometheus 3)', 'foo </ 1'],
  ['info (Prometheus 3)', 'info(foo)'],
  ['duration as a number', 'foo > 5m'],
  ['number with underscore', '1_000'],
  ['bad \\x escape', 'label_replace(up, "a", "\\x", "b", "c")'],
  ["\\' in a double-quoted string", 'label_replace(up, "a", "\\\'", "b", "c")'],
  [
    'unescaped dot escape',
    'label_replace(up, "v", "$1", "v", "(v[0-9]*\\.[0-9]*)")',
  ],
  ['unterminated string', 'label_replace(up, "a", "b, "c", "d")'],
  ['escaped closing quote', 'label_replace(up, "a", "b", "c", "x\\")'],
  ['number glued to a keyword', 'foo > 1or foo'],
  ['comment before the range', 'rate(foo[# five minutes\n5m])'],
  ['@ timestamp before a range', 'rate(foo @ 1[5m])'],
  ['regex with an unmatched ) (parsed alone too)', 'foo{a=~"a)(b"}'],
  ['regex \\Q without \\E (swallows the anchoring)', 'foo{a=~"\\\\Qa"}'],
  ['number out of range', '1e355'],
  ['duration glued to a keyword', 'foo offset 5mor foo'],
  ['atan2 as a metric name', 'atan2'],
  ['on as a metric name', 'on'],
  ['function names are case-sensitive', 'RATE(foo[5m])'],
  ['unbalanced parenthesis', 'sum(rate(foo[5m])'],
];

const validFiles: Array<[string, string]> = [
  [
    'alert with for, labels and templated annotations',
    alert(
      'up == 0',
      `        labels:
          severity: page
        annotations:
          summary: "{{ $labels.instance }} of {{ $labels.job }} is down"
          description: "{{ $value | humanize }} for {{ humanizeDuration 300 }}"
`,
    ),
  ],
  [
    'block scalar expression',
    `groups:
  - name: g
    rules:
      - record: job:x:rate5m
        expr: |
          sum by (job) (
            rate(x_total[5m])  # per second
          )
`,
  ],
  [
    'folded scalar expression',
    `groups:
  - name: g
    rules:
      - alert: A
        expr: >
          sum by (job) (rate(x_total[5m]))
          > 1
`,
  ],
  [
    'merge keys and anchors in rules',
    `groups:
  - name: g
    rules:
      - &base
        alert: A
        expr: up == 0
        for: 5m
        labels: &labels
          severity: page
      - <<: *base
        alert: B
        labels:
          <<: *labels
          team: t
`,
  ],
  [
    'merge keys in a group',
    `groups:
  - &g
    name: a
    interval: 1m
    rules: []
  - <<: *g
    name: b
`,
  ],
  [
    'alias of a label map',
    `groups:
  - name: g
    rules:
      - record: a:b:c
        expr: up
        labels: &l {team: t}
      - record: a:b:d
        expr: up
        labels: *l
`,
  ],
  ['empty file', ''],
  ['comment only', '# nothing yet\n'],
  ['empty mapping', '{}\n'],
  ['no groups', 'groups: []\n'],
  ['group without rules', group('    interval: 1m\n')],
  [
    'null items are skipped',
    'groups:\n  - null\n  - name: g\n    rules:\n      - null\n',
  ],
  [
    'interval 0, limit as float',
    group('    interval: 0\n    limit: 2.0\n    rules: []\n'),
  ],
  ['only the first YAML document counts', `${rec('up')}---\ngarbage: [1\n`],
  [
    'keep_firing_for on an alert',
    alert('up == 0', '        keep_firing_for: 10m\n'),
  ],
  [
    'zero for on a record',
    group('    rules:\n      - record: x\n        expr: up\n        for: 0s\n'),
  ],
  [
    'null for, numeric zero for',
    `${alert('up == 0').replace(
      'for: 5m',
      'for:',
    )}      - alert: B\n        expr: up\n        for: 0\n`,
  ],
  [
    'labels with a reserved prefix',
    group(
      '    rules:\n      - alert: A\n        expr: up\n        labels:\n          __tmp: x\n        annotations:\n          __a: y\n',
    ),
  ],
  [
    'label values that are numbers and booleans',
    group(
      '    rules:\n      - record: x\n        expr: up\n        labels:\n          a: 1\n          b: true\n          c:\n',
    ),
  ],
  [
    'alert names are free text',
    group('    rules:\n      - alert: "Disk almost full!"\n        expr: up\n'),
  ],
  [
    'duplicate rules (promtool only warns)',
    group(
      '    rules:\n      - record: x\n        expr: up\n      - record: x\n        expr: up\n',
    ),
  ],
  [
    'record names with colons and underscores',
    group(
      '    rules:\n      - record: job:x:rate5m\n        expr: up\n      - record: _x\n        expr: up\n',
    ),
  ],
  [
    'expression as a YAML number and boolean',
    group(
      '    rules:\n      - record: a\n        expr: 1\n      - record: b\n        expr: true\n',
    ),
  ],
  [
    'template control structures',
    annotated(
      '{{ if gt $value 1.0 }}high{{ else if eq $value 0.0 }}none{{ else }}low{{ end }}',
    ),
  ],
  [
    'template range over a query',
    annotated(
      '{{ range $i, $s := query "up" }}{{ $s.Labels.job }}={{ $s.Value }} {{ end }}',
    ),
  ],
  [
    'template with, pipes, comments, trim markers',
    annotated(
      '{{/* note */}}{{- with query "up" -}}{{ . | first | value | humanize }}{{ end }}',
    ),
  ],
  [
    'template define and template',
    annotated(
      '{{ define "x" }}a{{ end }}{{ template "x" }} {{ printf "%.2f" $value }}',
    ),
  ],
  [
    'for and keep_firing_for with templated labels',
    alert(
      'up == 0',
      '        keep_firing_for: 5m\n        labels:\n          severity: "{{ if gt $value 10.0 }}page{{ else }}ticket{{ end }}"\n',
    ).replace('for: 5m', 'for: 1h30m'),
  ],
  [
    'limit in hex, interval',
    group(
      '    interval: 30s\n    limit: 0x10\n    rules:\n      - record: x\n        expr: up\n',
    ),
  ],
  [
    'realistic SLO rules',
    `groups:
  - name: slo:checkout
    interval: 30s
    rules:
      - record: slo:sli_error:ratio_rate5m
        expr: |
          sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m]))
          /
          sum(rate(http_requests_total{service="checkout"}[5m]))
        labels:
          service: checkout
      - record: slo:sli_error:ratio_rate1h
        expr: sum(rate(http_requests_total{service="checkout", code=~"5.."}[1h])) / sum(rate(http_requests_total{service="checkout"}[1h]))
        labels:
          service: checkout
      - alert: CheckoutErrorBudgetBurn
        expr: slo:sli_error:ratio_rate5m{service="checkout"} > (14.4 * 0.001) and slo:sli_error:ratio_rate1h{service="checkout"} > (14.4 * 0.001)
        for: 2m
        labels:
          severity: page
        annotations:
          summary: "Checkout burns its error budget ({{ $value | humanizePercentage }})"
          runbook_url: https://runbooks.example.com/checkout
`,
  ],
  [
    'quoted keys',
    'groups:\n  - "name": g\n    "rules":\n      - "record": x\n        "expr": up\n',
  ],
  [
    'flow-style rules',
    'groups: [{name: g, rules: [{record: x, expr: up}, {alert: A, expr: "up == 0"}]}]\n',
  ],
  [
    'comments everywhere',
    '# file\ngroups: # the groups\n  - name: g # a group\n    rules:\n      # a rule\n      - record: x\n        expr: up # the expr\n',
  ],
  [
    'explicit string tag on the expression',
    group('    rules:\n      - record: x\n        expr: !!str 1\n'),
  ],
  [
    'several groups',
    'groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n  - name: b\n    rules:\n      - record: y\n        expr: up\n',
  ],
  ['CRLF line endings', rec('sum(up)').replace(/\n/g, '\r\n')],
  ['document start marker', `---\n${rec('up')}`],
  [
    'merge of a list of anchors',
    `groups:
  - name: g
    rules:
      - record: a
        expr: up
        labels: &a {x: "1"}
      - record: b
        expr: up
        labels: &b {y: "2"}
      - record: c
        expr: up
        labels:
          <<: [*a, *b]
`,
  ],
  [
    'external labels and URL in a template',
    annotated('{{ $externalLabels.cluster }} {{ $externalURL }}/alerts'),
  ],
  [
    'template pipeline into printf',
    annotated('{{ "a" | printf "%s" }} {{ $value | printf "%.1f" }}%'),
  ],
  ['unicode in annotations', annotated('Störung – {{ $labels.instance }} ✗')],
  [
    'expr: null is the metric null',
    group('    rules:\n      - record: x\n        expr: null\n'),
  ],
  ['content after a flow root is not read', '{}\nnot: [valid\n'],
  ['content after an indented root is not read', '  groups: []\nrules: 300\n'],
  [
    'broken template on a record is not parsed',
    group(
      '    rules:\n      - record: x\n        expr: up\n        labels:\n          note: "{{ $value"\n',
    ),
  ],
];

const invalidFiles: Array<[string, string]> = [
  ['YAML syntax error', 'groups: [\n'],
  ['top level is a list', '- name: g\n'],
  ['unknown top-level field', 'defaults: {}\ngroups: []\n'],
  [
    'unknown group field (query_offset)',
    group('    query_offset: 1m\n    rules: []\n'),
  ],
  [
    'unknown rule field (typo)',
    alert('up == 0', '        annotation:\n          summary: s\n'),
  ],
  [
    'record and alert',
    group(
      '    rules:\n      - record: x\n        alert: y\n        expr: up\n',
    ),
  ],
  ['neither record nor alert', group('    rules:\n      - expr: up\n')],
  [
    'record name starting with a digit',
    group('    rules:\n      - record: 1x\n        expr: up\n'),
  ],
  [
    'record name with a dash',
    group('    rules:\n      - record: x-y\n        expr: up\n'),
  ],
  [
    'empty expression',
    group('    rules:\n      - record: x\n        expr: ""\n'),
  ],
  ['missing expression', group('    rules:\n      - alert: x\n')],
  [
    'expression is a list',
    group('    rules:\n      - alert: x\n        expr: [up]\n'),
  ],
  [
    'invalid label name',
    group(
      '    rules:\n      - record: x\n        expr: up\n        labels:\n          a-b: c\n',
    ),
  ],
  [
    '__name__ as a rule label',
    group(
      '    rules:\n      - record: x\n        expr: up\n        labels:\n          __name__: y\n',
    ),
  ],
  [
    'invalid annotation name',
    alert('up == 0', '        annotations:\n          a-b: c\n'),
  ],
  [
    'annotations on a record',
    group(
      '    rules:\n      - record: x\n        expr: up\n        annotations:\n          a: b\n',
    ),
  ],
  [
    'for on a record',
    group('    rules:\n      - record: x\n        expr: up\n        for: 5m\n'),
  ],
  [
    'keep_firing_for on a record',
    group(
      '    rules:\n      - record: x\n        expr: up\n        keep_firing_for: 5m\n',
    ),
  ],
  ['for in words', alert('up == 0').replace('for: 5m', 'for: 5 minutes')],
  ['for without unit', alert('up == 0').replace('for: 5m', 'for: 300')],
  ['for units out of order', alert('up == 0').replace('for: 5m', 'for: 2h1d')],
  ['negative for', alert('up == 0').replace('for: 5m', 'for: -5m')],
  ['empty for', alert('up == 0').replace('for: 5m', 'for: ""')],
  ['interval without unit', group('    interval: 60\n    rules: []\n')],
  ['fractional interval', group('    interval: 1.5m\n    rules: []\n')],
  ['limit as a string', group('    limit: "10"\n    rules: []\n')],
  ['limit as a boolean', group('    limit: true\n    rules: []\n')],
  ['group without name', 'groups:\n  - rules: []\n'],
  [
    'duplicate group names',
    'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n',
  ],
  ['groups is a mapping', 'groups:\n  name: g\n'],
  ['rules is a mapping', group('    rules: {}\n')],
  [
    'labels is a list',
    group(
      '    rules:\n      - record: x\n        expr: up\n        labels: [a]\n',
    ),
  ],
  [
    'unquoted template becomes a mapping',
    alert('up == 0', '        annotations:\n          summary: {{ $value }}\n'),
  ],
  [
    'duplicate YAML key',
    group(
      '    rules:\n      - record: x\n        expr: up\n        record: y\n',
    ),
  ],
  [
    'record: null counts as set',
    group(
      '    rules:\n      - record: null\n        alert: y\n        expr: up\n',
    ),
  ],
  [
    'two merge keys',
    'groups:\n  - name: g\n    <<: {rules: []}\n    <<: {interval: 1m}\n',
  ],
  [
    'merge brings an unknown field',
    'groups:\n  - name: a\n    <<: {bogus: 1}\n',
  ],
  [
    'third rule broken',
    group(
      '    rules:\n      - record: a\n        expr: up\n      - record: b\n        expr: sum(up)\n      - record: c\n        expr: rate(up)\n',
    ),
  ],
  ['template action not closed', annotated('{{ $value')],
  ['template function not defined', annotated('{{ $value | foo }}')],
  ['template variable not defined', annotated('{{ $x }}')],
  ['template end without start', annotated('done {{ end }}')],
  ['template if without end', annotated('{{ if gt $value 1.0 }}high')],
  ['template bad field name', annotated('{{ .foo-bar }}')],
  ['template break outside range', annotated('{{ break }}')],
];

/** The corpus: every case with promtool's verdict. */
export const CORPUS: CorpusCase[] = [
  ...validExprs.map(([name, expr]) => ({
    name: `expr: ${name}`,
    yaml: rec(expr),
    valid: true,
  })),
  ...invalidExprs.map(([name, expr]) => ({
    name: `expr: ${name}`,
    yaml: rec(expr),
    valid: false,
  })),
  ...validFiles.map(([name, yaml]) => ({
    name: `file: ${name}`,
    yaml,
    valid: true,
  })),
  ...invalidFiles.map(([name, yaml]) => ({
    name: `file: ${name}`,
    yaml,
    valid: false,
  })),
];
