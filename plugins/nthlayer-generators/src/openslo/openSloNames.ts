/**
 * Names and label values in the shapes the OpenSLO v1 schema accepts.
 */

const NAME_MAX = 255;
const LABEL_MAX = 63;

/**
 * An OpenSLO `metadata.name`: lower case, `[a-z0-9]` at both ends, `.`, `-`, `/`, `|`
 * inside. Backstage names may carry upper case and `_`, which are mapped to lower case and `-`.
 */
export function openSloName(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, NAME_MAX)
    .replace(/[^a-z0-9]+$/, '');
}

/** A label value the schema accepts (letters, digits, `.`, `_`, `-`; at most 63), or undefined. */
export function openSloLabelValue(value: string): string | undefined {
  const cleaned = value
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, LABEL_MAX)
    .replace(/[^a-zA-Z0-9]+$/, '');
  return cleaned.length > 0 ? cleaned : undefined;
}

/** Labels with the values that cannot be expressed dropped. */
export function openSloLabels(
  labels: Record<string, string>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const cleaned = openSloLabelValue(value);
    if (cleaned) result[key] = cleaned;
  }
  return result;
}

/**
 * The time zone as the schema's pattern wants it (`Area/Location`): `UTC` and `GMT` become
 * `Etc/UTC`. Returns undefined for zones the schema cannot express (e.g. `EST5EDT`).
 */
export function openSloTimeZone(zone: string): string | undefined {
  if (/^(UTC|GMT|Z|Etc\/UTC|Etc\/GMT|Universal|Zulu)$/i.test(zone))
    return 'Etc/UTC';
  return /[A-Z][a-zA-Z_]+\/[A-Z][a-zA-Z_]+/.test(zone) ? zone : undefined;
}
