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
      const a = `sum(rate(m{${matchers.join(',')}}[5m])) > 0`;
      const b = `sum(rate(m{${shuffled.join(', ')}}[5m])) > 0`;
      expect(withSortedMatchers(a)).toBe(withSortedMatchers(b));
      expect(canonicalPromql(a)?.text).toBe(canonicalPromql(b)?.text);
    }
  });
});
