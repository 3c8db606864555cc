import { describe, expect, it } from 'vitest';
import { accountTestApp, asUser, cookiePair, signIn } from './account-test-app.js';

const BASE = 'http://spoor.test';
const PASSWORD = 'correct horse battery';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/ and neither Secure nor __Host- over plain http', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const res = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((h) => h.includes('spoor_session='))!;
    expect(cookie).toMatch(/^spoor_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('is Secure with the __Host- prefix over https, and behind a trusted proxy saying https', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const https = await signIn(t.app, 'ann@shop.example', PASSWORD, 'https://spoor.test');
    expect(https.cookie).toMatch(/^__Host-spoor_session=/);
    const proxied = accountTestApp({ cookie: { trustForwardedProto: true } });
    await proxied.addUser('ann@shop.example', PASSWORD);
    const res = await proxied.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(res.headers.getSetCookie().join()).toMatch(/__Host-spoor_session=.*Secure/);
    // Not trusted: the header is ignored.
    const untrusted = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(cookiePair(untrusted)).toMatch(/^spoor_session=/);
  });

  it('over https a plain (non-__Host-) cookie is not accepted', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const plain = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const res = await t.app.request('https://spoor.test/api/v1/session', { headers: { cookie: plain.cookie } });
    expect(res.status).toBe(401);
  });
});

describe('who am I', () => {
  it('GET /session answers the user, roles per site and the CSRF token; 401 without a cookie', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD, { roles: { shop_a: 'analyst', shop_b: 'support' } });
    const s = await signIn(t.app, 'Ann@Shop.Example ', PASSWORD);
    const res = await t.app.request(`${BASE}/api/v1/session`, asUser(s));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ user: { email: 'ann@shop.example', owner: false }, csrf_token: s.csrf });
    expect(body.sites).toEqual([{ site: 'shop_a', role: 'analyst' }, { site: 'shop_b', role: 'support' }]);
    expect((await t.app.request(`${BASE}/api/v1/session`)).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing cookie request without the token, with a wrong one, or from a foreign origin', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    for (const init of [asUser(s, { method: 'DELETE', csrf: null }), asUser(s, { method: 'DELETE', csrf: 'x'.repeat(43) }), asUser(s, { method: 'DELETE', origin: 'https://evil.example' })]) {
      const res = await t.app.request(`${BASE}/api/v1/session`, init);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf');
    }
    const crossSite = asUser(s, { method: 'DELETE' });
    (crossSite.headers as Record<string, string>)['sec-fetch-site'] = 'cross-site';
    expect((await t.app.request(`${BASE}/api/v1/session`, crossSite)).status).toBe(403);
    // Still signed in after all of them.
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(200);
    // Same origin with the token: accepted.
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s, { method: 'DELETE', origin: BASE }))).status).toBe(204);
  });

  it("another session's token does not pass", async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    await t.addUser('bob@shop.example', PASSWORD);
    const ann = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const bob = await signIn(t.app, 'bob@shop.example', PASSWORD);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(ann, { method: 'DELETE', csrf: bob.csrf }))).status).toBe(403);
  });

  it('a cross-origin sign-in (login CSRF) is refused', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const res = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(res.status).toBe(403);
  });
});

describe('session lifetime', () => {
  it('sign-in issues a new id, and the id the browser came with is dropped (fixation)', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const first = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const res = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: first.cookie }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(res.status).toBe(200);
    expect(cookiePair(res)).not.toBe(first.cookie);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(first))).status).toBe(401);
    // A planted id that was never issued is not adopted either.
    const planted = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `spoor_session=${'A'.repeat(43)}` }, body: JSON.stringify({ email: 'ann@shop.example', password: PASSWORD }) });
    expect(cookiePair(planted)).not.toBe(`spoor_session=${'A'.repeat(43)}`);
  });

  it('sign-out ends the session on the server: the old cookie no longer works', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const out = await t.app.request(`${BASE}/api/v1/session`, asUser(s, { method: 'DELETE' }));
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/spoor_session=;.*Max-Age=0/);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(401);
    expect(t.audit.entries.map((e) => e.action)).toEqual(['session.sign_in', 'session.sign_out']);
  });

  it('ends after the idle timeout without requests, and a request restarts the idle timer', async () => {
    const t = accountTestApp({ sessions: { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 } });
    await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    t.advance(29 * 60_000);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(200);
    t.advance(29 * 60_000);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(200);
    t.advance(30 * 60_000);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(401);
  });

  it('ends at the absolute timeout however busy it is', async () => {
    const t = accountTestApp({ sessions: { idleMs: 30 * 60_000, absoluteMs: 2 * 3600_000 } });
    await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    for (let i = 0; i < 7; i++) {
      t.advance(15 * 60_000);
      expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(200);
    }
    t.advance(15 * 60_000);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(401);
  });

  it('a password change ends the other sessions, keeps this one under a new id; the old password stops working', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const laptop = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const phone = await signIn(t.app, 'ann@shop.example', PASSWORD);
    const wrong = await t.app.request(`${BASE}/api/v1/session/password`, asUser(laptop, { method: 'POST', body: { current_password: 'not it at all', new_password: 'a new long password' } }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.parameter).toBe('current_password');
    const res = await t.app.request(`${BASE}/api/v1/session/password`, asUser(laptop, { method: 'POST', body: { current_password: PASSWORD, new_password: 'a new long password' } }));
    expect(res.status).toBe(200);
    const renewed = { cookie: cookiePair(res), csrf: (await res.json()).csrf_token };
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(phone))).status).toBe(401);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(laptop))).status).toBe(401);
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(renewed))).status).toBe(200);
    await expect(signIn(t.app, 'ann@shop.example', PASSWORD)).rejects.toThrow(/401/);
    await signIn(t.app, 'ann@shop.example', 'a new long password');
  });

  it('disabling a user ends their sessions at the next request', async () => {
    const t = accountTestApp();
    const ann = await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    await t.userStore.update(ann.id, { disabled: true });
    expect((await t.app.request(`${BASE}/api/v1/session`, asUser(s))).status).toBe(401);
  });
});

