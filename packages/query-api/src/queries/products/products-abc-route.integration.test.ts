import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { getJson, loadFixture } from '../../testing/index.js';

const KEY = 'sk_test_abc_0123456789';
let app: QueryApi;

/*
 * November revenue 1000: p1 500 (10 × 50, two orders), p2 300, p3 100, p4 50, p5 30, p6 10, p7 10.
 * Share before each product: p1 0 → A, p2 50 % → A, p3 exactly 80 % → B, p4 90 % → B, p5 exactly 95 % → C, p6 98 % → C,
 * p7 99 % → C (p6/p7 tie on revenue: ordered by product id). Outside the range: p8 (October). o1 line 1 is stored twice.
 */
beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  const line = (order_id: string, n: number, product_id: string, price: number, quantity: number, ts = '2026-11-10 10:00:00') => ({ order_id, line: n, ts, product_id, product_name: product_id.toUpperCase(), price, quantity });
  await loadFixture(ctx.client, ctx.database, {
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    orderItems: [
      line('o1', 1, 'p1', 50, 6), line('o2', 1, 'p1', 50, 4), line('o2', 2, 'p2', 100, 3), line('o3', 1, 'p3', 25, 4), line('o3', 2, 'p4', 50, 1),
      line('o4', 1, 'p5', 30, 1), line('o4', 2, 'p7', 10, 1), line('o5', 1, 'p6', 5, 2), line('o0', 1, 'p8', 9999, 1, '2026-10-31 23:59:59'),
    ],
  });
  await loadFixture(ctx.client, ctx.database, { orderItems: [line('o1', 1, 'p1', 50, 6)] });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-01T00:00:00Z'), logError: () => undefined });
});

describe('GET /api/v1/products/abc', () => {
  it('classes by the revenue share before each product, exact at the 80 % and 95 % boundaries, duplicates counted once', async () => {
    const res = await getJson(app, '/api/v1/products/abc?site=shop-1&from=2026-11-01&to=2026-11-30&limit=100', KEY);
    expect(res.status).toBe(200);
    expect(res.body.total_revenue).toBe(1000);
    expect(res.body.products.map((p: Record<string, unknown>) => [p.product_id, p.revenue, p.class])).toEqual([
      ['p1', 500, 'A'], ['p2', 300, 'A'], ['p3', 100, 'B'], ['p4', 50, 'B'], ['p5', 30, 'C'], ['p6', 10, 'C'], ['p7', 10, 'C'],
    ]);
    expect(res.body.products[0]).toEqual({ product_id: 'p1', product_name: 'P1', revenue: 500, units: 10, orders: 2, share: 0.5, cumulative_share: 0.5, class: 'A' });
    expect(res.body.classes).toEqual([
      { class: 'A', products: 2, revenue: 800, share: 0.8 },
      { class: 'B', products: 2, revenue: 150, share: 0.15 },
      { class: 'C', products: 3, revenue: 50, share: 0.05 },
    ]);
    expect(res.body.products_total).toBe(7);
  });

  it('a single product is A; paging keeps the classes of the whole range; empty range is empty', async () => {
    const page = await getJson(app, '/api/v1/products/abc?site=shop-1&from=2026-11-01&to=2026-11-30&limit=2&offset=4', KEY);
    expect(page.body.products.map((p: Record<string, unknown>) => [p.product_id, p.class])).toEqual([['p5', 'C'], ['p6', 'C']]);
    const october = await getJson(app, '/api/v1/products/abc?site=shop-1&from=2026-10-01&to=2026-10-31', KEY);
    expect(october.body.products.map((p: Record<string, unknown>) => [p.product_id, p.class])).toEqual([['p8', 'A']]);
    const empty = await getJson(app, '/api/v1/products/abc?site=shop-1&from=2025-01-01&to=2025-01-31', KEY);
    expect(empty.body).toMatchObject({ total_revenue: 0, products_total: 0, products: [] });
  });
});
