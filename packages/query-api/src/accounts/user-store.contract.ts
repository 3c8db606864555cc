import { expect, it } from 'vitest';
import { EmailTakenError } from './account-errors.js';
import type { UserStore } from './user-store.js';

/** What every UserStore adapter does; run by memory-user-store.test.ts and clickhouse-user-store.integration.test.ts. */
export function userStoreContract(makeStore: () => Promise<UserStore>) {
  it('creates users with no password, finds them by id and email, counts and lists them oldest first', async () => {
    const store = await makeStore();
    expect(await store.count()).toBe(0);
    const ann = await store.create({ email: 'ann@shop.example', displayName: 'Ann', owner: true });
    const bob = await store.create({ email: 'bob@shop.example', displayName: 'Bob' });
    expect(ann).toMatchObject({ email: 'ann@shop.example', displayName: 'Ann', owner: true, disabled: false, passwordHash: '', credentialGeneration: 0 });
    expect(bob.owner).toBe(false);
    expect(await store.findById(bob.id)).toMatchObject({ id: bob.id, email: 'bob@shop.example', displayName: 'Bob' });
    expect((await store.findByEmail('ann@shop.example'))?.id).toBe(ann.id);
    expect(await store.findByEmail('nobody@shop.example')).toBeUndefined();
    expect(await store.findById('no-such-id')).toBeUndefined();
    expect(await store.count()).toBe(2);
    expect((await store.list()).map((u) => u.email)).toEqual(['ann@shop.example', 'bob@shop.example']);
  });

  it('refuses a second user with the same email, also when two creations race', async () => {
    const store = await makeStore();
    await store.create({ email: 'ann@shop.example', displayName: 'Ann' });
    await expect(store.create({ email: 'ann@shop.example', displayName: 'Other' })).rejects.toBeInstanceOf(EmailTakenError);
    const both = await Promise.allSettled([store.create({ email: 'cy@shop.example', displayName: 'A' }), store.create({ email: 'cy@shop.example', displayName: 'B' })]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store.count()).toBe(2);
  });

  it('updates keep the id, email and creation time, and the last write wins', async () => {
    const store = await makeStore();
    const ann = await store.create({ email: 'ann@shop.example', displayName: 'Ann' });
    const first = await store.update(ann.id, { displayName: 'Ann A.', passwordHash: 'scrypt$x' });
    const second = await store.update(ann.id, { disabled: true, credentialGeneration: 3 });
    expect(second!.version).toBeGreaterThan(first!.version);
    const stored = await store.findById(ann.id);
    expect(stored).toMatchObject({ id: ann.id, email: 'ann@shop.example', displayName: 'Ann A.', passwordHash: 'scrypt$x', disabled: true, credentialGeneration: 3 });
    expect(stored!.createdAt.getTime()).toBe(ann.createdAt.getTime());
    expect(await store.count()).toBe(1);
    expect(await store.update('no-such-id', { disabled: true })).toBeUndefined();
  });

  it('finds a user by set-up token hash and never by the empty hash', async () => {
    const store = await makeStore();
    const ann = await store.create({ email: 'ann@shop.example', displayName: 'Ann' });
    expect(await store.findBySetupTokenHash('')).toBeUndefined();
    await store.update(ann.id, { setupTokenHash: 'ab'.repeat(32), setupTokenExpiresAt: 1_900_000_000_000 });
    expect(await store.findBySetupTokenHash('ab'.repeat(32))).toMatchObject({ id: ann.id, setupTokenExpiresAt: 1_900_000_000_000 });
    await store.update(ann.id, { setupTokenHash: '', setupTokenExpiresAt: 0 });
    expect(await store.findBySetupTokenHash('ab'.repeat(32))).toBeUndefined();
  });

  it('sets, changes and removes roles per site', async () => {
    const store = await makeStore();
    const ann = await store.create({ email: 'ann@shop.example', displayName: 'Ann' });
    const bob = await store.create({ email: 'bob@shop.example', displayName: 'Bob' });
    expect(await store.rolesOf(ann.id)).toEqual({});
    await store.setRoles(ann.id, { shop_a: 'analyst', shop_b: 'support' });
    await store.setRoles(bob.id, { shop_a: 'admin' });
    await store.setRoles(ann.id, { shop_a: 'marketer', shop_b: null });
    expect(await store.rolesOf(ann.id)).toEqual({ shop_a: 'marketer' });
    const all = await store.allRoles();
    expect(all.get(ann.id)).toEqual({ shop_a: 'marketer' });
    expect(all.get(bob.id)).toEqual({ shop_a: 'admin' });
  });
}
