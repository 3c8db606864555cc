import { afterAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '@spoor/test-harness';
import { connectRedisKeyValue } from './redis-key-value.js';

const kv = await connectRedisKeyValue({ url: inject('redisUrl'), prefix: `${uniqueName('t')}:` });
afterAll(() => kv.close());

describe('Redis key-value (real redis-server)', () => {
  it('sets many keys only when absent, in one round trip', async () => {
    expect(await kv.ping()).toBe(true);
    expect(await kv.setManyIfAbsent(['a', 'b'], '1', 60_000)).toEqual([true, true]);
    expect(await kv.setManyIfAbsent(['b', 'c'], '1', 60_000)).toEqual([false, true]);
    expect(await kv.existsMany(['a', 'b', 'c', 'd'])).toEqual([true, true, true, false]);
  });

  it('expires keys after their ttl', async () => {
    await kv.set('short', 'v', 50);
    expect(await kv.get('short')).toBe('v');
    await new Promise((r) => setTimeout(r, 120));
    expect(await kv.get('short')).toBeNull();
  });

  it('increments atomically under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => kv.increment('counter', 2, 60_000)));
    expect(Math.max(...results)).toBe(100);
    expect(new Set(results).size).toBe(50);
  });

  it('keeps prefixes apart', async () => {
    const other = await connectRedisKeyValue({ url: inject('redisUrl'), prefix: `${uniqueName('u')}:` });
    await kv.set('shared-name', 'mine', 60_000);
    expect(await other.get('shared-name')).toBeNull();
    await other.close();
  });

  it('fails fast (instead of hanging) when Redis is unreachable', async () => {
    const dead = await connectRedisKeyValue({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    expect(await dead.ping()).toBe(false);
    await expect(dead.existsMany(['x'])).rejects.toThrow();
    await dead.close();
  });
});
