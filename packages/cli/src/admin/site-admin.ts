import { randomBytes, createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';

export interface CreatedKeys {
  siteId: string;
  /** Public: goes into the storefront snippet. */
  writeKey: string;
  /** Secret: Bearer token for the query API, shown once (only its SHA-256 is stored). */
  apiKey: string;
  apiKeyId: string;
}

export interface SiteSpec {
  siteId: string;
  name?: string;
  allowedOrigins?: string[];
  allowedRedirectHosts?: string[];
}

const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const token = (prefix: string, bytes: number) => `${prefix}_${randomBytes(bytes).toString('base64url')}`;

/**
 * Creates (or updates) a site and issues a new write key and a new secret API key for it.
 * Existing keys of the site keep working: sites are ReplacingMergeTree rows, the newest wins.
 */
export async function createSiteKeys(client: ClickHouseClient, database: string, spec: SiteSpec): Promise<CreatedKeys> {
  if (!SITE_ID.test(spec.siteId)) throw new Error(`invalid --site: ${JSON.stringify(spec.siteId)} (accepted: lowercase letters, digits, - and _, at most 63)`);
  const existing = await (
    await client.query({
      query: 'SELECT write_key, allowed_origins, allowed_redirect_hosts, name, retention_days FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}',
      query_params: { db: database, site: spec.siteId },
      format: 'JSONEachRow',
    })
  ).json<{ write_key: string; allowed_origins: string[]; allowed_redirect_hosts: string[]; name: string; retention_days: number }>();
  const current = existing[0];
  const writeKey = current?.write_key || token('wk', 18);
  await client.insert({
    table: `${database}.sites`,
    format: 'JSONEachRow',
    values: [
      {
        site_id: spec.siteId,
        name: spec.name ?? current?.name ?? spec.siteId,
        write_key: writeKey,
        allowed_origins: spec.allowedOrigins ?? current?.allowed_origins ?? [],
        allowed_redirect_hosts: spec.allowedRedirectHosts ?? current?.allowed_redirect_hosts ?? [],
        // The newest row wins: carry the site's retention over (spoor retention set).
        retention_days: current?.retention_days ?? 0,
      },
    ],
  });
  const apiKey = token('sk', 24);
  const apiKeyId = `key_${randomBytes(6).toString('hex')}`;
  await client.insert({
    table: `${database}.api_keys`,
    format: 'JSONEachRow',
    values: [{ key_id: apiKeyId, key_sha256: createHash('sha256').update(apiKey, 'utf8').digest('hex'), site_ids: [spec.siteId], name: `cli ${new Date().toISOString()}` }],
  });
  return { siteId: spec.siteId, writeKey, apiKey, apiKeyId };
}
