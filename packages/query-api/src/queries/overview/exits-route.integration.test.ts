import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { getJson, loadFixture, type FixtureEvent } from '../../testing/index.js';

// 2026-11-01, four sessions with page views (s5 has none, b1 is a bot). Expected numbers derived below.
const KEY = 'sk_exits';
const s = (a: string, channel: string, list: Array<[type: string, ts: string, path: string]>): FixtureEvent[] =>
  list.map(([type, ts, path]) => ({ anonymous_id: a, session_id: `${a}-s`, channel, type, ts: `2026-11-01 ${ts}`, path }));

const events: FixtureEvent[] = [
  // s1 (email): enters '/', carts, leaves on '/cart' → cart abandoner.
  ...s('a1', 'email', [['page_view', '10:00:00', '/'], ['page_view', '10:01:00', '/products/x'], ['add_to_cart', '10:02:00', '/products/x'], ['page_view', '10:03:00', '/cart']]),
  // s2 (direct): one page view → entry = exit = '/', a bounce.
  ...s('a2', 'direct', [['page_view', '11:00:00', '/']]),
  // s3 (direct): buys; the purchase is not a page view, so the exit is '/checkout'.
  ...s('a3', 'direct', [['page_view', '12:00:00', '/products/x'], ['add_to_cart', '12:01:00', '/products/x'], ['page_view', '12:02:00', '/checkout'], ['purchase', '12:03:00', '/checkout/thanks']]),
  // s4 (email): two page views in the same millisecond; the later-recorded ('/cart', higher event id) is the exit.
  ...s('a4', 'email', [['add_to_cart', '12:59:00', '/products/y'], ['page_view', '13:00:00', '/products/y'], ['page_view', '13:00:00', '/cart']]),
  // s5: no page views → neither entry nor exit. b1: bot.
  ...s('a5', 'direct', [['add_to_cart', '14:00:00', '/products/x']]),
  ...s('b1', 'direct', [['page_view', '15:00:00', '/']]).map((e) => ({ ...e, is_bot: true })),
];

let app: QueryApi;
beforeAll(async () => {
  const { client, database } = await freshClickHouseDatabase();
  await loadFixture(client, database, { apiKeys: [{ key: KEY, siteIds: ['shop-1'] }], events });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database });
});

const exits = (extra = '') => getJson(app, `/api/v1/exits?site=shop-1&from=2026-11-01&to=2026-11-01${extra}`, KEY);

describe('GET /api/v1/exits', () => {
  it('exit and entry pages with exits, page views, rates (ties by event id, sessions without page views and bots left out)', async () => {
    const { status, body } = await exits();
    expect(status).toBe(200);
    expect(body.sessions).toBe(4);
    expect(body.exit_pages).toEqual([
      { path: '/cart', exits: 2, page_views: 2, exit_rate: 1 },
      { path: '/', exits: 1, page_views: 2, exit_rate: 0.5 },
      { path: '/checkout', exits: 1, page_views: 1, exit_rate: 1 },
    ]);
    expect(body.entry_pages).toEqual([
      { path: '/', entries: 2, page_views: 2, bounces: 1, bounce_rate: 0.5 },
      { path: '/products/x', entries: 1, page_views: 2, bounces: 0, bounce_rate: 0 },
      { path: '/products/y', entries: 1, page_views: 1, bounces: 0, bounce_rate: 0 },
    ]);
  });

  it('cart without purchase: where cart abandoners leave', async () => {
    const { body } = await exits('&cart_without_purchase=true');
    expect(body.sessions).toBe(2);
    expect(body.exit_pages).toEqual([{ path: '/cart', exits: 2, page_views: 2, exit_rate: 1 }]);
    expect(body.entry_pages.map((p: { path: string }) => p.path)).toEqual(['/', '/products/y']);
  });

  it('by channel, and filtered to one channel', async () => {
    const { body } = await exits('&by=channel');
    expect(body.exit_pages).toEqual([
      { channel: 'direct', path: '/', exits: 1, page_views: 1, exit_rate: 1 },
      { channel: 'direct', path: '/checkout', exits: 1, page_views: 1, exit_rate: 1 },
      { channel: 'email', path: '/cart', exits: 2, page_views: 2, exit_rate: 1 },
    ]);
    const email = await exits('&channel=email');
    expect(email.body.sessions).toBe(2);
    expect(email.body.exit_pages).toEqual([{ path: '/cart', exits: 2, page_views: 2, exit_rate: 1 }]);
  });

  it('limit, bots on request, and bad parameters', async () => {
    expect((await exits('&limit=1')).body.exit_pages).toEqual([{ path: '/cart', exits: 2, page_views: 2, exit_rate: 1 }]);
    expect((await exits('&include_bots=true')).body.sessions).toBe(5);
    expect(await exits('&by=country')).toMatchObject({ status: 400, body: { error: { parameter: 'by' } } });
    expect(await exits('&cart_without_purchase=1')).toMatchObject({ status: 400, body: { error: { parameter: 'cart_without_purchase' } } });
    const injected = await exits(`&channel=${encodeURIComponent("' OR ''='")}`);
    expect(injected).toMatchObject({ status: 200, body: { sessions: 0, exit_pages: [], entry_pages: [] } });
  });
});
