import { describe, expect, it } from 'vitest';
import { accountTestApp, signIn } from './account-test-app.js';
import { ensureFirstOwner } from './ensure-first-owner.js';

describe('ensureFirstOwner', () => {
  it('creates the owner and prints a one-time set-up link once; the link sets the password and the owner signs in', async () => {
    const t = accountTestApp();
    const lines: string[] = [];
    const id = await ensureFirstOwner({ userStore: t.userStore, publicUrl: 'http://localhost:8080', print: (l) => lines.push(l) });
    expect(id).toBeDefined();
    expect(await t.userStore.findById(id!)).toMatchObject({ email: 'owner@localhost', owner: true, passwordHash: '' });
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(lines.join('\n'))?.[1];
    expect(lines.join('\n')).toContain('http://localhost:8080/app/setup#token=');
    expect(await ensureFirstOwner({ userStore: t.userStore, print: (l) => lines.push(`again ${l}`) })).toBeUndefined();
    expect(lines.some((l) => l.startsWith('again'))).toBe(false);
    const res = await t.app.request('http://spoor.test/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: 'owner password 1' }) });
    expect(res.status).toBe(200);
    const s = await signIn(t.app, 'owner@localhost', 'owner password 1');
    expect(s.body).toMatchObject({ user: { email: 'owner@localhost', owner: true } });
  });

  it('takes the owner email from an option', async () => {
    const t = accountTestApp();
    await ensureFirstOwner({ userStore: t.userStore, email: 'boss@shop.example', print: () => undefined });
    expect((await t.userStore.list()).map((u) => [u.email, u.owner])).toEqual([['boss@shop.example', true]]);
  });
});
