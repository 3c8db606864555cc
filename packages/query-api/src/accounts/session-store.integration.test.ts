import { randomBytes } from 'node:crypto';
import { connectRedisKeyValue, type KeyValue } from '@spoor/infra';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSessionStore, sessionKeyOf } from './session-store.js';

// Real Redis (REDIS_URL, or the one the test infra starts — hence inject(), never process.env, which is unset on a fresh
// machine): sessions shared by several API instances live there.
describe('sessions in Redis', () => {
  let kv: KeyValue;
  const keyPrefix = `spoor-test:${randomBytes(6).toString('hex')}:session:`;
  beforeAll(async () => {
    kv = await connectRedisKeyValue({ url: inject('redisUrl') });
  });
  afterAll(async () => {
    await kv.close();
  });

  it('stores only the hash of the id, reads it from another store instance, and deletes it on sign-out', async () => {
    let clock = new Date('2026-06-01T10:00:00Z');
    const a = createSessionStore({ kv, keyPrefix, now: () => clock });
    const b = createSessionStore({ kv, keyPrefix, now: () => clock });
    const { id } = await a.create('user-1', 0);
    expect(await kv.get(`${keyPrefix}${id}`)).toBeNull();
    expect(JSON.parse((await kv.get(`${keyPrefix}${sessionKeyOf(id)}`))!)).toMatchObject({ userId: 'user-1' });
    expect((await b.read(id))?.record.userId).toBe('user-1');
    clock = new Date(clock.getTime() + b.idleMs);
    expect(await b.read(id)).toBeUndefined();
    const second = await a.create('user-1', 0);
    await b.delete(second.id);
    expect(await a.read(second.id)).toBeUndefined();
    expect(await kv.get(`${keyPrefix}${sessionKeyOf(second.id)}`)).toBeNull();
  });
});
