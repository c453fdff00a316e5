import { cutForMessage } from './text';

describe('cutForMessage', () => {
  it('returns input of at most max characters unchanged', () => {
    expect(cutForMessage('abc', 3)).toBe('abc');
    expect(cutForMessage('x'.repeat(120))).toBe('x'.repeat(120));
  });

  it('cuts longer input, adds … and the original length', () => {
    expect(cutForMessage('abcdef', 3)).toBe('abc… (6 characters)');
    expect(cutForMessage('x'.repeat(5000))).toBe(`${'x'.repeat(120)}… (5000 characters)`);
  });

  it('never splits a surrogate pair', () => {
    const cut = cutForMessage('ab😀cd', 3);
    expect(cut).toBe('ab… (6 characters)');
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
