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
  /** Honour Sec-GPC: 1 for this site (default true; an existing site keeps its setting unless this is given). */
  honourGpc?: boolean;
}

const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const token = (prefix: string, bytes: number) => `${prefix}_${randomBytes(bytes).toString('base64url')}`;

/**
 * Creates (or updates) a site and issues a new write key and a new secret API key for it.
 * Existing keys of the site keep working: sites are ReplacingMergeTree rows, the newest wins.
 */
export async function createSiteKeys(client: ClickHouseClient, database: string, spec: SiteSpec): Promise<CreatedKeys> {
  return (await createSite(client, database, spec)).keys;
}

/** An origin exactly as a browser sends it in `Origin` (scheme://host[:port], no path, no trailing slash), or `*`. */
export function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** createSiteKeys, also answering the origins the site now allows (given, or kept from the existing site). */
export async function createSite(client: ClickHouseClient, database: string, spec: SiteSpec): Promise<{ keys: CreatedKeys; allowedOrigins: string[] }> {
  if (!SITE_ID.test(spec.siteId)) throw new Error(`invalid --site: ${JSON.stringify(spec.siteId)} (accepted: lowercase letters, digits, - and _, at most 63)`);
  const existing = await (
    await client.query({
      query: 'SELECT write_key, allowed_origins, allowed_redirect_hosts, name, honour_gpc, retention_days FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}',
      query_params: { db: database, site: spec.siteId },
      format: 'JSONEachRow',
    })
  ).json<{ write_key: string; allowed_origins: string[]; allowed_redirect_hosts: string[]; name: string; honour_gpc: boolean | number; retention_days: number }>();
  const current = existing[0];
  const writeKey = current?.write_key || token('wk', 18);
  const allowedOrigins = spec.allowedOrigins ?? current?.allowed_origins ?? [];
  await client.insert({
    table: `${database}.sites`,
    format: 'JSONEachRow',
    values: [
      {
        site_id: spec.siteId,
        name: spec.name ?? current?.name ?? spec.siteId,
        write_key: writeKey,
        allowed_origins: allowedOrigins,
        allowed_redirect_hosts: spec.allowedRedirectHosts ?? current?.allowed_redirect_hosts ?? [],
        honour_gpc: spec.honourGpc ?? (current ? Boolean(current.honour_gpc) : true),
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
  return { keys: { siteId: spec.siteId, writeKey, apiKey, apiKeyId }, allowedOrigins };
}

export interface LinkKeyInfo {
  siteId: string;
  keyId: string;
  createdAt: string;
  retired: boolean;
}

async function requireSite(client: ClickHouseClient, database: string, siteId: string): Promise<void> {
  if (!SITE_ID.test(siteId)) throw new Error(`invalid --site: ${JSON.stringify(siteId)} (accepted: lowercase letters, digits, - and _, at most 63)`);
  const rows = await (
    await client.query({ query: 'SELECT 1 FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}', query_params: { db: database, site: siteId }, format: 'JSONEachRow' })
  ).json();
  if (!rows.length) throw new Error(`no site "${siteId}": create it first (spoor keys create --site ${siteId})`);
}

/**
 * Adds a signing key for the site's email links (table site_link_keys, migration 0330). From the moment collectors
 * see it (their site cache, 60 s by default) it signs the site's new links; older keys keep verifying the links they
 * signed until retired. The secret is never printed: `spoor email-links` signs with it.
 */
export async function createLinkKey(client: ClickHouseClient, database: string, siteId: string): Promise<LinkKeyInfo> {
  await requireSite(client, database, siteId);
  const keyId = `lk_${randomBytes(6).toString('hex')}`;
  const createdAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  await client.insert({
    table: `${database}.site_link_keys`,
    format: 'JSONEachRow',
    values: [{ site_id: siteId, key_id: keyId, secret: randomBytes(32).toString('base64url'), retired: false, created_at: createdAt, updated_at: createdAt }],
  });
  return { siteId, keyId, createdAt, retired: false };
}

/** Retires a key: links it signed stop verifying (within the collectors' site cache TTL). Irreversible by design. */
export async function retireLinkKey(client: ClickHouseClient, database: string, siteId: string, keyId: string): Promise<LinkKeyInfo> {
  const keys = await listLinkKeys(client, database, siteId, { withSecrets: true });
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) throw new Error(`site "${siteId}" has no link key "${keyId}"`);
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  await client.insert({
    table: `${database}.site_link_keys`,
    format: 'JSONEachRow',
    values: [{ site_id: siteId, key_id: keyId, secret: key.secret, retired: true, created_at: key.createdAt, updated_at: now }],
  });
  return { siteId, keyId, createdAt: key.createdAt, retired: true };
}

/** The site's link keys, newest first, as the collector reads them (the newest row of each key wins). */
export async function listLinkKeys(
  client: ClickHouseClient,
  database: string,
  siteId: string,
  options: { withSecrets?: boolean } = {},
): Promise<Array<LinkKeyInfo & { secret: string }>> {
  await requireSite(client, database, siteId);
  const rows = await (
    await client.query({
      query: `SELECT key_id, argMax(secret, updated_at) AS key_secret, argMax(retired, updated_at) AS is_retired, toString(min(created_at)) AS created
        FROM {db:Identifier}.site_link_keys WHERE site_id = {site:String} GROUP BY key_id ORDER BY created DESC, key_id DESC`,
      query_params: { db: database, site: siteId },
      format: 'JSONEachRow',
    })
  ).json<{ key_id: string; key_secret: string; is_retired: boolean | number; created: string }>();
  return rows.map((r) => ({ siteId, keyId: r.key_id, createdAt: r.created, retired: Boolean(r.is_retired), secret: options.withSecrets ? r.key_secret : '' }));
}
