import { checkRe2 } from './re2Syntax';

describe('checkRe2', () => {
  it.each([
    '(?i)foo',
    '\\d+\\s*\\w',
    '[[:alpha:]][[:^digit:]]',
    '(?P<name>a)',
    'a{1000}',
    'a{2,}b{,3}',
    '\\p{Greek}\\pN\\PL',
    '\\A\\z\\b\\B',
    '\\Qa.b\\E',
    '(?m)^a$',
    '(?U)a+?',
    '(?i-s:a)(?)',
    '\\x{41}\\x41\\012\\0',
    '\\/\\-\\.',
    '[\\d-z]',
    '[]a]',
    'a|',
    '()',
    '[^\\x00-\\x{10FFFF}]',
  ])('accepts %s', re => {
    expect(checkRe2(re).error).toBeUndefined();
  });

  it.each([
    ['(?<x>a)', 'invalid or unsupported Perl syntax'],
    ['(?=a)', 'invalid or unsupported Perl syntax'],
    ['(?x)a', 'invalid or unsupported Perl syntax'],
    ['(?-)a', 'invalid or unsupported Perl syntax'],
    ['(a)\\1', 'invalid escape sequence'],
    ['\\8', 'invalid escape sequence'],
    ['\\Z', 'invalid escape sequence'],
    ['\\C', 'invalid escape sequence'],
    ['\\e', 'invalid escape sequence'],
    ['a{1001}', 'invalid repeat count'],
    ['x{2,1}', 'invalid repeat count'],
    ['x*+', 'invalid nested repetition operator'],
    ['a{2}{3}', 'invalid nested repetition operator'],
    ['*', 'missing argument to repetition operator'],
    ['{1}', 'missing argument to repetition operator'],
    ['[z-a]', 'invalid character class range'],
    ['[[:foo:]]', 'invalid character class range'],
    ['[]', 'missing closing ]'],
    ['(', 'missing closing )'],
    ['a)(b', 'unexpected )'],
    ['\\Qa', 'missing closing )'],
    ['a\\', 'missing closing )'], // Go compiles ^(?:a\)$ first
  ])('rejects %s (%s)', (re, message) => {
    expect(checkRe2(re).error).toContain(message);
  });

  it.each([
    ['', true],
    ['.*', true],
    ['a?', true],
    ['a|', true],
    ['^$', true],
    ['(a|b)*', true],
    ['x{0}', true],
    ['(?i)', true],
    ['\\Q\\E', true],
    ['\\B', true],
    ['.+', false],
    ['\\b', false],
    ['x{1,2}', false],
    ['[a-z]', false],
    ['\\Qa\\E', false],
  ])('tells whether %s matches the empty string (%s)', (re, empty) => {
    expect(checkRe2(re).matchesEmpty).toBe(empty);
  });
});
