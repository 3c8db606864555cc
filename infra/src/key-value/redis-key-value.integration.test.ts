import { describe, expect, inject, it } from 'vitest';
import { uniqueName } from '@spoor/test-harness';
import { describeKeyValueContract } from './key-value-contract.js';
import { connectRedisKeyValue } from './redis-key-value.js';

// The harness's Redis: REDIS_URL when set (a shared instance: every store below has its own key prefix), else the
// one it started for this run.
const redisUrl = inject('redisUrl');

describeKeyValueContract(
  'Redis',
  redisUrl ? { open: () => connectRedisKeyValue({ url: redisUrl, prefix: `${uniqueName('kv')}:` }) } : { skip: 'no Redis: set REDIS_URL' },
);

describe.skipIf(!redisUrl)('Redis key-value (real redis-server)', () => {
  it('keeps prefixes apart', async () => {
    const mine = await connectRedisKeyValue({ url: redisUrl, prefix: `${uniqueName('t')}:` });
    const other = await connectRedisKeyValue({ url: redisUrl, prefix: `${uniqueName('u')}:` });
    await mine.set('shared-name', 'mine', 60_000);
    expect(await other.get('shared-name')).toBeNull();
    await Promise.all([mine.close(), other.close()]);
  });

  it('fails fast (instead of hanging) when Redis is unreachable', async () => {
    const dead = await connectRedisKeyValue({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    expect(await dead.ping()).toBe(false);
    await expect(dead.existsMany(['x'])).rejects.toThrow();
    await dead.close();
  });
});
