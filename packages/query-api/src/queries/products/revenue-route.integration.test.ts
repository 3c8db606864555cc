import fc from 'fast-check';
import { createMemoryKeyValue } from '@spoor/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { getJson, loadFixture, type FixtureEvent } from '../../testing/index.js';

const KEY = 'sk_test_revenue_0123456789';
const OTHER_KEY = 'sk_test_revenue_other_0123';
let app: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;

/*
 * Hand-computed attribution (November 2026, lookback 30 days unless said):
 * a1: s1 11-01 lands from Google (Organic Search); s2 11-10 lands from the newsletter (Email / newsletter / dec), an SPA
 *     page without UTM (its own channel Direct), buys oA 100 (the purchase event's own channel Direct; oA stored twice).
 * b1 (linked to customer c2): s1 11-05 Paid Search (google / cpc / brand); s2 11-12 Direct, buys oB 50 as customer c2.
 * c1: s0 09-01 Email (campaign old, 75 days before); s1 11-15 Direct, buys oC 30.
 * d1: s1 11-20 Referral, no order. A bot's Referral visit and shop-2's Email visit never count.
 *
 * visit:           Email 1×100 (1 visit) · Direct 2×80 (2 visits) · Organic Search, Paid Search, Referral 0 (1 visit each)
 * last_non_direct: Email 100 (oA: s2) · Paid Search 50 (oB: b1-s1) · Direct 30 (oC: s0 outside 30 days)
 * first_touch:     Organic Search 100 (oA: a1-s1) · Paid Search 50 · Direct 30
 * lookback 90:     oC's first touch and last non-direct become Email / old.
 */
const page = (anonymous_id: string, session: string, ts: string, attrs: Partial<FixtureEvent> = {}): FixtureEvent => ({
  type: 'page_view',
  ts,
  anonymous_id,
  session_id: `${anonymous_id}-${session}`,
  channel: 'Direct',
  medium: 'direct',
  ...attrs,
});
const email = (campaign: string) => ({ channel: 'Email', source: 'newsletter', medium: 'email', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: campaign });

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }, { key: OTHER_KEY, siteIds: ['shop-2'] }],
    events: [
      page('a1', 's1', '2026-11-01 10:00:00', { channel: 'Organic Search', source: 'google', medium: 'search', referrer_host: 'www.google.com' }),
      page('a1', 's2', '2026-11-10 09:00:00', email('dec')),
      page('a1', 's2', '2026-11-10 09:01:00'),
      { ...page('a1', 's2', '2026-11-10 09:05:00'), type: 'purchase', order_id: 'oA' },
      page('b1', 's1', '2026-11-05 12:00:00', { channel: 'Paid Search', source: 'google', medium: 'cpc', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand', click_id_type: 'gclid', click_id: 'G1' }),
      page('b1', 's2', '2026-11-12 12:00:00', { customer_id: 'c2' }),
      page('c1', 's0', '2026-09-01 08:00:00', email('old')),
      page('c1', 's1', '2026-11-15 08:00:00'),
      page('d1', 's1', '2026-11-20 08:00:00', { channel: 'Referral', source: 'blog.example', medium: 'referral' }),
      page('bot', 's1', '2026-11-20 08:00:00', { channel: 'Referral', source: 'blog.example', medium: 'referral', is_bot: true }),
      page('x1', 's1', '2026-11-10 09:00:00', { ...email('dec'), site_id: 'shop-2' }),
    ],
    identities: [{ anonymous_id: 'b1', customer_id: 'c2', first_seen: '2026-11-12 12:00:00' }],
    orders: [
      { order_id: 'oA', ts: '2026-11-10 09:05:00', anonymous_id: 'a1', session_id: 'a1-s2', revenue: 100, channel: 'Direct' },
      { order_id: 'oB', ts: '2026-11-12 12:10:00', anonymous_id: 'b1', customer_id: 'c2', session_id: 'b1-s2', revenue: 50, channel: 'Direct' },
      { order_id: 'oC', ts: '2026-11-15 08:10:00', anonymous_id: 'c1', session_id: 'c1-s1', revenue: 30, channel: 'Direct' },
      { order_id: 'oX', ts: '2026-11-10 09:05:00', anonymous_id: 'x1', session_id: 'x1-s1', revenue: 999, channel: 'Direct', site_id: 'shop-2' },
    ],
  });
  // A reloaded thank-you page: the same order stored again.
  await loadFixture(ctx.client, ctx.database, { orders: [{ order_id: 'oA', ts: '2026-11-10 09:05:00', anonymous_id: 'a1', session_id: 'a1-s2', revenue: 100, channel: 'Direct' }] });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-01T00:00:00Z'), logError: () => undefined });
});

const revenue = async (query: string, key = KEY) => {
  const res = await getJson(app, `/api/v1/revenue?site=shop-1&from=2026-11-01&to=2026-11-30&${query}`, key);
  expect(res.status).toBe(200);
  return res.body as { totals: Record<string, number | null>; values_total: number; rows: Array<{ value: string; orders: number; revenue: number; visits: number; conversion_rate: number | null; aov: number | null }> };
};
const brief = (rows: Array<{ value: string; orders: number; revenue: number; visits: number }>) => rows.map((r) => [r.value, r.orders, r.revenue, r.visits]);

