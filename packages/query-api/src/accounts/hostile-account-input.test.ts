import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountTestApp, asUser, signIn } from './account-test-app.js';

const BASE = 'http://spoor.test';
const PASSWORD = 'correct horse battery';

/** Text no field accepts: NUL, a lone surrogate, or far more than any field's bound, anywhere in otherwise fine text. */
const hostileText = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'), fc.string({ maxLength: 20 })).map(([a, s, b]) => `${a}${s}${b}`),
  fc.integer({ min: 5_000, max: 15_000 }).map((n) => 'a'.repeat(n)),
);
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

describe('hostile input to the account routes', () => {
  it('sign-in: a bad email or password is a 400 naming the field, never a 500, never a session', async () => {
    const t = accountTestApp({ signInLimits: { perAccount: 1_000_000, perAddress: 1_000_000 } });
    await t.addUser('ann@shop.example', PASSWORD);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('email', 'password'), fc.oneof(hostileText, notAString), async (field, value) => {
        const body = { email: 'ann@shop.example', password: PASSWORD, [field]: value };
        const res = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(400);
        expect((await res.json()).error.parameter).toBe(field);
        expect(res.headers.getSetCookie()).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('user administration: a bad email or display name is a 400 naming the field and creates nobody', async () => {
    const t = accountTestApp();
    await t.addUser('owner@shop.example', PASSWORD, { owner: true });
    const owner = await signIn(t.app, 'owner@shop.example', PASSWORD);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('email', 'display_name'), fc.oneof(hostileText, notAString), async (field, value) => {
        const body = { email: 'new@shop.example', display_name: 'New', [field]: value };
        const res = await t.app.request(`${BASE}/api/v1/admin/users`, asUser(owner, { method: 'POST', body }));
        expect(res.status).toBe(400);
        expect((await res.json()).error.parameter).toBe(field);
      }),
      { numRuns: 60 },
    );
    expect(await t.userStore.count()).toBe(1);
  });

  it('a password change with a hostile new password is a 400 naming new_password and changes nothing', async () => {
    const t = accountTestApp();
    await t.addUser('ann@shop.example', PASSWORD);
    const s = await signIn(t.app, 'ann@shop.example', PASSWORD);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText, notAString), async (value) => {
        const res = await t.app.request(`${BASE}/api/v1/session/password`, asUser(s, { method: 'POST', body: { current_password: PASSWORD, new_password: value } }));
        expect(res.status).toBe(400);
        expect((await res.json()).error.parameter).toBe('new_password');
      }),
      { numRuns: 40 },
    );
    await signIn(t.app, 'ann@shop.example', PASSWORD);
  });

  it('a body over 16 KiB is a 413 before it is read; a non-object body a 400 naming body', async () => {
    const t = accountTestApp();
    const huge = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(20_000) }) });
    expect(huge.status).toBe(413);
    const list = await t.app.request(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect((await list.json()).error.parameter).toBe('body');
  });
});