describe('sign-in answers', () => {
  const attempt = (t: ReturnType<typeof accountTestApp>, email: string, password: string, address = '192.0.2.1') =>
    t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-address': address }, body: JSON.stringify({ email, password }) });

  it('an unknown email, a wrong password, a disabled user and a user without a password get the same answer', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    await t.addUser('dis@shop.example', PASSWORD, { disabled: true });
    await t.userStore.create({ email: 'new@shop.example', displayName: 'New' });
    const answers = [];
    for (const [email, password] of [['nobody@shop.example', PASSWORD], ['ann@shop.example', 'wrong password!'], ['dis@shop.example', PASSWORD], ['new@shop.example', PASSWORD]] as const) {
      const res = await attempt(t, email, password, email);
      answers.push({ status: res.status, body: await res.text(), cookie: res.headers.getSetCookie().length });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 401, body: JSON.stringify({ error: { code: 'invalid_credentials', message: 'email or password is wrong' } }), cookie: 0 });
    expect(t.audit.entries.filter((e) => e.action === 'session.sign_in_failed')).toHaveLength(4);
  });

  it('brute force on one account is slowed to 429 with Retry-After, also for the right password, until the window ends', async () => {
    const t = accountTestApp({ signInLimits: { perAccount: 5, perAddress: 1000, windowMs: 15 * 60_000 } });
    await t.addUser('ann@shop.example', PASSWORD);
    for (let i = 0; i < 5; i++) expect((await attempt(t, 'ann@shop.example', `guess number ${i}`, `198.51.100.${i}`)).status).toBe(401);
    const locked = await attempt(t, 'ann@shop.example', PASSWORD, '203.0.113.9');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await locked.json()).error.code).toBe('too_many_sign_in_attempts');
    // Unknown emails are braked the same way (the brake reveals nothing).
    for (let i = 0; i < 5; i++) await attempt(t, 'ghost@shop.example', 'whatever pw', `198.51.100.${i}`);
    expect((await attempt(t, 'ghost@shop.example', 'whatever pw')).status).toBe(429);
    t.advance(15 * 60_000);
    expect((await attempt(t, 'ann@shop.example', PASSWORD)).status).toBe(200);
  });

  it('one address trying many accounts is slowed to 429', async () => {
    const t = accountTestApp({ signInLimits: { perAccount: 100, perAddress: 3 } });
    for (let i = 0; i < 3; i++) expect((await attempt(t, `user${i}@shop.example`, 'some password', '203.0.113.7')).status).toBe(401);
    expect((await attempt(t, 'user9@shop.example', 'some password', '203.0.113.7')).status).toBe(429);
    expect((await attempt(t, 'user9@shop.example', 'some password', '203.0.113.8')).status).toBe(401);
  });

  it('more concurrent sign-ins than hashing slots and queue are refused with 503 and Retry-After, not queued without bound', async () => {
    const t = accountTestApp({ hashing: { concurrent: 1, queued: 1 }, signInLimits: { perAccount: 1000, perAddress: 1000 } });
    const results = await Promise.all(Array.from({ length: 6 }, async (_, i) => attempt(t, `u${i}@shop.example`, 'some password')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
    expect(statuses).toContain(503);
    const busy = results.find((r) => r.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('1');
  });
});