describe('GET /api/v1/revenue', () => {
  it('visit model: each order credited to the landing of the visit it was placed in', async () => {
    const body = await revenue('by=channel&model=visit');
    expect(brief(body.rows)).toEqual([
      ['Email', 1, 100, 1],
      ['Direct', 2, 80, 2],
      ['Organic Search', 0, 0, 1],
      ['Paid Search', 0, 0, 1],
      ['Referral', 0, 0, 1],
    ]);
    expect(body.rows[1]).toMatchObject({ conversion_rate: 1, aov: 40 });
    expect(body.rows[2]).toMatchObject({ conversion_rate: 0, aov: null });
    expect(body.totals).toEqual({ orders: 3, revenue: 180, visits: 6, conversion_rate: 0.5, aov: 60 });
    expect(body.values_total).toBe(5);
  });

  it('visit model by source, medium and campaign', async () => {
    expect(brief((await revenue('by=source')).rows)).toEqual([['newsletter', 1, 100, 1], ['', 2, 80, 2], ['google', 0, 0, 2], ['blog.example', 0, 0, 1]]);
    expect(brief((await revenue('by=campaign')).rows)).toEqual([['dec', 1, 100, 1], ['', 2, 80, 4], ['brand', 0, 0, 1]]);
    expect(brief((await revenue('by=medium')).rows)[0]).toEqual(['email', 1, 100, 1]);
  });

  it('last non-direct: the latest non-Direct visit within 30 days, else the order\'s own visit', async () => {
    expect(brief((await revenue('by=channel&model=last_non_direct')).rows)).toEqual([
      ['Email', 1, 100, 1],
      ['Paid Search', 1, 50, 1],
      ['Direct', 1, 30, 2],
      ['Organic Search', 0, 0, 1],
      ['Referral', 0, 0, 1],
    ]);
  });

  it('first touch: the person\'s earliest visit within the lookback (stitched across the login)', async () => {
    expect(brief((await revenue('by=channel&model=first_touch')).rows)).toEqual([
      ['Organic Search', 1, 100, 1],
      ['Paid Search', 1, 50, 1],
      ['Direct', 1, 30, 2],
      ['Email', 0, 0, 1],
      ['Referral', 0, 0, 1],
    ]);
  });

  it('a 90-day lookback reaches c1\'s September newsletter visit; email_campaign lists Email visits only', async () => {
    expect(brief((await revenue('by=channel&model=first_touch&lookback_days=90')).rows).slice(0, 3)).toEqual([
      ['Organic Search', 1, 100, 1],
      ['Paid Search', 1, 50, 1],
      ['Email', 1, 30, 1],
    ]);
    const emails = await revenue('by=email_campaign&model=last_non_direct&lookback_days=90');
    expect(brief(emails.rows)).toEqual([['dec', 1, 100, 1], ['old', 1, 30, 0]]);
    expect(emails.rows[1]).toMatchObject({ conversion_rate: null, aov: 30 });
  });

  it('never mixes sites; an empty range is empty; bad parameters are 400s naming them', async () => {
    const other = await getJson(app, '/api/v1/revenue?site=shop-2&from=2026-11-01&to=2026-11-30', OTHER_KEY);
    expect(brief(other.body.rows)).toEqual([['Email', 1, 999, 1]]);
    const forbidden = await getJson(app, '/api/v1/revenue?site=shop-2&from=2026-11-01&to=2026-11-30', KEY);
    expect(forbidden.status).toBe(403);
    const empty = await revenue('by=channel').then(() => getJson(app, '/api/v1/revenue?site=shop-1&from=2025-01-01&to=2025-01-31', KEY));
    expect(empty.body).toMatchObject({ totals: { orders: 0, revenue: 0, visits: 0, conversion_rate: null, aov: null }, rows: [] });
    // The edges of the date bounds, where a lookback reaches before 1970 and a Date would overflow past 2149.
    for (const range of ['from=1970-01-01&to=1970-12-31', 'from=2200-01-01&to=2200-12-31']) {
      for (const model of ['visit', 'first_touch', 'last_non_direct']) {
        const edge = await getJson(app, `/api/v1/revenue?site=shop-1&${range}&model=${model}&lookback_days=90`, KEY);
        expect(edge.status, `${range} ${model}`).toBe(200);
        expect(edge.body.rows, `${range} ${model}`).toEqual([]);
      }
    }
    for (const [query, parameter] of [['by=url', 'by'], ['model=linear', 'model'], ['lookback_days=91', 'lookback_days'], ['lookback_days=0', 'lookback_days'], ['extra=1', 'extra']] as const) {
      const res = await getJson(app, `/api/v1/revenue?site=shop-1&from=2026-11-01&to=2026-11-30&${query}`, KEY);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(parameter);
    }
  });

  it('campaign values are data: any stored string (quotes, backslashes, SQL, well-formed Unicode, up to 512 graphemes) comes back as it is, credited once', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 512 }), async (campaign) => {
        n += 1;
        const site = `fuzz-${n}`;
        const key = `sk_test_revenue_fuzz_${n}_0123456789`;
        await loadFixture(ctx.client, ctx.database, {
          apiKeys: [{ key, siteIds: [site] }],
          events: [{ ...page(`f${n}`, 's1', '2026-11-03 10:00:00', email(campaign)), site_id: site }, { ...page(`f${n}`, 's1', '2026-11-03 10:01:00'), site_id: site }],
          orders: [{ order_id: `of${n}`, ts: '2026-11-03 10:02:00', anonymous_id: `f${n}`, session_id: `f${n}-s1`, revenue: 7, site_id: site }],
        });
        const res = await getJson(app, `/api/v1/revenue?site=${site}&from=2026-11-01&to=2026-11-30&by=email_campaign&model=last_non_direct`, key);
        expect(res.status).toBe(200);
        expect(brief(res.body.rows)).toEqual([[campaign, 1, 7, 1]]);
      }),
      { numRuns: 25 },
    );
  });
});
