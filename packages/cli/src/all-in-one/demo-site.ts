import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { createSiteKeys, type CreatedKeys } from '../admin/site-admin.js';

export const DEMO_SITE_ID = 'demo';

/**
 * On first start: the demo site (allowed from the server's own origins) with a write key and a secret API key,
 * saved to <data dir>/demo-keys.json (0600) because the API key cannot be shown again. Later starts read that file.
 */
export async function ensureDemoSite(client: ClickHouseClient, database: string, dataDir: string, origins: string[]): Promise<{ keys: CreatedKeys; created: boolean }> {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) return { keys: JSON.parse(readFileSync(file, 'utf8')) as CreatedKeys, created: false };
  const hosts = [...new Set(origins.map((o) => new URL(o).hostname))];
  const keys = await createSiteKeys(client, database, { siteId: DEMO_SITE_ID, name: 'Demo shop', allowedOrigins: origins, allowedRedirectHosts: hosts });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { keys, created: true };
}
