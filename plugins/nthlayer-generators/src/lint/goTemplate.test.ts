import { templateError } from './goTemplate';

describe('templateError', () => {
  it.each([
    'no template at all }}',
    '{{ $labels.instance }} is down ({{ $value | humanize }})',
    '{{ $externalLabels.cluster }} {{ $externalURL }} {{ .Labels.job }}',
    '{{ if gt $value 1.0 }}a{{ else if lt $value 0.5 }}b{{ else }}c{{ end }}',
    '{{ range $i, $s := query "up" }}{{ $s.Value }}{{ break }}{{ end }}',
    '{{ with query "up" }}{{ . | first | value | printf "%.2f" }}{{ end }}',
    '{{/* comment */}}{{- $value -}}',
    '{{ define "t" }}x{{ end }}{{ template "t" . }}{{ block "b" . }}y{{ end }}',
    '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}',
    "{{ 'c' }} {{ `raw` }} {{ -1 }} {{ 0x1F }} {{ 1_000 }} {{ 1.5e3 }} {{ nil }}",
    '{{ 1 | }}',
  ])('parses %s', text => {
    expect(templateError(text)).toBeUndefined();
  });

  it.each([
    ['{{ $value', 'unclosed action'],
    ['{{ $value | foo }}', 'function "foo" not defined'],
    ['{{ $x }}', 'undefined variable "$x"'],
    ['{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}', 'undefined variable "$x"'],
    ['{{ define "t" }}{{ $value }}{{ end }}', 'undefined variable "$value"'],
    ['{{ end }}', 'unexpected {{end}}'],
    ['{{ else }}', 'unexpected {{else}}'],
    ['{{ if 1 }}x', 'unexpected EOF'],
    ['{{ range . }}{{ else if 1 }}{{ end }}', 'unexpected "if"'],
    ['{{ break }}', '{{break}} outside {{range}}'],
    ['{{ .foo-bar }}', 'bad character'],
    ['{{ "open }}', 'unterminated quoted string'],
    ['{{ "\\\'" }}', 'invalid syntax'],
    ["{{ 'ab' }}", 'malformed character constant'],
    ['{{ (1 }}', 'unclosed left paren'],
    ['{{ 1 | 2 }}', 'non executable command in pipeline stage 2'],
    ['{{ "a".b }}', 'unexpected . after term'],
    ['{{ }}', 'missing value for command'],
    ['{{{ $value }}}', 'unexpected "{" in command'],
    ['{{/* open', 'unclosed comment'],
    ['{{ 08 }}', 'integer overflow'],
    ['{{ $a, $b := 1 }}', 'too many declarations in command'],
  ])('rejects %s (%s)', (text, message) => {
    expect(templateError(text)).toContain(message);
  });
});
