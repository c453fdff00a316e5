import { canonicalPromql } from './canonicalPromql';
import { withSortedMatchers } from './matcherOrder';

describe('withSortedMatchers', () => {
  it('sorts the matchers of every selector and trims the ends, as Prometheus prints a rule', () => {
    expect(
      withSortedMatchers('sum(rate(x_bucket{service="a",le=~"0[.]50*"}[5m])) / sum(rate(x_count{service="a"}[5m]))\n'),
    ).toBe('sum(rate(x_bucket{le=~"0[.]50*",service="a"}[5m])) / sum(rate(x_count{service="a"}[5m]))');
    expect(withSortedMatchers('up{b="2", a="1"}')).toBe(withSortedMatchers('up{a="1",b="2"}'));
  });

  it('keeps strings whole: commas, braces, quotes and escapes inside them are not matchers', () => {
    expect(withSortedMatchers('x{z="a,b}", a=~"{1,2}\\"}"}')).toBe('x{a=~"{1,2}\\"}",z="a,b}"}');
    expect(withSortedMatchers("x{b='q,', a=`c\\`}")).toBe("x{a=`c\\`,b='q,'}");
  });

  it('reads `on ()` as Prometheus prints it and `on()` as NthLayer writes it alike; spaces elsewhere count', () => {
    const generated = '(a{slo="x",service="s"} > 0.0144 and b > 0.0144) and on() (sum(rate(c{service="s"}[1h])) >= 0.1)';
    const printed = '(a{service="s",slo="x"} > 0.0144 and b > 0.0144) and on () (sum(rate(c{service="s"}[1h])) >= 0.1)';
    expect(withSortedMatchers(generated)).toBe(withSortedMatchers(printed));
    expect(canonicalPromql(generated)?.text).toBe(canonicalPromql(printed)?.text);
    expect(withSortedMatchers('sum by (a) (x)')).toBe('sum by(a)(x)');
    // Inside a string a space before a parenthesis is content.
    expect(withSortedMatchers('x{a="b ("}')).not.toBe(withSortedMatchers('x{a="b("}'));
    expect(withSortedMatchers('label_replace(x, "d", "a (", "s", "")')).toBe('label_replace(x, "d", "a (", "s", "")');
    // Not before a parenthesis: `a and b` is not `aandb`, `by (a, b)` keeps its space.
    expect(withSortedMatchers('a and b')).toBe('a and b');
    expect(withSortedMatchers('sum by (a, b) (x)')).toBe('sum by(a, b)(x)');
  });

  it('never makes different expressions alike: swapped values, other operators, other names', () => {
    expect(withSortedMatchers('x{a="1",b="2"}')).not.toBe(withSortedMatchers('x{a="2",b="1"}'));
    expect(withSortedMatchers('x{a="1"}')).not.toBe(withSortedMatchers('x{a!="1"}'));
    expect(withSortedMatchers('x{a="1"} or y')).not.toBe(withSortedMatchers('x{a="1"} or z'));
  });

  it('gives up on what it does not read: comments, unclosed strings and braces', () => {
    expect(withSortedMatchers('x # comment')).toBeUndefined();
    expect(withSortedMatchers('x{a="1}')).toBeUndefined();
    expect(withSortedMatchers('x{a="1"')).toBeUndefined();
    expect(withSortedMatchers('x{a={b}}')).toBeUndefined();
  });

  it('agrees with the parsed comparison on random matcher orders of generated-looking selectors', () => {
    let seed = 11;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let n = 0; n < 200; n++) {
      const matchers = ['service="s"', 'le=~"0[.]5,0*"', 'code!~"5.."', `job='a{b}'`].filter(() => next() < 0.7);
      const shuffled = [...matchers].sort(() => next() - 0.5);
      const a = `sum(rate(m{${matchers.join(',')}}[5m])) > 0 and on() vector(1)`;
      const sp = () => (next() < 0.5 ? '' : ' ');
      const b = `sum${sp()}(rate${sp()}(m{${shuffled.join(', ')}}[5m])) > 0 and on${sp()}() vector${sp()}(1)`;
      expect(withSortedMatchers(a)).toBe(withSortedMatchers(b));
      expect(canonicalPromql(a)?.text).toBe(canonicalPromql(b)?.text);
    }
  });

  it('equals a character-by-character reading on random texts of selectors, strings and stray characters', () => {
    // The plain reading: copy characters, keep strings whole, sort each selector's matchers.
    const reference = (expr: string): string | undefined => {
      const text = expr.trim();
      let out = '';
      let inBraces = false;
      let current = '';
      let matchers: string[] = [];
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '#' || (inBraces && c === '{')) return undefined;
        if (c === '"' || c === "'" || c === '`') {
          let k = i + 1;
          while (k < text.length && text[k] !== c) k += c !== '`' && text[k] === '\\' ? 2 : 1;
          if (k >= text.length) return undefined;
          if (inBraces) current += text.slice(i, k + 1);
          else out += text.slice(i, k + 1);
          i = k;
        } else if (!inBraces && c === '{') {
          inBraces = true;
          current = '';
          matchers = [];
        } else if (inBraces && c === ',') {
          matchers.push(current.trim());
          current = '';
        } else if (inBraces && c === '}') {
          if (current.trim()) matchers.push(current.trim());
          out += `{${matchers.sort().join(',')}}`;
          inBraces = false;
        } else if (inBraces) current += c;
        else if (c === '(') out = out.replace(/[ \t\n\r]+$/, '') + c;
        else out += c;
      }
      return inBraces ? undefined : out;
    };
    let seed = 5;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pieces = ['x', '{', '}', ',', ' ', '"a,b"', "'}'", '`{`', 'le="0.5"', 'a!~"x"', '\\', '"', ')', '(', '\n', ' (', '\t', '"a "'];
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 14) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      expect({ text, got: withSortedMatchers(text) }).toEqual({ text, got: reference(text) });
    }
  });
});
