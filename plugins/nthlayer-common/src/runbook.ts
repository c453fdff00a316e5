/** Longest runbook URL NthLayer accepts, in characters. @public */
export const RUNBOOK_URL_MAX_LENGTH = 2048;

/** What `nthlayer.dev/runbook-url` (and a service file's runbook) accepts. @public */
export const ACCEPTED_RUNBOOK_URL = `one http(s) URL of at most ${RUNBOOK_URL_MAX_LENGTH} characters without spaces, e.g. https://runbooks.example.com/checkout-api`;

// Whitespace and C0/C1 controls: the WHATWG URL parser silently drops tabs and newlines, so
// they are rejected before parsing rather than smuggled into generated annotations.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPACE_OR_CONTROL = /[\s\x00-\x1f\x7f-\x9f]/;

/**
 * Validates a runbook base URL: one absolute http(s) URL with a host, at most
 * {@link RUNBOOK_URL_MAX_LENGTH} characters, no whitespace or control characters.
 *
 * @returns the trimmed URL, or undefined when it is not acceptable.
 * @public
 */
export function parseRunbookUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > RUNBOOK_URL_MAX_LENGTH) return undefined;
  if (SPACE_OR_CONTROL.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  return text;
}
