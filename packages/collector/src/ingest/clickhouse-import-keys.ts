import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { LRUCache } from 'lru-cache';
import { effectiveScopes, type ImportKeyIdentity } from '@spoor/infra';
import type { ImportAuthenticator } from './import-route.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Checks the secret API keys of POST /v1/import against the store's api_keys table (by SHA-256, and with the same
 * scopes, as the query API does: infra/clickhouse migrations own the table), so every collector entry point has /v1/import, not only `spoor`.
 * Hits and misses are cached 30 s: a revocation takes that long to bite, and a backfill costs one lookup.
 */
export function createClickHouseImportAuthenticator(client: ClickHouseClient, database: string, options: { cacheTtlMs?: number } = {}): ImportAuthenticator {
  if (!IDENTIFIER.test(database)) throw new Error(`ClickHouse database name "${database}" is not a plain identifier`);
  const cache = new LRUCache<string, { identity: ImportKeyIdentity | null }>({ max: 1000, ttl: options.cacheTtlMs ?? 30_000 });
  return async (apiKey) => {
    const hash = createHash('sha256').update(apiKey, 'utf8').digest('hex');
    const cached = cache.get(hash);
    if (cached) return cached.identity ?? undefined;
    const result = await client.query({
      query: 'SELECT key_id, site_ids, scopes FROM {db:Identifier}.api_keys FINAL WHERE key_sha256 = {hash:String} AND NOT revoked LIMIT 1',
      query_params: { db: database, hash },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ key_id: string; site_ids: string[]; scopes: string[] }>();
    // Scopes read as the query API reads them (a key from before scopes: the legacy scopes, which include import).
    const identity = row ? { keyId: row.key_id, siteIds: row.site_ids, scopes: effectiveScopes(row.scopes) } : null;
    cache.set(hash, { identity });
    return identity ?? undefined;
  };
}
