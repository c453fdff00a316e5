/** True when every own key of `value` holds a string (and it inherits no enumerable key). */
function allStrings(value: object): boolean {
  for (const k in value) if (!Object.hasOwn(value, k) || typeof (value as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

/**
 * A label or annotation map as strings. A map that holds strings already (as Prometheus sends
 * them, as the generators write them) is returned itself, not copied: drift only reads them.
 * Otherwise the string values are kept (`stringify` turns the others into strings, or they
 * are dropped).
 */
export function stringMap(value: unknown, stringify?: (v: unknown) => string): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  if (!Array.isArray(value) && allStrings(value)) return value as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (stringify) out[k] = stringify(v);
  }
  return out;
}
