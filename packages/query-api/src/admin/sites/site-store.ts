import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { applyRetention, appliedDefaultDays, DEFAULT_RETENTION_DAYS, LEGACY_KEY_SCOPES } from '@spoor/infra';
import { createClickHouseKeyAdmin } from '../../keys/key-admin.js';
import { SITE_ID, SITE_ID_RULE, type CreateSiteBody, type SiteSettingsPatch, type SiteView } from './site-settings.js';

/**
 * Sites, their secret API keys and their email-link signing keys in ClickHouse: the one implementation behind the
 * admin API (admin/sites/site-routes.ts) and the `spoor` CLI when no server owns the data dir. Callers validate input
 * with site-settings.ts first; the checks here are the last line, not the user-facing one.
 */

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

/** Where sites live, and the cluster retention changes are applied on (a ClickHouse server cluster; absent otherwise). */
export interface SiteStore {
  client: ClickHouseClient;
  database: string;
  cluster?: string | undefined;
}

const token = (prefix: string, bytes: number) => `${prefix}_${randomBytes(bytes).toString('base64url')}`;

export { isOrigin } from './site-settings.js';

/**
 * Creates (or updates) a site and issues a new write key and a new secret API key for it.
 * Existing keys of the site keep working: sites are ReplacingMergeTree rows, the newest wins.
 */
export async function createSiteKeys(client: ClickHouseClient, database: string, spec: SiteSpec): Promise<CreatedKeys> {
  return (await createSite(client, database, spec)).keys;
}

interface SiteRow {
  site_id: string;
  name: string;
  write_key: string;
  allowed_origins: string[];
  allowed_redirect_hosts: string[];
  retention_days: number;
  honour_gpc: boolean | number;
}

const SITE_COLUMNS = 'site_id, name, write_key, allowed_origins, allowed_redirect_hosts, retention_days, honour_gpc';
const toView = (r: SiteRow): SiteView => ({
  site: r.site_id,
  name: r.name,
  write_key: r.write_key,
  allowed_origins: r.allowed_origins,
  allowed_redirect_hosts: r.allowed_redirect_hosts,
  retention_days: Number(r.retention_days),
  honour_gpc: Boolean(r.honour_gpc),
});

/** The sites, by id; only those in `only` when given (the sites a principal may administer). */
export async function listSites(client: ClickHouseClient, database: string, only?: readonly string[]): Promise<SiteView[]> {
  const rows = await (
    await client.query({
      query: `SELECT ${SITE_COLUMNS} FROM {db:Identifier}.sites FINAL ${only ? 'WHERE site_id IN {only:Array(String)}' : ''} ORDER BY site_id`,
      query_params: { db: database, ...(only ? { only: [...only] } : {}) },
      format: 'JSONEachRow',
    })
  ).json<SiteRow>();
  return rows.map(toView);
}

export async function readSite(client: ClickHouseClient, database: string, siteId: string): Promise<SiteView | undefined> {
  return (await listSites(client, database, [siteId]))[0];
}

/** createSiteKeys, also answering the origins the site now allows (given, or kept from the existing site). */
export async function createSite(client: ClickHouseClient, database: string, spec: SiteSpec): Promise<{ keys: CreatedKeys; allowedOrigins: string[] }> {
  if (!SITE_ID.test(spec.siteId)) throw new Error(`invalid --site: ${JSON.stringify(spec.siteId)} (accepted: ${SITE_ID_RULE})`);
  const current = await readSite(client, database, spec.siteId);
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
        honour_gpc: spec.honourGpc ?? current?.honour_gpc ?? true,
        // The newest row wins: carry the site's retention over (spoor retention set).
        retention_days: current?.retention_days ?? 0,
      },
    ],
  });
  const { apiKey, apiKeyId } = await issueSiteKey(client, database, spec.siteId);
  return { keys: { siteId: spec.siteId, writeKey, apiKey, apiKeyId }, allowedOrigins };
}

/**
 * A new site's first secret API key, with the legacy scopes (docs/admin.md). Issued by KeyAdmin.create, the one way
 * keys are made; the secret is returned once, only its SHA-256 is stored.
 */
