import { Redis } from 'ioredis';
import type { KeyValue } from './key-value.js';

export interface RedisKeyValueOptions {
  url: string;
  /** Prefix for every key, so several Spoor installs can share one Redis. */
  prefix?: string;
  /** Fail a command after this many ms instead of queueing it while Redis is down. */
  commandTimeoutMs?: number;
}

/**
 * Connects before returning so the first commands do not fail; when Redis is down the returned adapter
 * still works in the sense that every command fails fast, which callers treat as "fail open".
 */
export async function connectRedisKeyValue(options: RedisKeyValueOptions): Promise<KeyValue & { redis: Redis }> {
  const kv = createRedisKeyValue(options);
  await kv.redis.connect().catch(() => undefined);
  return kv;
}

export function createRedisKeyValue(options: RedisKeyValueOptions): KeyValue & { redis: Redis } {
  const redis = new Redis(options.url, {
    keyPrefix: options.prefix ?? 'spoor:',
    commandTimeout: options.commandTimeoutMs ?? 1000,
    // Callers fail open when Redis is down: don't queue commands for a server that is gone.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => {
    // Reported through failing commands; an unhandled 'error' event would crash the process.
  });
  return {
    redis,
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, ttlMs) {
      await redis.set(key, value, 'PX', ttlMs);
    },
    async setManyIfAbsent(keys, value, ttlMs) {
      if (!keys.length) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.set(key, value, 'PX', ttlMs, 'NX');
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, res]) => {
        if (err) throw err;
        return res === 'OK';
      });
    },
    async existsMany(keys) {
      if (!keys.length) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.exists(key);
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, res]) => {
        if (err) throw err;
        return res === 1;
      });
    },
    async delete(keys) {
      if (keys.length) await redis.del(...keys);
    },
    async increment(key, by, ttlMs) {
      const [[incrErr, value] = [null, 0], [pexErr] = [null]] = ((await redis.multi().incrby(key, by).pexpire(key, ttlMs, 'NX').exec()) ?? []) as Array<[Error | null, unknown]>;
      if (incrErr) throw incrErr;
      if (pexErr) throw pexErr;
      return Number(value);
    },
    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
