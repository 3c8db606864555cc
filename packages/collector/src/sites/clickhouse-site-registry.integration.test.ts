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
    const expected = { siteId: 's1', name: 'New', writeKey: 'wk_s1_0123456789', allowedOrigins: ['https://s1.example'], allowedRedirectHosts: ['s1.example'] };
    expect(await registry.byWriteKey('wk_s1_0123456789')).toEqual(expected);
    expect(await registry.byId('s1')).toEqual(expected);
    expect(await registry.byWriteKey("' OR 1=1 --")).toBeUndefined();
    expect(await registry.byId('bad')).toBeUndefined();
    expect(() => createClickHouseSiteRegistry(client, 'x; DROP TABLE y')).toThrow(/identifier/);
  });
});
