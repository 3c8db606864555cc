import { LRUCache } from 'lru-cache';
import type { KeyValue } from './key-value.js';

/** In-process KeyValue for the embedded default and unit tests. Bounded: the oldest keys go first. */
export function createMemoryKeyValue(options: { maxEntries?: number } = {}): KeyValue {
  const cache = new LRUCache<string, string>({ max: options.maxEntries ?? 1_000_000, ttlAutopurge: false });
  return {
    async get(key) {
      return cache.get(key) ?? null;
    },
    async set(key, value, ttlMs) {
      cache.set(key, value, { ttl: ttlMs });
    },
    async setManyIfAbsent(keys, value, ttlMs) {
      return keys.map((key) => {
        if (cache.has(key)) return false;
        cache.set(key, value, { ttl: ttlMs });
        return true;
      });
    },
    async existsMany(keys) {
      return keys.map((key) => cache.has(key));
    },
    async delete(keys) {
      for (const key of keys) cache.delete(key);
    },
    async increment(key, by, ttlMs) {
      const current = cache.get(key);
      const next = (current === undefined ? 0 : Number(current)) + by;
      if (current === undefined) cache.set(key, String(next), { ttl: ttlMs });
      else cache.set(key, String(next), { noUpdateTTL: true });
      return next;
    },
    async ping() {
      return true;
    },
    async close() {
      cache.clear();
    },
  };
}
