/** How many characters of user input messages and findings echo by default. @public */
export const MESSAGE_INPUT_MAX = 120;

/**
 * Cuts user input for an error message or finding: at most `max` characters, then `…` and
 * the original length, so a 5,000-character value costs ~150 characters in a response.
 *
 * @remarks
 * Never splits a surrogate pair. Input of at most `max` characters is returned unchanged.
 *
 * @example
 * `cutForMessage('x'.repeat(5000), 10)` is `xxxxxxxxxx… (5000 characters)`.
 *
 * @public
 */
export function cutForMessage(value: string, max: number = MESSAGE_INPUT_MAX): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max);
  const last = value.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}… (${value.length} characters)`;
}
