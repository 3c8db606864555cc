import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { setSiteRetention } from '@spoor/infra';
import { createSiteKeys } from './site-admin.js';

describe('createSiteKeys', () => {
  it('creates a site with a write key and stores only the hash of the secret API key', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const keys = await createSiteKeys(client, database, { siteId: 'shop-1', allowedOrigins: ['https://shop.example'], allowedRedirectHosts: ['shop.example'] });
    expect(keys.writeKey).toMatch(/^wk_[\w-]{24}$/);
    expect(keys.apiKey).toMatch(/^sk_[\w-]{32}$/);

    const sites = await (await client.query({ query: `SELECT site_id, write_key, allowed_origins FROM ${database}.sites FINAL`, format: 'JSONEachRow' })).json();
    expect(sites).toEqual([{ site_id: 'shop-1', write_key: keys.writeKey, allowed_origins: ['https://shop.example'] }]);
    const stored = await (await client.query({ query: `SELECT key_id, key_sha256, site_ids FROM ${database}.api_keys FINAL`, format: 'JSONEachRow' })).json();
    expect(stored).toEqual([{ key_id: keys.apiKeyId, key_sha256: createHash('sha256').update(keys.apiKey).digest('hex'), site_ids: ['shop-1'] }]);
    expect(JSON.stringify(stored)).not.toContain(keys.apiKey);
  });

  it('keeps the write key and settings of an existing site and issues another API key', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const first = await createSiteKeys(client, database, { siteId: 'shop-2', allowedOrigins: ['https://a.example'] });
    const second = await createSiteKeys(client, database, { siteId: 'shop-2' });
    expect(second.writeKey).toBe(first.writeKey);
    expect(second.apiKey).not.toBe(first.apiKey);
    const sites = await (await client.query({ query: `SELECT allowed_origins FROM ${database}.sites FINAL`, format: 'JSONEachRow' })).json();
    expect(sites).toEqual([{ allowed_origins: ['https://a.example'] }]);
  });

  it("keeps the site's retention setting; the setting itself refuses unknown sites and days out of range", async () => {
    const { client, database } = await freshClickHouseDatabase();
    await createSiteKeys(client, database, { siteId: 'shop-3', allowedOrigins: ['https://a.example'] });
    await setSiteRetention(client, database, 'shop-3', 90);
    await createSiteKeys(client, database, { siteId: 'shop-3' });
    const sites = await (await client.query({ query: `SELECT retention_days, allowed_origins FROM ${database}.sites FINAL`, format: 'JSONEachRow' })).json();
    expect(sites).toEqual([{ retention_days: 90, allowed_origins: ['https://a.example'] }]);
    await expect(setSiteRetention(client, database, 'nope', 30)).rejects.toThrow(/no site "nope"/);
    for (const days of [-1, 1.5, 7301, Number.NaN]) await expect(setSiteRetention(client, database, 'shop-3', days)).rejects.toThrow(/retention must be an integer from 0 to 7300/);
  });

  it('rejects a site id that is not a slug, naming the option', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await expect(createSiteKeys(client, database, { siteId: "x'; DROP TABLE sites" })).rejects.toThrow(/^invalid --site: /);
  });
});
