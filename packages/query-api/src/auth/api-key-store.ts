import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { QueryRunner } from '../clickhouse/query-runner.js';

export interface ApiKeyRecord {
  keyId: string;
  siteIds: string[];
  /** Stored scopes; absent or empty: a key from before scopes (read as LEGACY_KEY_SCOPES, keys/key-scopes.ts). */
  scopes?: string[];
}

/** Where secret API keys are looked up, by the SHA-256 of the key (the key itself is never stored). */
export interface ApiKeyStore {
  findByHash(sha256Hex: string): Promise<ApiKeyRecord | undefined>;
  /** Drops what is remembered of this key, so a revocation or rotation bites on the next request (keys/key-admin.ts). */
  forget?(keyId: string): void;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

// FINAL before WHERE: a revoked or rotated key's newest row wins, so its old hash no longer matches.
const FIND_KEY_SQL = `
SELECT key_id, site_ids, scopes
FROM {db:Identifier}.api_keys FINAL
WHERE key_sha256 = {hash:String} AND NOT revoked
LIMIT 1`;

export interface ClickHouseApiKeyStoreOptions {
  /** How long a lookup (hit or miss) is reused; also how long a revocation made by another process takes to bite. */
  cacheTtlMs?: number;
  cacheMax?: number;
}

/** Reads the api_keys table; results are cached briefly so a dashboard's burst of requests costs one lookup. */
export function createClickHouseApiKeyStore(runner: QueryRunner, options: ClickHouseApiKeyStoreOptions = {}): ApiKeyStore {
  const cache = new LRUCache<string, { record: ApiKeyRecord | null }>({ max: options.cacheMax ?? 1000, ttl: options.cacheTtlMs ?? 30_000 });
  // Concurrent misses of one key share one lookup: when the entry expires under twenty parallel requests, embedded
  // chDB (one statement at a time) would otherwise queue twenty identical lookups.
  const inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  // A lookup that started before a forget() may have read the row as it was: it answers its callers but is not cached.
  let generation = 0;
  const lookup = async (hash: string) => {
    const startedIn = generation;
    const rows = await runner.rows<{ key_id: string; site_ids: string[]; scopes: string[] }>(FIND_KEY_SQL, { hash });
    const row = rows[0];
    const record = row ? { keyId: row.key_id, siteIds: row.site_ids, scopes: row.scopes } : null;
    if (startedIn === generation) cache.set(hash, { record });
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
    forget(keyId) {
      generation += 1;
      inflight.clear();
      for (const [hash, { record }] of cache.entries()) if (record?.keyId === keyId) cache.delete(hash);
    },
  };
}
