import type { Fixture, FixtureEvent } from './load-fixture.js';

/**
 * Six customers with hand-computed RFM answers (as of 2026-11-30, i.e. the instant 2026-12-01 00:00 UTC),
 * shared by the RFM, profile, audience and erasure tests. See queries/rfm/rfm-route.integration.test.ts for the arithmetic.
 *
 * c1: 3 orders (600), a stitched anonymous visit before identify (a1b), an open cart, one human and one
 *     machine email open, one click.  c2: ordered anonymously as a2, identified afterwards (gmail address).
 * c3: 2 orders (600, ties c1 on monetary).  c4: no orders, machine-flagged open only after its last visit.
 * c5: one old order, a recent bot hit (ignored), an order after as_of (ignored).  c6: no orders, one human open.
 */
export const CUSTOMER_KEY = 'sk_test_customers_0123456789';

const ev = (type: string, ts: string, anonymous_id: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ type, ts, anonymous_id, ...extra });
const identify = (ts: string, anonymous_id: string, customer_id: string, traits: Record<string, string>, session_id: string): FixtureEvent =>
  ev('identify', ts, anonymous_id, { customer_id, session_id, props: JSON.stringify({ customerId: customer_id, traits }) });

export const CUSTOMER_FIXTURE: Fixture = {
  apiKeys: [{ key: CUSTOMER_KEY, siteIds: ['shop-1'], keyId: 'key-support' }],
  identities: [
    { anonymous_id: 'a1', customer_id: 'c1', first_seen: '2026-11-01 09:00:00', last_seen: '2026-11-29 20:00:00' },
    { anonymous_id: 'a1b', customer_id: 'c1', first_seen: '2026-11-20 09:00:00' },
    { anonymous_id: 'a2', customer_id: 'c2', first_seen: '2026-11-26 00:00:00' },
    { anonymous_id: 'a3', customer_id: 'c3', first_seen: '2026-10-01 00:00:00' },
    { anonymous_id: 'a4', customer_id: 'c4', first_seen: '2026-11-28 12:00:00' },
    { anonymous_id: 'a5', customer_id: 'c5', first_seen: '2026-06-01 00:00:00' },
    { anonymous_id: 'a6', customer_id: 'c6', first_seen: '2026-09-01 00:00:00' },
  ],
  events: [
    // c1 — an anonymous first visit on a device linked later, then four sessions.
    ev('page_view', '2026-10-20 09:00:00', 'a1b', { session_id: 'a1b-s1', channel: 'organic_search', path: '/' }),
    identify('2026-11-01 08:59:00', 'a1', 'c1', { email: 'C1@Example.com' }, 'a1-s1'),
    ev('page_view', '2026-11-01 09:00:00', 'a1', { customer_id: 'c1', session_id: 'a1-s1', channel: 'email', path: '/' }),
    ev('purchase', '2026-11-01 09:10:00', 'a1', { customer_id: 'c1', session_id: 'a1-s1', channel: 'email', order_id: 'o3', revenue: 300 }),
    ev('page_view', '2026-11-20 09:00:00', 'a1', { customer_id: 'c1', session_id: 'a1-s2', channel: 'paid_search', path: '/p/2' }),
    ev('purchase', '2026-11-20 09:30:00', 'a1', { customer_id: 'c1', session_id: 'a1-s2', channel: 'paid_search', order_id: 'o2', revenue: 200 }),
    ev('page_view', '2026-11-29 09:00:00', 'a1', { customer_id: 'c1', session_id: 'a1-s3', channel: 'direct', path: '/p/1' }),
    ev('add_to_cart', '2026-11-29 09:05:00', 'a1', { customer_id: 'c1', session_id: 'a1-s3', channel: 'direct', product_id: 'p1', product_name: 'Coffee', price: 50, quantity: 2, cart_id: 'k1' }),
    ev('purchase', '2026-11-29 10:00:00', 'a1', { customer_id: 'c1', session_id: 'a1-s3', channel: 'direct', order_id: 'o1', revenue: 100, cart_id: 'k1' }),
    ev('page_view', '2026-11-29 20:00:00', 'a1', { customer_id: 'c1', session_id: 'a1-s4', channel: 'referral', path: '/p/2' }),
    ev('add_to_cart', '2026-11-29 20:01:00', 'a1', { customer_id: 'c1', session_id: 'a1-s4', channel: 'referral', product_id: 'p2', product_name: 'Filter', price: 15, quantity: 2, cart_id: 'k2' }),
    ev('add_to_cart', '2026-11-29 20:02:00', 'a1', { customer_id: 'c1', session_id: 'a1-s4', channel: 'referral', product_id: 'p3', product_name: 'Mug', price: 8, quantity: 1, cart_id: 'k2' }),
    ev('remove_from_cart', '2026-11-29 20:03:00', 'a1', { customer_id: 'c1', session_id: 'a1-s4', channel: 'referral', product_id: 'p3', product_name: 'Mug', price: 8, quantity: 1, cart_id: 'k2' }),
    ev('email_open', '2026-11-19 08:00:00', 'email-c1', { customer_id: 'c1', session_id: 'email-c1', campaign_id: 'nov' }),
    ev('email_click', '2026-11-19 08:05:00', 'email-c1', { customer_id: 'c1', session_id: 'email-c1', campaign_id: 'nov' }),
    ev('email_open', '2026-11-28 08:00:00', 'email-c1', { customer_id: 'c1', session_id: 'email-c1', campaign_id: 'bf', machine_open: true }),
    // c2 — browsed and ordered anonymously, identified a day later.
    ev('page_view', '2026-11-25 00:00:00', 'a2', { session_id: 'a2-s1', channel: 'social', path: '/' }),
    identify('2026-11-26 00:00:00', 'a2', 'c2', { email: ' John.Doe+shop@GoogleMail.com ', phone: '+49 (170) 123-4567' }, 'a2-s2'),
    // c3
    identify('2026-10-01 00:00:00', 'a3', 'c3', { email: 'Alice@Example.COM ', phone: '0049 30 1234567' }, 'a3-s1'),
    ev('page_view', '2026-10-15 00:00:00', 'a3', { customer_id: 'c3', session_id: 'a3-s2', channel: 'direct', path: '/' }),
    // c4 — a visit, then only a machine-flagged open.
    identify('2026-11-28 11:59:00', 'a4', 'c4', { email: 'b.o.b@gmail.com' }, 'a4-s1'),
    ev('page_view', '2026-11-28 12:00:00', 'a4', { customer_id: 'c4', session_id: 'a4-s1', channel: 'direct', path: '/' }),
    ev('email_open', '2026-11-30 08:00:00', 'email-c4', { customer_id: 'c4', session_id: 'email-c4', campaign_id: 'bf', machine_open: true }),
    // c5 — a bot hit under its id must not count as activity.
    ev('page_view', '2026-06-01 00:00:00', 'a5', { customer_id: 'c5', session_id: 'a5-s1', channel: 'direct', path: '/' }),
    ev('page_view', '2026-11-30 10:00:00', 'a5', { customer_id: 'c5', session_id: 'a5-bot', channel: 'direct', path: '/', is_bot: true }),
    // c6 — an old visit and a human open.
    ev('page_view', '2026-09-01 00:00:00', 'a6', { customer_id: 'c6', session_id: 'a6-s1', channel: 'direct', path: '/' }),
    ev('email_open', '2026-11-30 08:00:00', 'email-c6', { customer_id: 'c6', session_id: 'email-c6', campaign_id: 'bf' }),
    // Someone never identified: not a customer.
    ev('page_view', '2026-11-30 09:00:00', 'anon-x', { session_id: 'anon-x-s1', channel: 'direct', path: '/' }),
  ],
  orders: [
    { order_id: 'o1', ts: '2026-11-29 10:00:00', anonymous_id: 'a1', customer_id: 'c1', revenue: 100, session_id: 'a1-s3', channel: 'direct', items_count: 2, currency: 'EUR' },
    { order_id: 'o2', ts: '2026-11-20 09:30:00', anonymous_id: 'a1', customer_id: 'c1', revenue: 200, session_id: 'a1-s2', channel: 'paid_search', items_count: 4, currency: 'EUR' },
    { order_id: 'o3', ts: '2026-11-01 09:10:00', anonymous_id: 'a1', customer_id: 'c1', revenue: 300, session_id: 'a1-s1', channel: 'email', items_count: 6, currency: 'EUR' },
    { order_id: 'o4', ts: '2026-11-25 00:00:00', anonymous_id: 'a2', customer_id: '', revenue: 50, currency: 'EUR' },
    { order_id: 'o5', ts: '2026-10-01 00:00:00', anonymous_id: 'a3', customer_id: 'c3', revenue: 300, currency: 'EUR' },
    { order_id: 'o6', ts: '2026-10-15 00:00:00', anonymous_id: 'a3', customer_id: 'c3', revenue: 300, currency: 'EUR' },
    { order_id: 'o7', ts: '2026-06-01 00:00:00', anonymous_id: 'a5', customer_id: 'c5', revenue: 20, currency: 'EUR' },
    { order_id: 'o8', ts: '2026-12-05 00:00:00', anonymous_id: 'a5', customer_id: 'c5', revenue: 999, currency: 'EUR' },
  ],
  orderItems: [
    { order_id: 'o1', line: 1, ts: '2026-11-29 10:00:00', customer_id: 'c1', anonymous_id: 'a1', product_id: 'p1', product_name: 'Coffee', price: 50, quantity: 2 },
    { order_id: 'o2', line: 1, ts: '2026-11-20 09:30:00', customer_id: 'c1', anonymous_id: 'a1', product_id: 'p1', product_name: 'Coffee', price: 50, quantity: 4 },
    { order_id: 'o3', line: 1, ts: '2026-11-01 09:10:00', customer_id: 'c1', anonymous_id: 'a1', product_id: 'p1', product_name: 'Coffee', price: 50, quantity: 6 },
    { order_id: 'o4', line: 1, ts: '2026-11-25 00:00:00', customer_id: '', anonymous_id: 'a2', product_id: 'p2', product_name: 'Filter', price: 50, quantity: 1 },
  ],
};
