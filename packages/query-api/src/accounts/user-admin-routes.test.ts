import { describe, expect, it } from 'vitest';
import { accountTestApp, asUser, signIn } from './account-test-app.js';

const BASE = 'http://spoor.test';
const PASSWORD = 'correct horse battery';

async function setUp() {
  const t = accountTestApp();
  await t.addUser('owner@shop.example', PASSWORD, { owner: true });
  const amy = await t.addUser('amy@shop.example', PASSWORD, { roles: { shop_a: 'admin', shop_b: 'analyst' } });
  const sam = await t.addUser('sam@shop.example', PASSWORD, { roles: { shop_a: 'support' } });
  const both = await t.addUser('bea@shop.example', PASSWORD, { roles: { shop_a: 'analyst', shop_c: 'marketer' } });
  return { t, amy, sam, both, owner: await signIn(t.app, 'owner@shop.example', PASSWORD), admin: await signIn(t.app, 'amy@shop.example', PASSWORD), support: await signIn(t.app, 'sam@shop.example', PASSWORD) };
}

const call = async (t: { app: { request: (u: string, i: RequestInit) => Response | Promise<Response> } }, path: string, init: RequestInit) => {
  const res = await t.app.request(`${BASE}/api/v1${path}`, init);
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

describe('user administration', () => {
  it('the owner lists everyone; a site admin sees only users with roles on the sites they administer, and only those roles', async () => {
    const { t, owner, admin, support } = await setUp();
    const all = await call(t, '/admin/users', asUser(owner));
    expect(all.status).toBe(200);
    expect(all.body.users.map((u: { email: string }) => u.email)).toEqual(['owner@shop.example', 'amy@shop.example', 'sam@shop.example', 'bea@shop.example']);
    expect(JSON.stringify(all.body)).not.toMatch(/scrypt|password_hash|setup_token/);
    const mine = await call(t, '/admin/users?site=shop_a', asUser(admin));
    expect(mine.body.users.map((u: { email: string; roles: object }) => [u.email, u.roles])).toEqual([
      ['amy@shop.example', { shop_a: 'admin' }],
      ['sam@shop.example', { shop_a: 'support' }],
      ['bea@shop.example', { shop_a: 'analyst' }],
    ]);
    expect((await call(t, '/admin/users?site=shop_b', asUser(admin))).status).toBe(403);
    expect((await call(t, '/admin/users?site=shop_a', asUser(support))).status).toBe(403);
    expect((await call(t, '/admin/users', { headers: {} })).status).toBe(401);
  });

  it('a site admin creates users with roles only on sites they administer; the owner anywhere', async () => {
    const { t, owner, admin } = await setUp();
    const created = await call(t, '/admin/users', asUser(admin, { method: 'POST', body: { site: 'shop_a', email: ' New@Shop.Example', display_name: 'New', roles: { shop_a: 'marketer' } } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new@shop.example', display_name: 'New', has_password: false, roles: { shop_a: 'marketer' } });
    const foreign = await call(t, '/admin/users', asUser(admin, { method: 'POST', body: { site: 'shop_a', email: 'x@shop.example', roles: { shop_b: 'admin' } } }));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/roles\.shop_b/);
    expect((await call(t, '/admin/users', asUser(admin, { method: 'POST', body: { site: 'shop_a', email: 'y@shop.example' } }))).status).toBe(400);
    expect((await call(t, '/admin/users', asUser(owner, { method: 'POST', body: { email: 'new@shop.example' } }))).body.error.code).toBe('email_taken');
    expect((await call(t, '/admin/users', asUser(owner, { method: 'POST', body: { email: 'z@shop.example', roles: { shop_z: 'admin' } } }))).status).toBe(201);
    expect(t.audit.entries.filter((e) => e.action === 'user.create').map((e) => e.detail)).toEqual([{ 'role.shop_a': 'marketer' }, { 'role.shop_z': 'admin' }]);
  });

  it('a site admin changes roles on their sites, disables only users wholly within them, never touches the owner', async () => {
    const { t, owner, admin, sam, both } = await setUp();
    const ownerUser = (await t.userStore.list())[0]!;
    const promote = await call(t, `/admin/users/${sam.id}`, asUser(admin, { method: 'PATCH', body: { site: 'shop_a', roles: { shop_a: 'analyst' } } }));
    expect(promote).toMatchObject({ status: 200, body: { roles: { shop_a: 'analyst' } } });
    expect((await call(t, `/admin/users/${both.id}`, asUser(admin, { method: 'PATCH', body: { site: 'shop_a', disabled: true } }))).status).toBe(403);
    expect((await call(t, `/admin/users/${both.id}`, asUser(admin, { method: 'PATCH', body: { site: 'shop_a', roles: { shop_c: null } } }))).status).toBe(403);
    expect((await call(t, `/admin/users/${ownerUser.id}`, asUser(admin, { method: 'PATCH', body: { site: 'shop_a', roles: { shop_a: 'support' } } }))).status).toBe(403);
    const disabled = await call(t, `/admin/users/${sam.id}`, asUser(admin, { method: 'PATCH', body: { site: 'shop_a', disabled: true } }));
    expect(disabled.body.disabled).toBe(true);
    expect((await call(t, `/admin/users/${ownerUser.id}`, asUser(owner, { method: 'PATCH', body: { disabled: true } }))).status).toBe(400);
    expect((await call(t, '/admin/users/no-such-user', asUser(owner, { method: 'PATCH', body: { display_name: 'X' } }))).status).toBe(404);
    expect((await call(t, `/admin/users/${sam.id}`, asUser(owner, { method: 'PATCH', body: { roles: { shop_a: 'boss' } } }))).body.error.parameter).toBe('roles.shop_a');
  });

  it('a set-up link sets the password once, expires, and is stored only as a hash', async () => {
    const { t, owner } = await setUp();
    const created = await call(t, '/admin/users', asUser(owner, { method: 'POST', body: { email: 'new@shop.example', roles: { shop_a: 'analyst' } } }));
    const link = await call(t, `/admin/users/${created.body.id}/setup-link`, asUser(owner, { method: 'POST' }));
    expect(link.status).toBe(201);
    expect(link.body.link).toBe(`/app/setup#token=${link.body.token}`);
    const stored = await t.userStore.findById(created.body.id);
    expect(stored!.setupTokenHash).not.toContain(link.body.token);
    expect(stored!.setupTokenHash).toMatch(/^[0-9a-f]{64}$/);
    const json = { 'content-type': 'application/json' };
    const weak = await call(t, '/setup', { method: 'POST', headers: json, body: JSON.stringify({ token: link.body.token, password: 'short' }) });
    expect(weak.body.error.parameter).toBe('password');
    const done = await call(t, '/setup', { method: 'POST', headers: json, body: JSON.stringify({ token: link.body.token, password: 'my own long password' }) });
    expect(done).toMatchObject({ status: 200, body: { email: 'new@shop.example' } });
    const again = await call(t, '/setup', { method: 'POST', headers: json, body: JSON.stringify({ token: link.body.token, password: 'another long password' }) });
    expect(again.body.error.code).toBe('invalid_setup_token');
    await signIn(t.app, 'new@shop.example', 'my own long password');

    const late = await call(t, `/admin/users/${created.body.id}/setup-link`, asUser(owner, { method: 'POST' }));
    t.advance(73 * 3600_000);
    expect((await call(t, '/setup', { method: 'POST', headers: json, body: JSON.stringify({ token: late.body.token, password: 'another long password' }) })).body.error.code).toBe('invalid_setup_token');
  });
});
