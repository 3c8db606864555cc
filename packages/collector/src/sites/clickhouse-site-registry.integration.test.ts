import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createClickHouseSiteRegistry } from './clickhouse-site-registry.js';

describe('ClickHouse site registry (chDB, migrated schema)', () => {
  it('reads sites by write key and id, the newest version of a row winning', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({
      table: `${database}.sites`,
      format: 'JSONEachRow',
      values: [
        { site_id: 's1', name: 'Old', write_key: 'wk_s1_0123456789', allowed_origins: ['https://old.example'], allowed_redirect_hosts: [], updated_at: '2026-01-01 00:00:00.000' },
        { site_id: 's1', name: 'New', write_key: 'wk_s1_0123456789', allowed_origins: ['https://s1.example'], allowed_redirect_hosts: ['s1.example'], updated_at: '2026-02-01 00:00:00.000' },
        { site_id: 'bad', name: 'No key', write_key: '', allowed_origins: [], allowed_redirect_hosts: [], updated_at: '2026-02-01 00:00:00.000' },
      ],
    });
    const registry = createClickHouseSiteRegistry(client, database);
    const expected = {
      siteId: 's1',
      name: 'New',
      writeKey: 'wk_s1_0123456789',
      allowedOrigins: ['https://s1.example'],
      allowedRedirectHosts: ['s1.example'],
      honourGpc: true,
      linkKeys: [],
    };
    expect(await registry.byWriteKey('wk_s1_0123456789')).toEqual(expected);
    expect(await registry.byId('s1')).toEqual(expected);
    expect(await registry.byWriteKey("' OR 1=1 --")).toBeUndefined();
    expect(await registry.byId('bad')).toBeUndefined();
    expect(() => createClickHouseSiteRegistry(client, 'x; DROP TABLE y')).toThrow(/identifier/);
  });

  it('reads a site\'s GPC setting and its link keys still verifying, newest first, retired ones left out', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({
      table: `${database}.sites`,
      format: 'JSONEachRow',
      values: [{ site_id: 's2', name: 'S2', write_key: 'wk_s2_0123456789', allowed_origins: [], allowed_redirect_hosts: [], honour_gpc: false }],
    });
    const secret = (c: string) => c.repeat(40);
    await client.insert({
      table: `${database}.site_link_keys`,
      format: 'JSONEachRow',
      values: [
        { site_id: 's2', key_id: 'k1', secret: secret('a'), created_at: '2026-01-01 00:00:00.000', updated_at: '2026-01-01 00:00:00.000' },
        { site_id: 's2', key_id: 'k2', secret: secret('b'), created_at: '2026-02-01 00:00:00.000', updated_at: '2026-02-01 00:00:00.000' },
        { site_id: 's2', key_id: 'k3', secret: secret('c'), created_at: '2026-03-01 00:00:00.000', updated_at: '2026-03-01 00:00:00.000' },
        // k3 retired later: it neither signs nor verifies any more
        { site_id: 's2', key_id: 'k3', secret: secret('c'), retired: true, created_at: '2026-03-01 00:00:00.000', updated_at: '2026-04-01 00:00:00.000' },
        { site_id: 'other', key_id: 'k9', secret: secret('z'), created_at: '2026-05-01 00:00:00.000', updated_at: '2026-05-01 00:00:00.000' },
        // inserted by hand with a short secret: left out, the site and its other keys still work
        { site_id: 's2', key_id: 'k-bad', secret: 'short', created_at: '2026-06-01 00:00:00.000', updated_at: '2026-06-01 00:00:00.000' },
      ],
    });
    const site = await createClickHouseSiteRegistry(client, database).byWriteKey('wk_s2_0123456789');
    expect(site).toMatchObject({ siteId: 's2', honourGpc: false, linkKeys: [{ keyId: 'k2', secret: secret('b') }, { keyId: 'k1', secret: secret('a') }] });
  });
});
