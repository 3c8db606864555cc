import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { getJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// Range 2026-11-01 … 2026-11-02 (whole days, UTC). Five sessions; expected numbers are derived in the comments.
const KEY = 'sk_overview';
type Attrs = { channel: string; source?: string; medium?: string; country: string; device_type: string };
const session = (anonymous_id: string, attrs: Attrs, events: Array<[type: string, ts: string, extra?: Partial<FixtureEvent>]>): FixtureEvent[] =>
  events.map(([type, ts, extra]) => ({ anonymous_id, session_id: `${anonymous_id}-s`, type, ts, path: '/', ...attrs, ...extra }));

const INJECTION = "blue'; DROP TABLE events;--";
const events: FixtureEvent[] = [
  // s1: 2 page views, entry '/', 240 s.
  ...session('a1', { channel: 'email', source: 'newsletter', medium: 'email', country: 'DE', device_type: 'mobile' }, [
    ['page_view', '2026-11-01 10:00:00', { path: '/' }],
    ['page_view', '2026-11-01 10:01:00', { path: '/products/x' }],
    ['search', '2026-11-01 10:02:00', { path: '/search', search_query: 'red shoes' }],
    ['add_to_cart', '2026-11-01 10:03:00', { path: '/products/x' }],
    ['page_ping', '2026-11-01 10:04:00', { path: '/products/x' }],
  ]),
  // s2: one page view (bounce) and a custom event in the same millisecond, 0 s.
  ...session('a2', { channel: 'direct', country: 'DE', device_type: 'desktop' }, [
    ['page_view', '2026-11-01 12:00:00', { path: '/products/x' }],
    ['custom', '2026-11-01 12:00:00', { path: '/products/x', custom_name: 'newsletter_signup' }],
  ]),
  // s3: 2 page views of '/', two searches (one an injection string), 30 s.
  ...session('a3', { channel: 'organic_search', source: 'google', medium: 'organic', country: 'US', device_type: 'mobile' }, [
    ['page_view', '2026-11-02 09:00:00'],
    ['search', '2026-11-02 09:00:10', { search_query: 'red shoes' }],
    ['search', '2026-11-02 09:00:20', { search_query: INJECTION }],
    ['page_view', '2026-11-02 09:00:30'],
  ]),
  // s4: a4 is customer c1's second device (a1 is the first) → one visitor; bounce on /cart.
  ...session('a4', { channel: 'direct', country: 'DE', device_type: 'mobile' }, [['page_view', '2026-11-02 18:00:00', { path: '/cart' }]]),
  // s5: no page views at all: a session, 600 s, but no entry page and not in the bounce rate.
  ...session('a5', { channel: 'direct', country: 'FR', device_type: 'desktop' }, [
    ['add_to_cart', '2026-11-02 20:00:00', { path: '/products/y' }],
    ['checkout_start', '2026-11-02 20:10:00', { path: '/checkout' }],
  ]),
  // Out: a bot, a page view 1 ms before the range, one exactly at its (exclusive) end.
  ...session('b1', { channel: 'direct', country: 'DE', device_type: 'desktop' }, [['page_view', '2026-11-01 11:00:00', { is_bot: true }]]),
  ...session('a6', { channel: 'direct', country: 'DE', device_type: 'desktop' }, [['page_view', '2026-10-31 23:59:59.999']]),
  ...session('a7', { channel: 'direct', country: 'DE', device_type: 'desktop' }, [['page_view', '2026-11-03 00:00:00.000']]),
];

let app: QueryApi;
beforeAll(async () => {
  ({ app } = await queryApiWithFixture({
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    events,
    identities: [
      { anonymous_id: 'a1', customer_id: 'c1', first_seen: '2026-11-01 10:00:30' },
      { anonymous_id: 'a4', customer_id: 'c1', first_seen: '2026-11-02 18:00:00' },
    ],
  }));
});

const overview = (extra = '') => getJson(app, `/api/v1/overview?site=shop-1&from=2026-11-01&to=2026-11-02${extra}`, KEY);

describe('GET /api/v1/overview', () => {
  it('answers every panel exactly', async () => {
    const { status, body } = await overview();
    expect(status).toBe(200);
    expect(body.totals).toEqual({ visitors: 4, sessions: 5, page_views: 6, events: 14, bounce_rate: 0.5, median_session_seconds: 30 });
    expect(body.events_by_type).toEqual([
      { type: 'page_view', count: 6 },
      { type: 'search', count: 3 },
      { type: 'add_to_cart', count: 2 },
      { type: 'checkout_start', count: 1 },
      { type: 'custom', count: 1 },
      { type: 'page_ping', count: 1 },
    ]);
    expect(body.top_pages).toEqual([
      { path: '/', page_views: 3, sessions: 2 },
      { path: '/products/x', page_views: 2, sessions: 2 },
      { path: '/cart', page_views: 1, sessions: 1 },
    ]);
    expect(body.entry_pages).toEqual([
      { path: '/', sessions: 2 },
      { path: '/cart', sessions: 1 },
      { path: '/products/x', sessions: 1 },
    ]);
    expect(body.channels).toEqual([
      { channel: 'direct', sessions: 3, visitors: 3 },
      { channel: 'email', sessions: 1, visitors: 1 },
      { channel: 'organic_search', sessions: 1, visitors: 1 },
    ]);
    expect(body.sources).toEqual([
      { source: '', medium: '', sessions: 3, visitors: 3 },
      { source: 'google', medium: 'organic', sessions: 1, visitors: 1 },
      { source: 'newsletter', medium: 'email', sessions: 1, visitors: 1 },
    ]);
    expect(body.search_terms).toEqual([
      { term: 'red shoes', searches: 2, sessions: 2 },
      { term: INJECTION, searches: 1, sessions: 1 },
    ]);
    expect(body.countries).toEqual([
      { country: 'DE', sessions: 3, visitors: 2 },
      { country: 'FR', sessions: 1, visitors: 1 },
      { country: 'US', sessions: 1, visitors: 1 },
    ]);
    expect(body.devices).toEqual([
      { device: 'mobile', sessions: 3, visitors: 2 },
      { device: 'desktop', sessions: 2, visitors: 2 },
    ]);
  });

  it('filters by the session\'s channel, country and device', async () => {
    const direct = await overview('&channel=direct');
    expect(direct.body.totals).toEqual({ visitors: 3, sessions: 3, page_views: 2, events: 5, bounce_rate: 1, median_session_seconds: 0 });
    expect(direct.body.top_pages.map((p: { path: string }) => p.path)).toEqual(['/cart', '/products/x']);
    const deMobile = await overview('&country=DE&device=mobile');
    expect(deMobile.body.totals).toMatchObject({ visitors: 1, sessions: 2, page_views: 3 });
  });

  it('counts bots only when asked', async () => {
    expect((await overview('&include_bots=true')).body.totals).toMatchObject({ sessions: 6, page_views: 7 });
  });

  it('an injection string as a filter is a value that matches nothing', async () => {
    const { status, body } = await overview(`&channel=${encodeURIComponent("x' OR 1=1 --")}`);
    expect(status).toBe(200);
    expect(body.totals).toEqual({ visitors: 0, sessions: 0, page_views: 0, events: 0, bounce_rate: null, median_session_seconds: null });
    expect(body.top_pages).toEqual([]);
  });

  it('limit cuts the lists, never the event types; over the cap is a 400', async () => {
    const { body } = await overview('&limit=1');
    expect(body.top_pages).toEqual([{ path: '/', page_views: 3, sessions: 2 }]);
    expect(body.channels).toHaveLength(1);
    expect(body.events_by_type).toHaveLength(6);
    expect(await overview('&limit=100000')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
    expect(await overview('&limit=-3')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
  });
});
