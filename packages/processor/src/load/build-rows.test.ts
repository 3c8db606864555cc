import { describe, expect, it } from 'vitest';
import { encodeRawEvent, RawEventOrigin, type ClientEvent } from '@spoor/events';
import { createEnricher, type EnrichedEvent } from '../enrich/enrich-event.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import { decodeMessage } from '../pipeline/decode-message.js';
import { buildRows, TABLES } from './build-rows.js';
import { COLUMN_NAMES, rowObject } from './table-columns.js';

const enrich = createEnricher({ geo: () => ({ country: 'PL', region: 'Mazowieckie', city: 'Warsaw', latitude: 52.2, longitude: 21, timezone: 'Europe/Warsaw' }), userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });
const T = 1_763_800_000_000;

async function enriched(event: ClientEvent): Promise<EnrichedEvent> {
  const raw = { eventId: event.id, type: event.type, anonymousId: event.anonymousId, siteId: 'site-1', eventJson: JSON.stringify(event), deviceTs: T, sentAt: T, receivedAt: T, clientIp: '83.0.12.34', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:132.0) Gecko/20100101 Firefox/132.0', collectorId: 'c1', origin: RawEventOrigin.BROWSER };
  const decoded = decodeMessage(encodeRawEvent(raw));
  if (decoded.kind !== 'ok') throw new Error(`fixture does not decode: ${JSON.stringify(decoded)}`);
  return enrich(decoded.value);
}

const base = { anonymousId: 'anon-1', sessionId: 'sess-1', ts: T, url: 'https://shop.example/p/1?utm_source=newsletter&utm_medium=email&gclid=abc', referrer: 'https://www.google.com/' };

describe('buildRows (positional rows in TABLE_COLUMNS order)', () => {
  it('puts every value of an events row under its column name', async () => {
    const view = await enriched({ ...base, id: '0b7c3f1e-1111-4a1a-8a1a-000000000001', type: 'product_view', title: 'Shoe', props: { productId: 'p1', name: 'Trail shoe', category: 'Shoes', brand: 'Acme', price: 29.95, currency: 'EUR' } });
    const ping = await enriched({ ...base, id: '0b7c3f1e-1111-4a1a-8a1a-000000000002', type: 'page_ping', props: { visibleMs: 5000, maxScroll: 60 } });
    const rows = buildRows([view, ping]);
    for (const table of TABLES) for (const r of rows[table]) expect(r.row).toHaveLength(COLUMN_NAMES[table].length);
    const [v, p] = rows.events.map((r) => rowObject('events', r.row));
    expect(v).toMatchObject({
      site_id: 'site-1', event_id: '0b7c3f1e-1111-4a1a-8a1a-000000000001', type: 'product_view', ts: new Date(T).toISOString(), anonymous_id: 'anon-1', session_id: 'sess-1',
      url: base.url, host: 'shop.example', path: '/p/1', title: 'Shoe', referrer: base.referrer, referrer_host: 'www.google.com', medium: 'paid',
      utm_source: 'newsletter', utm_medium: 'email', click_id_type: 'gclid', click_id: 'abc', country: 'PL', city: 'Warsaw', latitude: 52.2, timezone: 'Europe/Warsaw',
      browser: 'Firefox', os: 'Mac OS', device_type: 'desktop', is_bot: false, ip_anonymized: '83.0.12.0',
      product_id: 'p1', product_name: 'Trail shoe', category: 'Shoes', brand: 'Acme', price: 29.95, quantity: 0, currency: 'EUR', visible_ms: 0, max_scroll: 0, props: JSON.stringify(view.event.props),
    });
    expect(p).toMatchObject({ type: 'page_ping', product_id: '', price: 0, currency: '', visible_ms: 5000, max_scroll: 60 });
    expect(rowObject('raw_events', rows.raw_events[0]!.row)).toMatchObject({ site_id: 'site-1', event_id: view.raw.eventId, type: 'product_view', received_at: new Date(T).toISOString(), collector_id: 'c1', origin: 'browser', ip_anonymized: '83.0.12.0' });
  });

  it('builds orders, order items and one identity link per (site, anonymous id, customer)', async () => {
    const purchase = await enriched({ ...base, id: '0b7c3f1e-1111-4a1a-8a1a-000000000003', type: 'purchase', customerId: 'cust-1', props: { orderId: 'o-1', revenue: 70, tax: 5, currency: 'EUR', items: [{ productId: 'p1', price: 30, quantity: 2 }, { productId: 'p2', name: 'Sock', price: 10, quantity: 1 }] } });
    const identify = await enriched({ ...base, id: '0b7c3f1e-1111-4a1a-8a1a-000000000004', type: 'identify', props: { customerId: 'cust-1' } });
    const rows = buildRows([purchase, identify]);
    expect(rows.orders.map((r) => rowObject('orders', r.row))).toEqual([
      expect.objectContaining({ site_id: 'site-1', order_id: 'o-1', event_id: purchase.event.id, revenue: 70, tax: 5, shipping: 0, items_count: 3, currency: 'EUR', coupon: '', customer_id: 'cust-1', session_id: 'sess-1' }),
    ]);
    expect(rows.order_items.map((r) => rowObject('order_items', r.row))).toEqual([
      expect.objectContaining({ order_id: 'o-1', line: 1, product_id: 'p1', product_name: '', price: 30, quantity: 2, customer_id: 'cust-1', anonymous_id: 'anon-1' }),
      expect.objectContaining({ order_id: 'o-1', line: 2, product_id: 'p2', product_name: 'Sock', price: 10, quantity: 1 }),
    ]);
    expect(rows.identities.map((r) => rowObject('identities', r.row))).toEqual([
      { site_id: 'site-1', anonymous_id: 'anon-1', customer_id: 'cust-1', first_seen: new Date(T).toISOString(), last_seen: new Date(T).toISOString(), sources: ['event', 'identify'] },
    ]);
  });
});
