import { verifyPagerDutySignature } from './webhookSignature';

// Known HMAC-SHA256 answers (the RFC 2104 construction's usual test vectors), not computed here.
const FOX = 'The quick brown fox jumps over the lazy dog';
const FOX_WITH_KEY =
  'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
const EMPTY_WITH_EMPTY_KEY =
  'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad';

describe('verifyPagerDutySignature', () => {
  it('accepts the v1 HMAC-SHA256 hex of the raw body with the secret', () => {
    expect(verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY}`, ['key'])).toBe(
      true,
    );
    expect(
      verifyPagerDutySignature(Buffer.from(FOX, 'utf8'), `v1=${FOX_WITH_KEY}`, [
        'key',
      ]),
    ).toBe(true);
    expect(
      verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY.toUpperCase()}`, [
        'key',
      ]),
    ).toBe(true);
  });

  it('refuses another body, another secret or another signature', () => {
    expect(
      verifyPagerDutySignature(`${FOX}.`, `v1=${FOX_WITH_KEY}`, ['key']),
    ).toBe(false);
    expect(verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY}`, ['Key'])).toBe(
      false,
    );
    const flipped = `${FOX_WITH_KEY.slice(0, -1)}9`;
    expect(verifyPagerDutySignature(FOX, `v1=${flipped}`, ['key'])).toBe(false);
  });

  it('refuses a missing, empty or malformed header, and no secret', () => {
    expect(verifyPagerDutySignature(FOX, undefined, ['key'])).toBe(false);
    expect(verifyPagerDutySignature(FOX, '', ['key'])).toBe(false);
    expect(verifyPagerDutySignature(FOX, FOX_WITH_KEY, ['key'])).toBe(false);
    expect(
      verifyPagerDutySignature(FOX, `sha256=${FOX_WITH_KEY}`, ['key']),
    ).toBe(false);
    expect(
      verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY.slice(2)}`, ['key']),
    ).toBe(false);
    expect(verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY}00`, ['key'])).toBe(
      false,
    );
    expect(verifyPagerDutySignature(FOX, `v1=${'z'.repeat(64)}`, ['key'])).toBe(
      false,
    );
    expect(verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY}`, [])).toBe(false);
    expect(verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY}`, [''])).toBe(
      false,
    );
  });

  it('accepts any of several signatures while a secret is rotated', () => {
    // Old secret "key" signed FOX; a new secret signs too: both signatures are sent.
    const other = 'a'.repeat(64);
    const header = `v1=${other}, v1=${FOX_WITH_KEY}`;
    expect(verifyPagerDutySignature(FOX, header, ['new-secret', 'key'])).toBe(
      true,
    );
    expect(
      verifyPagerDutySignature(FOX, `v1=${FOX_WITH_KEY},v1=${other}`, ['key']),
    ).toBe(true);
    expect(verifyPagerDutySignature(FOX, header, ['new-secret'])).toBe(false);
    // A malformed entry does not spoil a valid one.
    expect(
      verifyPagerDutySignature(FOX, `v1=nonsense,v1=${FOX_WITH_KEY}`, ['key']),
    ).toBe(true);
  });

  it('checks an empty body like any other', () => {
    // HMAC-SHA256 of the empty message with key "x", computed once outside this code.
    const emptyWithX =
      'f27e6527d6b8408430a666b746070c307f542bb54ee7e6dcb303f3e52c0b09fb';
    expect(
      verifyPagerDutySignature(Buffer.alloc(0), `v1=${emptyWithX}`, ['x']),
    ).toBe(true);
    expect(verifyPagerDutySignature('', `v1=${emptyWithX}`, ['y'])).toBe(false);
    // The empty key is never used: a subscription always has a secret.
    expect(
      verifyPagerDutySignature('', `v1=${EMPTY_WITH_EMPTY_KEY}`, ['']),
    ).toBe(false);
  });
});
