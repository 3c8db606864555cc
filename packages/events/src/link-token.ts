/**
 * Email-click landing token: the collector signs it into the landing URL of an email click, the page's
 * `identify` call carries it as `props.traits.identityToken`, and the processor verifies it before it links
 * the visitor's anonymous id to the customer. Both sides share one secret (env `SPOOR_LINK_SECRET`).
 *
 * Format: `<base64url(JSON {c: customerId, s: siteId, e: expiryMs})>.<base64url(HMAC-SHA256(secret, payloadPart))>`.
 * Verification also accepts the collector's identity payload (`{k: "identity", s: siteId, u: customerId, c?: campaignId,
 * exp: expiryMs}`, landing parameter `spoor_it`), so either signer's tokens link identities.
 * Web Crypto keeps this module isomorphic (Node ≥ 20 and browsers), so the contract package stays importable everywhere.
 */

export interface LinkTokenClaims {
  customerId: string;
  siteId: string;
  /** Epoch ms after which the token is refused. */
  expiresAt: number;
}

export type LinkTokenVerification = { ok: true; claims: LinkTokenClaims } | { ok: false; error: string };

/** Longest token accepted; bounded before any decoding or hashing. */
export const MAX_LINK_TOKEN_LENGTH = 1024;

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    if (keyCache.size > 16) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function signLinkToken(claims: LinkTokenClaims, secret: string): Promise<string> {
  if (!secret) throw new Error('signLinkToken: empty secret');
  const payload = toBase64Url(encoder.encode(JSON.stringify({ c: claims.customerId, s: claims.siteId, e: claims.expiresAt })));
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(payload)));
  return `${payload}.${toBase64Url(signature)}`;
}

/** Checks the signature (constant time, by Web Crypto), the shape and the expiry; never throws. */
export async function verifyLinkToken(token: unknown, secretOrSecrets: string | readonly string[], now: number = Date.now()): Promise<LinkTokenVerification> {
  // Several secrets verify during a rotation; any one of them may have signed.
  const secrets = (typeof secretOrSecrets === 'string' ? [secretOrSecrets] : [...secretOrSecrets]).filter(Boolean);
  if (!secrets.length) return { ok: false, error: 'no link secret configured' };
  if (typeof token !== 'string' || !token || token.length > MAX_LINK_TOKEN_LENGTH) return { ok: false, error: 'token: missing or too long' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, error: 'token: expected <payload>.<signature>' };
  const signatureBytes = fromBase64Url(signature);
  if (!signatureBytes) return { ok: false, error: 'token: signature is not base64url' };
  let valid = false;
  for (const secret of secrets) {
    if (await crypto.subtle.verify('HMAC', await hmacKey(secret), signatureBytes, encoder.encode(payload))) {
      valid = true;
      break;
    }
  }
  if (!valid) return { ok: false, error: 'token: bad signature' };
  const payloadBytes = fromBase64Url(payload);
  let parsed: unknown;
  try {
    parsed = payloadBytes ? JSON.parse(new TextDecoder().decode(payloadBytes)) : null;
  } catch {
    parsed = null;
  }
  const fields = (parsed ?? {}) as { c?: unknown; s?: unknown; e?: unknown; k?: unknown; u?: unknown; exp?: unknown };
  const collectorShape = fields.k === 'identity';
  const c = collectorShape ? fields.u : fields.c;
  const s = fields.s;
  const e = collectorShape ? fields.exp : fields.e;
  if (typeof c !== 'string' || !c || c.length > 128 || typeof s !== 'string' || !s || s.length > 128 || typeof e !== 'number' || !Number.isFinite(e)) {
    return { ok: false, error: 'token: payload must be {c: customerId, s: siteId, e: expiryMs}' };
  }
  if (e < now) return { ok: false, error: 'token: expired' };
  return { ok: true, claims: { customerId: c, siteId: s, expiresAt: e } };
}
