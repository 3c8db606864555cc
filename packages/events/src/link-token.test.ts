import { describe, expect, it } from 'vitest';
import { signLinkToken, verifyLinkToken } from './link-token.js';

const secret = 'test-secret-of-reasonable-length';
const claims = { customerId: 'cust-42', siteId: 'site-1', expiresAt: 2_000_000_000_000 };

describe('link token', () => {
  it('round-trips claims signed with the shared secret', async () => {
    const token = await signLinkToken(claims, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyLinkToken(token, secret, 1_900_000_000_000)).toEqual({ ok: true, claims });
  });

  it('matches the documented format: base64url JSON payload, HMAC-SHA256 over the payload part', async () => {
    const token = await signLinkToken(claims, secret);
    const [payload] = token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual({ c: 'cust-42', s: 'site-1', e: 2_000_000_000_000 });
    const { createHmac } = await import('node:crypto');
    expect(token.split('.')[1]).toBe(createHmac('sha256', secret).update(payload!).digest('base64url'));
  });

  it('refuses a wrong secret, a tampered payload, an expired token and garbage', async () => {
    const token = await signLinkToken(claims, secret);
    expect(await verifyLinkToken(token, 'other-secret', 0)).toEqual({ ok: false, error: 'token: bad signature' });
    const forged = Buffer.from(JSON.stringify({ c: 'admin', s: 'site-1', e: 2_000_000_000_000 })).toString('base64url');
    expect(await verifyLinkToken(`${forged}.${token.split('.')[1]}`, secret, 0)).toEqual({ ok: false, error: 'token: bad signature' });
    expect(await verifyLinkToken(token, secret, 2_000_000_000_001)).toEqual({ ok: false, error: 'token: expired' });
    expect((await verifyLinkToken('x'.repeat(5000), secret)).ok).toBe(false);
    expect((await verifyLinkToken('a.b.c', secret)).ok).toBe(false);
    expect((await verifyLinkToken(42, secret)).ok).toBe(false);
    expect((await verifyLinkToken(token, '')).ok).toBe(false);
  });

  it("also verifies the collector's identity payload and any of several secrets", async () => {
    const { createHmac } = await import('node:crypto');
    const body = Buffer.from(JSON.stringify({ k: 'identity', s: 'site-1', u: 'cust-7', c: 'camp-1', exp: 2_000_000_000_000 })).toString('base64url');
    const token = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    expect(await verifyLinkToken(token, ['rotated-new-secret', secret], 0)).toEqual({ ok: true, claims: { customerId: 'cust-7', siteId: 'site-1', expiresAt: 2_000_000_000_000 } });
    const open = Buffer.from(JSON.stringify({ k: 'open', s: 'site-1', u: 'cust-7', c: 'camp-1', iat: 1 })).toString('base64url');
    expect((await verifyLinkToken(`${open}.${createHmac('sha256', secret).update(open).digest('base64url')}`, secret, 0)).ok).toBe(false);
  });
});
