import { stringMap } from './stringMaps';

describe('stringMap', () => {
  it('returns a map of strings itself, not a copy', () => {
    const labels = { service: 'x', severity: 'page' };
    expect(stringMap(labels)).toBe(labels);
    expect(stringMap(labels, String)).toBe(labels);
  });

  it('copies a map with other values: drops them, or turns them into strings when asked', () => {
    const mixed = { a: 'x', b: 5, c: true, d: null };
    expect(stringMap(mixed)).toEqual({ a: 'x' });
    expect(stringMap(mixed, String)).toEqual({ a: 'x', b: '5', c: 'true', d: 'null' });
    expect(stringMap(mixed)).not.toBe(mixed);
  });

  it('copies a map that inherits enumerable keys (only its own are kept)', () => {
    const inherited = Object.assign(Object.create({ extra: 'y' }), { a: 'x' });
    const out = stringMap(inherited);
    expect(out).not.toBe(inherited);
    expect(out).toEqual({ a: 'x' });
  });

  it('is empty for what is not a map', () => {
    for (const v of [undefined, null, 'x', 3]) expect(stringMap(v)).toEqual({});
  });
});
