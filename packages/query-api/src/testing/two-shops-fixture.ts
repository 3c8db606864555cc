import type { ClickHouseClient } from '@clickhouse/client';
import { CUSTOMER_FIXTURE } from './customer-fixture.js';
import type { Fixture } from './load-fixture.js';

/**
 * Two shops for tenant-isolation tests: shop-a holds the customer fixture as is; shop-b holds it again with every id
 * and path marked `SHOPB` (so a leaked row shows in any response text), plus rows under shop-a's own ids (customer
 * c1, browser a1) that only shop-b has — an erasure or audience in shop-a must not reach them.
 */
export const SHOP_A = 'shop-a';
export const SHOP_B = 'shop-b';
export const SHOP_B_MARK = 'SHOPB';
export const KEY_A = 'sk_test_shop_a_only_0123456789';
export const KEY_B = 'sk_test_shop_b_only_0123456789';

const ID_FIELDS = ['anonymous_id', 'customer_id', 'session_id', 'order_id', 'product_id', 'product_name', 'cart_id', 'campaign_id', 'path'];

function onSite<T extends Record<string, unknown>>(row: T, site: string, mark: string): T {
  const out: Record<string, unknown> = { ...row, site_id: site };
  for (const field of ID_FIELDS) if (typeof out[field] === 'string' && out[field] !== '') out[field] = `${out[field]}${mark}`;
  return out as T;
}

export function twoShopsFixture(): Fixture {
  const both = <T extends Record<string, unknown>>(rows: T[] = []) => [...rows.map((r) => onSite(r, SHOP_A, '')), ...rows.map((r) => onSite(r, SHOP_B, SHOP_B_MARK))];
  return {
    apiKeys: [
      // Every scope, admin included: the isolation matrix reaches the admin routes of shop-a too.
      { key: KEY_A, siteIds: [SHOP_A], keyId: 'key-a', scopes: ['reports', 'people', 'export', 'erase', 'import', 'admin'] },
      // A key of shop-a for the admin routes to revoke and rotate (rotating key-a would lock the matrix out).
      { key: 'sk_test_shop_a_spare_0123456789', siteIds: [SHOP_A], keyId: 'key-a-spare' },
      { key: KEY_B, siteIds: [SHOP_B], keyId: 'key-b' },
    ],
    events: [
      ...both(CUSTOMER_FIXTURE.events),
      // shop-b's own c1 on a browser named like shop-a's a1.
      { site_id: SHOP_B, type: 'page_view', ts: '2026-11-29 09:00:00', anonymous_id: 'a1', customer_id: 'c1', session_id: 'a1-SHOPB', path: '/SHOPB-secret' },
      { site_id: SHOP_B, type: 'purchase', ts: '2026-11-29 09:01:00', anonymous_id: 'a1', customer_id: 'c1', session_id: 'a1-SHOPB', order_id: 'oSHOPB', revenue: 5000 },
    ],
    identities: [...both((CUSTOMER_FIXTURE.identities ?? []) as unknown as Array<Record<string, unknown>>), { site_id: SHOP_B, anonymous_id: 'a1', customer_id: 'c1', first_seen: '2026-11-29 08:59:00' }] as unknown as Fixture['identities'],
    orders: [...both(CUSTOMER_FIXTURE.orders), { site_id: SHOP_B, order_id: 'oSHOPB', ts: '2026-11-29 09:01:00', anonymous_id: 'a1', customer_id: 'c1', revenue: 5000 }] as Fixture['orders'],
    orderItems: both(CUSTOMER_FIXTURE.orderItems),
  };
}

/** Row counts of every table a request could change, for one site: compare before and after to prove nothing moved. */
export async function siteFootprint(client: ClickHouseClient, database: string, site: string): Promise<Record<string, number>> {
  const tables = ['events', 'sessions', 'session_days', 'events_by_visitor', 'customer_browsers', 'raw_events', 'orders', 'order_items', 'identities', 'erasure_log'];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const res = await client.query({ query: `SELECT count() AS n FROM {db:Identifier}.{t:Identifier} WHERE site_id = {site:String}`, query_params: { db: database, t: table, site }, format: 'JSONEachRow' });
    out[table] = Number((await res.json<{ n: number | string }>())[0]?.n ?? 0);
  }
  const audiences = await client.query({
    query: `SELECT count() AS n FROM {db:Identifier}.audiences FINAL WHERE site_id = {site:String} AND NOT deleted`,
    query_params: { db: database, site },
    format: 'JSONEachRow',
  });
  out.audiences = Number((await audiences.json<{ n: number | string }>())[0]?.n ?? 0);
  return out;
}
