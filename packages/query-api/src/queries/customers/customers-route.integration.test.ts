import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryRunner, type QueryRunner } from '../../clickhouse/query-runner.js';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { queryCustomerProfile } from './customer-profile.js';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../../testing/customer-fixture.js';
import { getJson, loadFixture } from '../../testing/index.js';

let app: QueryApi;
let runner: QueryRunner;

beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, { ...CUSTOMER_FIXTURE, apiKeys: [...(CUSTOMER_FIXTURE.apiKeys ?? []), { key: 'sk_other_site', siteIds: ['shop-2'] }] });
  // The quintile rule forced on the 4 buyers, as in rfm/rfm-route.integration.test.ts (the default rule: rfm/rfm-small-shops.integration.test.ts).
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-01T00:00:00Z'), logError: () => undefined, rfm: { quintileMinBuyers: 1 } });
  runner = createQueryRunner({ client: ctx.client, database: ctx.database, maxExecutionTimeSeconds: 10 });
});

const profile = (id: string, query = '') => getJson(app, `/api/v1/customers/${encodeURIComponent(id)}?site=shop-1${query}`, CUSTOMER_KEY);

const touch = (channel: string) => ({ channel, source: '', medium: '', campaign: '' });
const touches = (visit: string, first: string, lastNonDirect: string) => ({ visit: touch(visit), first_touch: touch(first), last_non_direct: touch(lastNonDirect) });

