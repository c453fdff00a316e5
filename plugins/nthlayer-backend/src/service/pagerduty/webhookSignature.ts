import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies the `X-PagerDuty-Signature` header of a PagerDuty v3 webhook delivery.
 *
 * PagerDuty signs the raw request body with HMAC-SHA256, keyed with the webhook
 * subscription's secret, and sends `v1=<lower-case hex digest>`. While a secret is being
 * rotated the header carries several signatures separated by commas
 * (`v1=<hex>,v1=<hex>`); the delivery is genuine when any `v1` signature matches any of
 * `secrets`. Other versions than `v1` are ignored (none is defined today).
 *
 * Assumptions (PagerDuty's "Verifying Signatures" page; not part of the REST OpenAPI file):
 * the signed bytes are the body exactly as received (verify before parsing JSON); the
 * digest is hex; whitespace around the comma-separated entries is tolerated.
 *
 * Comparisons are timing-safe. False for a missing, empty or malformed header, when no
 * secret is configured, and for a signature of the wrong length.
 *
 * @public
 */
export function verifyPagerDutySignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: string[],
): boolean {
  if (typeof header !== 'string' || header.trim() === '') return false;
  const usable = secrets.filter(s => typeof s === 'string' && s.length > 0);
  if (usable.length === 0) return false;
  const signatures: Buffer[] = [];
  for (const entry of header.split(',')) {
    const match = /^\s*v1=([0-9a-fA-F]{64})\s*$/.exec(entry);
    if (match) signatures.push(Buffer.from(match[1].toLowerCase(), 'hex'));
  }
  if (signatures.length === 0) return false;
  const body =
    typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  let valid = false;
  // Every pair is compared (no early exit), so the time taken does not tell which matched.
  for (const secret of usable) {
    const expected = createHmac('sha256', secret).update(body).digest();
    for (const signature of signatures) {
      if (
        signature.length === expected.length &&
        timingSafeEqual(signature, expected)
      )
        valid = true;
    }
  }
  return valid;
}

// Kept next to the signature check, where the webhook route needs both.
export { parsePagerDutyWebhook } from './webhookPayload';
export type {
  PagerDutyWebhookEvent,
  PagerDutyWebhookIncident,
} from './webhookPayload';
