import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CLICK_TOKEN_TTL_MS,
  DEFAULT_OPEN_TOKEN_TTL_MS,
  signClickToken,
  signIdentityToken,
  signOpenToken,
  verifyClickToken,
  verifyIdentityToken,
  verifyOpenToken,
  type LinkKeyring,
} from './link-token.js';

const GLOBAL = ['global-secret-0123456789-abcdefghijklmnop'];
const SHOP_KEYS: LinkKeyring = { site: [{ keyId: 'k2', secret: 'shop-key-two-0123456789-abcdefghijklmnopq' }, { keyId: 'k1', secret: 'shop-key-one-0123456789-abcdefghijklmnopq' }], fallback: GLOBAL };
const T0 = 1_763_800_000_000;
const DAY = 86_400_000;
const click = { siteId: 'shop', customerId: 'cust-1', campaignId: 'c1', targetUrl: 'https://shop.example/', issuedAt: T0 };

/** A token as the collector made it before expiries existed: `iat` only, global secret. */
function legacyToken(payload: object, secret = GLOBAL[0]!): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('link tokens: expiry', () => {
  it('click and open tokens carry their expiry (defaults 90 days and a year) and are refused after it', () => {
    const c = signClickToken(click, GLOBAL);
    expect(verifyClickToken(c, GLOBAL, T0 + DEFAULT_CLICK_TOKEN_TTL_MS)?.expiresAt).toBe(T0 + 90 * DAY);
    expect(verifyClickToken(c, GLOBAL, T0 + DEFAULT_CLICK_TOKEN_TTL_MS + 1)).toBeUndefined();
    const o = signOpenToken(click, GLOBAL);
    expect(verifyOpenToken(o, GLOBAL, T0 + 365 * DAY)?.expiresAt).toBe(T0 + DEFAULT_OPEN_TOKEN_TTL_MS);
    expect(verifyOpenToken(o, GLOBAL, T0 + 365 * DAY + 1)).toBeUndefined();
    const short = signClickToken({ ...click, ttlMs: 1000 }, GLOBAL);
    expect(verifyClickToken(short, GLOBAL, T0 + 1001)).toBeUndefined();
  });

  it('a token made before expiries existed (iat only) expires at iat + the default lifetime: one from 2001 is refused', () => {
    const issued2001 = Date.UTC(2001, 0, 1);
    const old = legacyToken({ k: 'click', s: 'shop', u: 'cust-1', c: 'c1', t: 'https://shop.example/', iat: issued2001 });
    expect(verifyClickToken(old, GLOBAL, issued2001 + DAY)).toMatchObject({ customerId: 'cust-1' });
    expect(verifyClickToken(old, GLOBAL, T0)).toBeUndefined();
    const recent = legacyToken({ k: 'open', s: 'shop', u: 'cust-1', c: 'c1', iat: T0 });
    expect(verifyOpenToken(recent, GLOBAL, T0 + 30 * DAY)).toMatchObject({ expiresAt: T0 + DEFAULT_OPEN_TOKEN_TTL_MS });
  });
});

describe('link tokens: canonical signatures', () => {
  const token = signClickToken(click, GLOBAL);
  const [body, sig] = token.split('.') as [string, string];

  it.each([
    ['padding', `${token}=`],
    ['two padding characters', `${token}==`],
    ['characters outside the alphabet', `${body}.${sig.slice(0, 10)}!!${sig.slice(10)}`],
    ['an asterisk', `${body}.${sig}*`],
    ['a trailing space', `${token} `],
    ['a line break inside', `${body}.${sig.slice(0, 20)}\n${sig.slice(20)}`],
    ['a padded body', `${body}=.${sig}`],
    ['a third part', `${token}.x`],
  ])('refuses %s', (_name, mutated) => {
    expect(verifyClickToken(mutated, GLOBAL, T0)).toBeUndefined();
  });

  it('refuses flipped spare bits in the last character (decodes to the same bytes, is not the text issued)', () => {
    // 32 bytes → 43 characters; the last carries 4 data bits and 2 spare bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1)!);
    const variants = [1, 2, 3].map((spare) => `${body}.${sig.slice(0, -1)}${alphabet[(last & ~3) | spare]}`).filter((t) => t !== token);
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) {
      expect(Buffer.from(v.split('.')[1]!, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
      expect(verifyClickToken(v, GLOBAL, T0)).toBeUndefined();
    }
  });

  it('any change to a genuine token is refused (generated mutations)', () => {
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'ABCXYZabcxyz0189-_=.!*+/ \u0000é'), (at, ch) => {
        const mutated = token.slice(0, at) + ch + token.slice(at + 1);
        fc.pre(mutated !== token);
        expect(verifyClickToken(mutated, GLOBAL, T0)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('link tokens: per-site keys', () => {
  it('the newest site key signs and names itself; older keys still verify; retired (absent) keys do not', () => {
    const t = signClickToken(click, SHOP_KEYS);
    expect(JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()).kid).toBe('k2');
    expect(verifyClickToken(t, SHOP_KEYS, T0)).toMatchObject({ siteId: 'shop' });
    const byOld = signClickToken(click, { site: [SHOP_KEYS.site[1]!], fallback: GLOBAL });
    expect(verifyClickToken(byOld, SHOP_KEYS, T0)).toBeDefined();
    // k1 retired: the site's keyring no longer holds it
    expect(verifyClickToken(byOld, { site: [SHOP_KEYS.site[0]!], fallback: GLOBAL }, T0)).toBeUndefined();
  });

  it('a key id selects exactly one key: an unknown id, another site\'s key or the global secret under a key id are refused', () => {
    const otherSite = { site: [{ keyId: 'k2', secret: 'other-site-key-0123456789-abcdefghijklmn' }], fallback: GLOBAL };
    expect(verifyClickToken(signClickToken(click, otherSite), SHOP_KEYS, T0)).toBeUndefined();
    const unknownId = { site: [{ keyId: 'k9', secret: SHOP_KEYS.site[0]!.secret }], fallback: GLOBAL };
    expect(verifyClickToken(signClickToken(click, unknownId), SHOP_KEYS, T0)).toBeUndefined();
    const globalUnderKid = { site: [{ keyId: 'k2', secret: GLOBAL[0]! }], fallback: GLOBAL };
    expect(verifyClickToken(signClickToken(click, globalUnderKid), SHOP_KEYS, T0)).toBeUndefined();
  });

  it('the global secret stays the fallback: tokens without a key id verify for a site that has keys of its own', () => {
    expect(verifyClickToken(signClickToken(click, GLOBAL), SHOP_KEYS, T0)).toMatchObject({ customerId: 'cust-1' });
    expect(verifyClickToken(signClickToken(click, GLOBAL), { site: [], fallback: ['another-global-secret-0123456789-abcdefg'] }, T0)).toBeUndefined();
  });

  it('identity tokens carry a random id and expire', () => {
    const a = signIdentityToken({ siteId: 'shop', customerId: 'c', expiresAt: T0 + 1000 }, SHOP_KEYS);
    const b = signIdentityToken({ siteId: 'shop', customerId: 'c', expiresAt: T0 + 1000 }, SHOP_KEYS);
    expect(verifyIdentityToken(a, SHOP_KEYS, T0)?.tokenId).not.toBe(verifyIdentityToken(b, SHOP_KEYS, T0)?.tokenId);
    expect(verifyIdentityToken(a, SHOP_KEYS, T0 + 1001)).toBeUndefined();
  });
});
