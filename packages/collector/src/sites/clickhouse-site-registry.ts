import type { ClickHouseClient } from '@clickhouse/client';
import { linkKeySchema, siteSchema, type Site, type SiteRegistry } from './site-registry.js';

interface SiteRow {
  site_id: string;
  name: string;
  write_key: string;
  allowed_origins: string[];
  allowed_redirect_hosts: string[];
  honour_gpc: boolean | number;
  link_keys: Array<[string, string]>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Sites from the ClickHouse table `sites` (infra/clickhouse/0006_sites_and_keys.sql). A ReplacingMergeTree:
 * FINAL so an updated row wins over the one it replaced. Values travel as `{name:Type}` parameters; the
 * database name is an identifier and is checked against a strict pattern instead.
 */
export function createClickHouseSiteRegistry(client: ClickHouseClient, database: string): SiteRegistry {
  if (!IDENTIFIER.test(database)) throw new Error(`ClickHouse database name "${database}" is not a plain identifier`);
  // The site's link keys still verifying, newest first (the first signs): the newest row of each key wins, then the
  // retired ones are left out. One query with the site, so a cached site carries its keys (retiring a key takes
  // effect within the cache's TTL).
  const keys = `SELECT site_id, arrayMap(x -> (x.2, x.3), arrayReverseSort(groupArray((created, key_id, key_secret)))) AS link_keys FROM (
      SELECT site_id, key_id, argMax(secret, updated_at) AS key_secret, argMax(retired, updated_at) AS is_retired, min(created_at) AS created
      FROM ${database}.site_link_keys GROUP BY site_id, key_id HAVING NOT is_retired
    ) GROUP BY site_id`;
  const select = `SELECT s.site_id AS site_id, s.name AS name, s.write_key AS write_key, s.allowed_origins AS allowed_origins,
      s.allowed_redirect_hosts AS allowed_redirect_hosts, s.honour_gpc AS honour_gpc, k.link_keys AS link_keys
    FROM (SELECT * FROM ${database}.sites FINAL WHERE {where}) AS s LEFT JOIN (${keys}) AS k ON k.site_id = s.site_id`;

  async function one(where: string, params: Record<string, string>): Promise<Site | undefined> {
    const result = await client.query({ query: `${select.replace('{where}', where)} LIMIT 1`, query_params: params, format: 'JSONEachRow' });
    const [row] = await result.json<SiteRow>();
    if (!row) return undefined;
    const parsed = siteSchema.safeParse({
      siteId: row.site_id,
      name: row.name,
      writeKey: row.write_key,
      allowedOrigins: row.allowed_origins,
      allowedRedirectHosts: row.allowed_redirect_hosts,
      honourGpc: Boolean(row.honour_gpc),
      // A malformed key row (inserted by hand) is left out rather than costing the site its traffic.
      linkKeys: (row.link_keys ?? [])
        .map(([keyId, secret]) => ({ keyId, secret }))
        .filter((k) => linkKeySchema.safeParse(k).success)
        .slice(0, 100),
    });
    // A malformed row (say, an empty write key) is treated as no site rather than half-trusted.
    return parsed.success ? parsed.data : undefined;
  }

  return {
    byWriteKey: (writeKey) => one('write_key = {writeKey:String}', { writeKey }),
    byId: (siteId) => one('site_id = {siteId:String}', { siteId }),
  };
}
