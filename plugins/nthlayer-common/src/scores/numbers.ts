// Internal helpers of the score and portfolio maths (not exported from the package).

/** Rounds half up to `decimals` decimals; 15 significant digits first, so 1.005 rounds to 1.01. */
export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(Number((v * f).toPrecision(15))) / f;
}

/** A finite number (not null, NaN or ±Infinity). */
export const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** `1 SLO`, `2 SLOs`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The name part of an entity ref: `group:default/team-payments` → `team-payments`. */
export const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1).replace(/^[^:/]*:/, '');
