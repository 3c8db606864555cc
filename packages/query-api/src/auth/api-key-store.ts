import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { QueryRunner } from '../clickhouse/query-runner.js';

export interface ApiKeyRecord {
  keyId: string;
  siteIds: string[];
}

/** Where secret API keys are looked up, by the SHA-256 of the key (the key itself is never stored). */
export interface ApiKeyStore {
  findByHash(sha256Hex: string): Promise<ApiKeyRecord | undefined>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const FIND_KEY_SQL = `
SELECT key_id, site_ids
FROM {db:Identifier}.api_keys FINAL
WHERE key_sha256 = {hash:String} AND NOT revoked
LIMIT 1`;

export interface ClickHouseApiKeyStoreOptions {
  /** How long a lookup (hit or miss) is reused; also how long a revocation takes to bite. */
  cacheTtlMs?: number;
  cacheMax?: number;
}

/** Reads the api_keys table; results are cached briefly so a dashboard's burst of requests costs one lookup. */
export function createClickHouseApiKeyStore(runner: QueryRunner, options: ClickHouseApiKeyStoreOptions = {}): ApiKeyStore {
  const cache = new LRUCache<string, { record: ApiKeyRecord | null }>({ max: options.cacheMax ?? 1000, ttl: options.cacheTtlMs ?? 30_000 });
  // Concurrent misses of one key share one lookup: when the entry expires under twenty parallel requests, embedded
  // chDB (one statement at a time) would otherwise queue twenty identical lookups.
  const inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  const lookup = async (hash: string) => {
    const rows = await runner.rows<{ key_id: string; site_ids: string[] }>(FIND_KEY_SQL, { hash });
    const row = rows[0];
    const record = row ? { keyId: row.key_id, siteIds: row.site_ids } : null;
    cache.set(hash, { record });
    return record;
  };
  return {
    async findByHash(hash) {
      const cached = cache.get(hash);
      if (cached) return cached.record ?? undefined;
      let pending = inflight.get(hash);
      if (!pending) {
        pending = lookup(hash).finally(() => inflight.delete(hash));
        inflight.set(hash, pending);
      }
      return (await pending) ?? undefined;
    },
  };
}
