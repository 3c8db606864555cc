import type { ClickHouseClient } from '@clickhouse/client';
import { siteSchema, type Site, type SiteRegistry } from './site-registry.js';

interface SiteRow {
  site_id: string;
  name: string;
  write_key: string;
  allowed_origins: string[];
  allowed_redirect_hosts: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Sites from the ClickHouse table `sites` (infra/clickhouse/0006_sites_and_keys.sql). A ReplacingMergeTree:
 * FINAL so an updated row wins over the one it replaced. Values travel as `{name:Type}` parameters; the
 * database name is an identifier and is checked against a strict pattern instead.
 */
export function createClickHouseSiteRegistry(client: ClickHouseClient, database: string): SiteRegistry {
  if (!IDENTIFIER.test(database)) throw new Error(`ClickHouse database name "${database}" is not a plain identifier`);
  const select = `SELECT site_id, name, write_key, allowed_origins, allowed_redirect_hosts FROM ${database}.sites FINAL`;

  async function one(where: string, params: Record<string, string>): Promise<Site | undefined> {
    const result = await client.query({ query: `${select} WHERE ${where} LIMIT 1`, query_params: params, format: 'JSONEachRow' });
    const [row] = await result.json<SiteRow>();
    if (!row) return undefined;
    const parsed = siteSchema.safeParse({
      siteId: row.site_id,
      name: row.name,
      writeKey: row.write_key,
      allowedOrigins: row.allowed_origins,
      allowedRedirectHosts: row.allowed_redirect_hosts,
    });
    // A malformed row (say, an empty write key) is treated as no site rather than half-trusted.
    return parsed.success ? parsed.data : undefined;
  }

  return {
    byWriteKey: (writeKey) => one('write_key = {writeKey:String}', { writeKey }),
    byId: (siteId) => one('site_id = {siteId:String}', { siteId }),
  };
}
