import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { getJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// Carts whose last change is on 2026-11-01 … 2026-11-02; now = 2026-11-10; window 24 h unless stated.
const KEY = 'sk_carts';
const INJECTED_CART = "x'); DROP TABLE events; --";
const add = (a: string, ts: string, cart_id: string, product_id: string, quantity: number, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  anonymous_id: a, type: 'add_to_cart', ts, cart_id, product_id, quantity, currency: 'EUR', path: `/products/${product_id}`,
  product_name: { p1: 'Shoe', p2: 'Hat', p3: 'Bag' }[product_id] ?? product_id, price: { p1: 50, p2: 20, p3: 100 }[product_id] ?? 1, ...extra,
});
const remove = (a: string, ts: string, cart_id: string, product_id: string, quantity: number, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  ...add(a, ts, cart_id, product_id, quantity, extra), type: 'remove_from_cart',
});
const purchase = (a: string, ts: string, cart_id: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  anonymous_id: a, type: 'purchase', ts, cart_id, order_id: `o-${a}`, revenue: 1, currency: 'EUR', path: '/checkout/thanks', ...extra,
});

const events: FixtureEvent[] = [
  // cart-1: two visits (sessions), net p1×1 + p2×1 = 70, never bought → abandoned once; a1 is customer c1.
  add('a1', '2026-11-01 10:00:00', 'cart-1', 'p1', 2, { session_id: 'a1-s1' }),
  add('a1', '2026-11-02 09:00:00', 'cart-1', 'p2', 1, { session_id: 'a1-s2' }),
  remove('a1', '2026-11-02 09:05:00', 'cart-1', 'p1', 1, { session_id: 'a1-s2' }),
  // cart-2: bought half an hour later → not abandoned.
  add('a2', '2026-11-01 12:00:00', 'cart-2', 'p1', 1),
  purchase('a2', '2026-11-01 12:30:00', 'cart-2'),
  // cart-3: bought exactly 24 h after the last change (inside the window) → not abandoned.
  add('a3', '2026-11-01 15:00:00.000', 'cart-3', 'p3', 1),
  purchase('a3', '2026-11-02 15:00:00.000', 'cart-3'),
  // cart-4: bought 24 h + 1 ms later (too late) → abandoned; customer known from its own events.
  add('a4', '2026-11-01 08:00:00.000', 'cart-4', 'p1', 1, { customer_id: 'c4' }),
  purchase('a4', '2026-11-02 08:00:00.001', 'cart-4', { customer_id: 'c4' }),
  // cart-5: emptied again → no items, not listed.
  add('a5', '2026-11-01 09:00:00', 'cart-5', 'p2', 1),
  remove('a5', '2026-11-01 09:01:00', 'cart-5', 'p2', 1),
  // a6: no cart id → the browser's cart, p2×3 = 60, abandoned.
  add('a6', '2026-11-02 20:00:00', '', 'p2', 3),
  // a7: no cart id, bought (purchase without cart id) → closed.
  add('a7', '2026-11-01 07:00:00', '', 'p1', 1),
  purchase('a7', '2026-11-01 07:30:00', ''),
  // cart-8: purchase names no cart but comes from the same browser → closed.
  add('a8', '2026-11-01 06:00:00', 'cart-8', 'p1', 1),
  purchase('a8', '2026-11-01 06:10:00', ''),
  // cart-10: last change before the range; cart-bot: a bot's.
  add('a10', '2026-10-31 10:00:00', 'cart-10', 'p1', 1),
  add('b1', '2026-11-01 10:00:00', 'cart-bot', 'p1', 1, { is_bot: true }),
  // An injection string as a cart id is just an id.
  add('a11', '2026-11-01 05:00:00', INJECTED_CART, 'p1', 1),
];

let app: QueryApi;
beforeAll(async () => {
  ({ app } = await queryApiWithFixture({
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    events,
    identities: [{ anonymous_id: 'a1', customer_id: 'c1', first_seen: '2026-11-02 09:01:00' }],
  }, { now: () => new Date('2026-11-10T00:00:00Z') }));
});

const carts = (extra = '') => getJson(app, `/api/v1/carts/abandoned?site=shop-1&from=2026-11-01&to=2026-11-02${extra}`, KEY);

describe('GET /api/v1/carts/abandoned', () => {
  it('lists each abandoned cart once, newest first, with items, value and customer', async () => {
    const { status, body } = await carts();
    expect(status).toBe(200);
    expect(body).toMatchObject({ hours: 24, abandoned_carts: 4, value: 230 });
    expect(body.carts.map((c: { cart_id: string | null }) => c.cart_id)).toEqual([null, 'cart-1', 'cart-4', INJECTED_CART]);
    expect(body.carts[0]).toEqual({
      cart_id: null,
      customer_id: null,
      anonymous_id: 'a6',
      items: [{ product_id: 'p2', name: 'Hat', quantity: 3, price: 20 }],
      value: 60,
      currency: 'EUR',
      first_activity_at: '2026-11-02T20:00:00.000Z',
      last_activity_at: '2026-11-02T20:00:00.000Z',
      sessions: 1,
    });
    expect(body.carts[1]).toEqual({
      cart_id: 'cart-1',
      customer_id: 'c1',
      anonymous_id: 'a1',
      items: [
        { product_id: 'p1', name: 'Shoe', quantity: 1, price: 50 },
        { product_id: 'p2', name: 'Hat', quantity: 1, price: 20 },
      ],
      value: 70,
      currency: 'EUR',
      first_activity_at: '2026-11-01T10:00:00.000Z',
      last_activity_at: '2026-11-02T09:05:00.000Z',
      sessions: 2,
    });
    expect(body.carts[2]).toMatchObject({ cart_id: 'cart-4', customer_id: 'c4', value: 50 });
  });

  it('a cart still inside its window is not abandoned yet; a longer window lets a late purchase close a cart', async () => {
    // 180 h: cart-1 (ends 11-09 21:05) is due, a6 (ends 11-10 08:00) is still open, cart-4's purchase is now in time.
    const { body } = await carts('&hours=180');
    expect(body.carts.map((c: { cart_id: string | null }) => c.cart_id)).toEqual(['cart-1', INJECTED_CART]);
  });

  it('bots on request, limit, and 400s naming the parameter', async () => {
    expect((await carts('&include_bots=true')).body.abandoned_carts).toBe(5);
    const limited = await carts('&limit=1');
    expect(limited.body).toMatchObject({ abandoned_carts: 4, value: 230 });
    expect(limited.body.carts).toHaveLength(1);
    expect(await carts('&hours=0')).toMatchObject({ status: 400, body: { error: { parameter: 'hours' } } });
    expect(await carts('&hours=abc')).toMatchObject({ status: 400, body: { error: { parameter: 'hours' } } });
  });
});