export async function issueSiteKey(client: ClickHouseClient, database: string, siteId: string, createdBy = 'cli'): Promise<{ apiKey: string; apiKeyId: string }> {
  const key = await createClickHouseKeyAdmin({ client, database }).create({ siteIds: [siteId], scopes: [...LEGACY_KEY_SCOPES], createdBy });
  return { apiKey: key.secret, apiKeyId: key.keyId };
}

/**
 * A new site with the given settings (defaults: its id as name, no origins, GPC honoured, the deployment retention).
 * Answers undefined when the site exists: creating never overwrites (PATCH changes a site).
 */
export async function createNewSite(store: SiteStore, body: CreateSiteBody): Promise<SiteView | undefined> {
  if (await readSite(store.client, store.database, body.site)) return undefined;
  await store.client.insert({
    table: `${store.database}.sites`,
    format: 'JSONEachRow',
    values: [
      {
        site_id: body.site,
        name: body.name ?? body.site,
        write_key: token('wk', 18),
        allowed_origins: body.allowed_origins ?? [],
        allowed_redirect_hosts: body.allowed_redirect_hosts ?? [],
        honour_gpc: body.honour_gpc ?? true,
        retention_days: body.retention_days ?? 0,
      },
    ],
  });
  if (body.retention_days) await reapplyRetention(store);
  return readSite(store.client, store.database, body.site);
}

/**
 * Changes the given settings of an existing site (undefined: no such site). The newest sites row wins, so the row is
 * copied whole with only the changed columns replaced: columns other features add stay as they are. A retention
 * change is applied to the stored data before this returns (docs/retention.md).
 */
export async function updateSite(store: SiteStore, siteId: string, patch: SiteSettingsPatch): Promise<SiteView | undefined> {
  const { client, database } = store;
  if (!(await readSite(client, database, siteId))) return undefined;
  // Fixed column names and typed parameters only: no value is ever spliced into the statement.
  const replace: string[] = ['greatest(now64(3), updated_at + toIntervalMillisecond(1)) AS updated_at'];
  const params: Record<string, unknown> = { db: database, site: siteId };
  if (patch.name !== undefined) {
    replace.push('{name:String} AS name');
    params.name = patch.name;
  }
  if (patch.allowed_origins !== undefined) {
    replace.push('{origins:Array(String)} AS allowed_origins');
    params.origins = patch.allowed_origins;
  }
  if (patch.allowed_redirect_hosts !== undefined) {
    replace.push('{hosts:Array(String)} AS allowed_redirect_hosts');
    params.hosts = patch.allowed_redirect_hosts;
  }
  if (patch.retention_days !== undefined) {
    replace.push('{days:UInt16} AS retention_days');
    params.days = patch.retention_days;
  }
  if (patch.honour_gpc !== undefined) {
    replace.push('{gpc:Bool} AS honour_gpc');
    params.gpc = patch.honour_gpc;
  }
  await client.command({
    query: `INSERT INTO {db:Identifier}.sites SELECT * REPLACE (${replace.join(', ')}) FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}`,
    query_params: params,
  });
  if (patch.retention_days !== undefined) await reapplyRetention(store);
  return readSite(client, database, siteId);
}

/** Rewrites the tables' TTL for the sites' retention, keeping the deployment default the services last applied. */
async function reapplyRetention(store: SiteStore): Promise<void> {
  const defaultDays = (await appliedDefaultDays(store.client, store.database)) ?? DEFAULT_RETENTION_DAYS;
  await applyRetention(store.client, { database: store.database, ...(store.cluster ? { cluster: store.cluster } : {}), defaultDays });
}

export interface LinkKeyInfo {
  siteId: string;
  keyId: string;
  createdAt: string;
  retired: boolean;
}

async function requireSite(client: ClickHouseClient, database: string, siteId: string): Promise<void> {
  if (!SITE_ID.test(siteId)) throw new Error(`invalid --site: ${JSON.stringify(siteId)} (accepted: ${SITE_ID_RULE})`);
  if (!(await readSite(client, database, siteId))) throw new Error(`no site "${siteId}": create it first (spoor sites create --site ${siteId})`);
}

/**
 * Adds a signing key for the site's email links (table site_link_keys, migration 0330). From the moment collectors
 * see it (their site cache, 60 s by default) it signs the site's new links; older keys keep verifying the links they
 * signed until retired — rotation without breaking mails already sent. The secret is never printed.
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