describe('GET /api/v1/customers/{id}', () => {
  it('c1: stitched anonymous visit, RFM like /rfm, orders, sessions with channel, human email opens only, the open cart', async () => {
    const res = await profile('c1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      site: 'shop-1',
      customer_id: 'c1',
      as_of: '2026-12-01T00:00:00.000Z',
      // The anonymous visit of a1b (10-20, before the link) is theirs; the machine open of 11-28 is not activity.
      first_seen: '2026-10-20T09:00:00.000Z',
      last_seen: '2026-11-29T20:03:00.000Z',
      anonymous_ids: ['a1', 'a1b'],
      // Scored among the 4 buyers exactly as in rfm/rfm-route.integration.test.ts (c4 and c6 never bought: not in the population).
      rfm: { recency_basis: 'purchase', recency_days: 1, frequency: 3, monetary: 600, r: 4, f: 4, m: 3, segment: 'Champions', population: 4, scoring: 'quintiles' },
      lifetime_value: { orders: 3, revenue: 600 },
      orders: [
        // Hand-computed touches (30-day lookback, the stitched device a1b included): o1's window starts 10-30, so its
        // first touch is the 11-01 newsletter visit and its last non-direct the 11-20 paid search; o3's window reaches
        // a1b's 10-20 organic search visit: "first came from search, bought after the newsletter".
        { order_id: 'o1', ts: '2026-11-29T10:00:00.000Z', revenue: 100, currency: 'EUR', items_count: 2, channel: 'direct', attribution: touches('direct', 'email', 'paid_search') },
        { order_id: 'o2', ts: '2026-11-20T09:30:00.000Z', revenue: 200, currency: 'EUR', items_count: 4, channel: 'paid_search', attribution: touches('paid_search', 'email', 'paid_search') },
        { order_id: 'o3', ts: '2026-11-01T09:10:00.000Z', revenue: 300, currency: 'EUR', items_count: 6, channel: 'email', attribution: touches('email', 'organic_search', 'email') },
      ],
      sessions: [
        { session_id: 'a1-s4', started_at: '2026-11-29T20:00:00.000Z', ended_at: '2026-11-29T20:03:00.000Z', channel: 'referral', source: '', entry_page: '/p/2', page_views: 1, purchased: false },
        { session_id: 'a1-s3', started_at: '2026-11-29T09:00:00.000Z', ended_at: '2026-11-29T10:00:00.000Z', channel: 'direct', source: '', entry_page: '/p/1', page_views: 1, purchased: true },
        { session_id: 'a1-s2', started_at: '2026-11-20T09:00:00.000Z', ended_at: '2026-11-20T09:30:00.000Z', channel: 'paid_search', source: '', entry_page: '/p/2', page_views: 1, purchased: true },
        { session_id: 'a1-s1', started_at: '2026-11-01T08:59:00.000Z', ended_at: '2026-11-01T09:10:00.000Z', channel: 'email', source: '', entry_page: '/', page_views: 1, purchased: true },
        { session_id: 'a1b-s1', started_at: '2026-10-20T09:00:00.000Z', ended_at: '2026-10-20T09:00:00.000Z', channel: 'organic_search', source: '', entry_page: '/', page_views: 1, purchased: false },
      ],
      // Campaign "bf" was only opened by a machine: neither counted nor listed.
      emails: { opens: 1, machine_opens: 1, clicks: 1, campaigns: [{ campaign_id: 'nov', first_opened_at: '2026-11-19T08:00:00.000Z', first_clicked_at: '2026-11-19T08:05:00.000Z', opens: 1, clicks: 1 }] },
      // k1 was bought (o1 names it); k2 holds 2 × p2 (p3 added then removed), changed after the last purchase.
      open_carts: [{ cart_id: 'k2', updated_at: '2026-11-29T20:03:00.000Z', value: 30, items: [{ product_id: 'p2', product_name: 'Filter', quantity: 2, price: 15 }] }],
    });
  });

  it('RFM on the activity basis matches GET /rfm', async () => {
    const res = await profile('c1', '&recency_basis=activity');
    expect(res.body.rfm).toEqual({ recency_basis: 'activity', recency_days: 1, frequency: 3, monetary: 600, r: 4, f: 4, m: 3, segment: 'Champions', population: 4, scoring: 'quintiles' });
    for (const basis of ['purchase', 'activity']) {
      const list = await getJson(app, `/api/v1/rfm?site=shop-1&recency_basis=${basis}&include=all`, CUSTOMER_KEY);
      expect(list.body.customers).toHaveLength(6);
      for (const row of list.body.customers) {
        const p = await profile(row.customer_id, `&recency_basis=${basis}`);
        expect([row.customer_id, p.body.rfm.r, p.body.rfm.f, p.body.rfm.m, p.body.rfm.segment, p.body.rfm.recency_days]).toEqual([row.customer_id, row.r, row.f, row.m, row.segment, row.recency_days]);
      }
    }
  });

  it('c2: the order placed anonymously before identify is theirs', async () => {
    const res = await profile('c2');
    expect(res.body).toMatchObject({
      first_seen: '2026-11-25T00:00:00.000Z',
      anonymous_ids: ['a2'],
      lifetime_value: { orders: 1, revenue: 50 },
      orders: [{ order_id: 'o4', revenue: 50 }],
      rfm: { recency_days: 6, r: 3, f: 1, m: 2, segment: 'Potential loyalist' },
      open_carts: [],
    });
    expect(res.body.sessions.map((s: { session_id: string; channel: string }) => [s.session_id, s.channel])).toEqual([['a2-s2', ''], ['a2-s1', 'social']]);
  });

  it('c4 never purchased and only a machine opened their email; c5: bot sessions and future orders left out', async () => {
    const c4 = await profile('c4');
    expect(c4.body).toMatchObject({
      last_seen: '2026-11-28T12:00:00.000Z',
      rfm: { recency_days: null, frequency: 0, monetary: 0, r: null, f: null, m: null, segment: 'No purchase yet', population: 4, scoring: 'quintiles' },
      lifetime_value: { orders: 0, revenue: 0 },
      orders: [],
      emails: { opens: 0, machine_opens: 1, clicks: 0, campaigns: [] },
    });
    const c5 = await profile('c5');
    expect(c5.body.lifetime_value).toEqual({ orders: 1, revenue: 20 });
    expect(c5.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['a5-s1']);
  });

  it('404 for a customer never seen, 403 for another site, 400 for a bad basis', async () => {
    expect(await profile('nobody')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await getJson(app, '/api/v1/customers/c1?site=shop-2', CUSTOMER_KEY)).status).toBe(403);
    expect((await getJson(app, '/api/v1/customers/c1?site=shop-2', 'sk_other_site')).status).toBe(404);
    expect(await profile('c1', '&recency_basis=monthly')).toMatchObject({ status: 400, body: { error: { parameter: 'recency_basis' } } });
  });

  it('customers with more rows than the fetch cap get the same profile, aggregated in ClickHouse', async () => {
    const asOf = new Date('2026-12-01T00:00:00Z');
    for (const customer of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'nobody']) {
      const fetched = await queryCustomerProfile(runner, { site: 'shop-1', customer, asOf, limit: 20 });
      const aggregated = await queryCustomerProfile(runner, { site: 'shop-1', customer, asOf, limit: 20, rowCap: 0 });
      expect([customer, aggregated]).toEqual([customer, fetched]);
    }
    // Lists are cut at the limit the same way on both paths.
    expect(await queryCustomerProfile(runner, { site: 'shop-1', customer: 'c1', asOf, limit: 2, rowCap: 0 })).toEqual(await queryCustomerProfile(runner, { site: 'shop-1', customer: 'c1', asOf, limit: 2 }));
  });
});
