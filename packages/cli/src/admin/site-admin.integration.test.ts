import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { buildCampaignLinks, createClickHouseSiteRegistry, verifyClickToken } from '@spoor/collector';
import { setSiteRetention } from '@spoor/infra';
import { createLinkKey, createSiteKeys, listLinkKeys, retireLinkKey } from './site-admin.js';

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

  it('sets the GPC setting (honoured by default, kept on later updates unless given)', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const registry = createClickHouseSiteRegistry(client, database);
    await createSiteKeys(client, database, { siteId: 'gpc-default' });
    expect((await registry.byId('gpc-default'))?.honourGpc).toBe(true);
    await createSiteKeys(client, database, { siteId: 'gpc-off', honourGpc: false });
    await createSiteKeys(client, database, { siteId: 'gpc-off', allowedOrigins: ['https://b.example'] });
    expect(await registry.byId('gpc-off')).toMatchObject({ honourGpc: false, allowedOrigins: ['https://b.example'] });
  });
});

describe('email-link keys per site', () => {
  it('a new key signs and verifies through the collector\'s registry; the old key verifies until retired; secrets are never listed', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const registry = createClickHouseSiteRegistry(client, database);
    await createSiteKeys(client, database, { siteId: 'shop-k', allowedRedirectHosts: ['shop.example'] });
    const fallback = ['global-fallback-secret-0123456789-abcdef'];
    const old = await createLinkKey(client, database, 'shop-k');
    const clickWith = async () => {
      const site = (await registry.byId('shop-k'))!;
      return new URL(buildCampaignLinks({ collectorUrl: 'https://t.example', siteId: 'shop-k', campaignId: 'c', customerId: 'u', keys: { site: site.linkKeys ?? [], fallback } }).clickUrl('https://shop.example/')).searchParams.get('t')!;
    };
    const verifyNow = async (t: string) => verifyClickToken(t, { site: (await registry.byId('shop-k'))!.linkKeys ?? [], fallback });
    const signedByOld = await clickWith();
    expect(JSON.parse(Buffer.from(signedByOld.split('.')[0]!, 'base64url').toString()).kid).toBe(old.keyId);
    // created_at has millisecond resolution: the next key is strictly newer
    await new Promise((r) => setTimeout(r, 5));
    const next = await createLinkKey(client, database, 'shop-k');
    const signedByNext = await clickWith();
    expect(JSON.parse(Buffer.from(signedByNext.split('.')[0]!, 'base64url').toString()).kid).toBe(next.keyId);
    expect(await verifyNow(signedByOld)).toBeDefined();
    expect(await verifyNow(signedByNext)).toBeDefined();
    await retireLinkKey(client, database, 'shop-k', old.keyId);
    expect(await verifyNow(signedByOld)).toBeUndefined();
    expect(await verifyNow(signedByNext)).toBeDefined();
    const listed = await listLinkKeys(client, database, 'shop-k');
    expect(listed.map((k) => [k.keyId, k.retired, k.secret])).toEqual([[next.keyId, false, ''], [old.keyId, true, '']]);
    await expect(createLinkKey(client, database, 'nope')).rejects.toThrow(/no site "nope"/);
    await expect(retireLinkKey(client, database, 'shop-k', 'lk_unknown')).rejects.toThrow(/has no link key/);
  });
});
