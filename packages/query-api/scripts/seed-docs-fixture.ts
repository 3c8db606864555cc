// Seeds a small, fixed shop into an embedded chDB data dir for docs/api.md (scripts/docs-api-examples.sh).
// Usage: tsx scripts/seed-docs-fixture.ts <dataDir>
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { loadFixture, type FixtureEvent } from '../src/testing/load-fixture.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: seed-docs-fixture.ts <dataDir>');
const database = 'spoor';
const client = createClickHouse(normaliseClickHouseConfig({ dataDir, database }));
await migrate(client, { database });

type Attrs = Partial<FixtureEvent>;
const visit = (anonymous_id: string, session: string, attrs: Attrs, list: Array<[string, string, Attrs?]>): FixtureEvent[] =>
  list.map(([type, ts, extra]) => ({ anonymous_id, session_id: session, type, ts: `2026-11-${ts}`, path: '/', currency: 'EUR', ...attrs, ...extra }));
const de = { country: 'DE', device_type: 'mobile' };
const shoe = { product_id: 'p1', product_name: 'Trail shoe', category: 'shoes', price: 89, quantity: 1 };
const hat = { product_id: 'p2', product_name: 'Wool hat', category: 'hats', price: 25, quantity: 1 };

const events: FixtureEvent[] = [
  ...visit('anon-anna', 'sess-1', { channel: 'email', source: 'newsletter', medium: 'email', ...de }, [
    ['page_view', '02 09:00:00'], ['page_view', '02 09:01:00', { path: '/products/trail-shoe' }],
    ['add_to_cart', '02 09:02:00', { path: '/products/trail-shoe', cart_id: 'cart-anna', ...shoe }],
    ['page_view', '02 09:03:00', { path: '/cart' }], ['checkout_start', '02 09:05:00', { path: '/checkout', cart_id: 'cart-anna' }],
    ['purchase', '02 09:08:00', { path: '/checkout/thanks', cart_id: 'cart-anna', order_id: 'o-1', revenue: 89, customer_id: 'cust-anna' }],
  ]),
  ...visit('anon-ben', 'sess-2', { channel: 'organic_search', source: 'google', medium: 'organic', country: 'US', device_type: 'desktop' }, [
    ['page_view', '02 11:00:00', { path: '/products/trail-shoe', search_term: 'trail shoes' }],
    ['search', '02 11:01:00', { path: '/search', search_query: 'waterproof' }],
    ['add_to_cart', '02 11:02:00', { path: '/products/trail-shoe', cart_id: 'cart-ben', ...shoe }],
    ['add_to_cart', '02 11:03:00', { path: '/products/wool-hat', cart_id: 'cart-ben', ...hat }],
    ['page_view', '02 11:04:00', { path: '/cart' }],
  ]),
  ...visit('anon-ben', 'sess-3', { channel: 'direct', country: 'US', device_type: 'desktop' }, [
    ['page_view', '03 18:00:00', { path: '/cart' }], ['checkout_start', '03 18:01:00', { path: '/checkout', cart_id: 'cart-ben' }],
  ]),
  ...visit('anon-cleo', 'sess-4', { channel: 'social', source: 'instagram', medium: 'social', country: 'FR', device_type: 'mobile' }, [
    ['page_view', '03 20:00:00', { path: '/products/wool-hat' }],
  ]),
  ...visit('anon-dan-phone', 'sess-5', { channel: 'paid_search', source: 'google', medium: 'cpc', utm_campaign: 'winter', ...de }, [
    ['page_view', '04 08:00:00', { path: '/products/wool-hat' }],
    ['add_to_cart', '04 08:01:00', { path: '/products/wool-hat', cart_id: 'cart-dan', ...hat }],
  ]),
  ...visit('anon-dan-laptop', 'sess-6', { channel: 'direct', country: 'DE', device_type: 'desktop' }, [
    ['page_view', '04 19:00:00', { path: '/checkout' }], ['checkout_start', '04 19:00:30', { path: '/checkout', cart_id: 'cart-dan' }],
    ['page_view', '04 19:02:00', { path: '/checkout/payment' }],
  ]),
  ...visit('crawler', 'sess-bot', { channel: 'direct', country: 'US', device_type: 'desktop', is_bot: true }, [['page_view', '02 03:00:00']]),
];

await loadFixture(client, database, {
  apiKeys: [{ key: 'sk_demo_shop1', siteIds: ['shop-1'], keyId: 'demo' }],
  sites: [{ site_id: 'shop-1', write_key: 'wk_public_shop1' }],
  events,
  identities: [
    { anonymous_id: 'anon-anna', customer_id: 'cust-anna', first_seen: '2026-11-02 09:08:00' },
    { anonymous_id: 'anon-dan-phone', customer_id: 'cust-dan', first_seen: '2026-11-04 08:00:30' },
    { anonymous_id: 'anon-dan-laptop', customer_id: 'cust-dan', first_seen: '2026-11-04 19:00:10' },
  ],
  orders: [{ order_id: 'o-1', ts: '2026-11-02 09:08:00', anonymous_id: 'anon-anna', customer_id: 'cust-anna', session_id: 'sess-1', revenue: 89, currency: 'EUR', items_count: 1, channel: 'email' }],
});
await client.close();
console.log(`seeded ${events.length} events into ${dataDir}`);
