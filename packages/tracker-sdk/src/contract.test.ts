import { batchEnvelopeSchema, clientEventSchema, EVENT_TYPES, SERVER_ONLY_EVENT_TYPES, validateEvent } from '@spoor/events';
import { expect, it, vi } from 'vitest';
import { createApi } from './api.js';
import { createTracker } from './tracker.js';
import { memoryEnv } from '../test-support/memory-env.js';
import { useFixedClock } from '../test-support/tracker-unit-setup.js';

useFixedClock();

/**
 * The SDK imports only types from @spoor/events (zod stays out of the bundle), so this test is what
 * keeps the two from drifting: every event type a browser may send is produced through the public API
 * and must pass the contract's schema, inside an envelope that passes the envelope schema.
 */
it('every event the SDK produces validates against clientEventSchema', async () => {
  const m = memoryEnv();
  m.state.url = 'https://shop.example/p/42?utm_source=news&email=a@b.c';
  m.state.referrer = 'https://www.google.com/';
  m.state.title = 'Boots — Shop';
  const t = createTracker({ writeKey: 'wk_live_1', collector: 'https://c.example' }, m.env);
  const api = createApi(t);
  const item = { productId: 'p42', name: 'Boots', category: 'Shoes', brand: 'Acme', price: 89.9, currency: 'EUR', quantity: 2 };
  api.page();
  t.emit('page_ping', { visibleMs: 15_000, maxScroll: 80 });
  api.productView({ productId: 'p42', name: 'Boots', price: 89.9, currency: 'EUR' });
  api.addToCart({ ...item, cartId: 'cart-1' });
  api.removeFromCart({ ...item, quantity: 1 });
  api.checkoutStart({ cartId: 'cart-1', value: 179.8, currency: 'EUR', items: [item] });
  api.purchase({ orderId: 'o-1', revenue: 179.8, currency: 'EUR', items: [item], tax: 28.7, shipping: 0, coupon: 'WELCOME' });
  api.search('boots');
  api.search('boots', 12);
  api.identify('cust-1', { spoor_it: 'eyJ1IjoiY3VzdC0xIn0.sig', emailSha256: 'ab'.repeat(32) });
  api.track('newsletter_signup', { source: 'footer', step: 2, ok: true, none: null });
  api.track('no_props');
  await vi.advanceTimersByTimeAsync(1000);

  const produced = new Set(m.events().map((e) => e.type));
  const browserTypes = EVENT_TYPES.filter((x) => !SERVER_ONLY_EVENT_TYPES.has(x));
  expect([...produced].sort()).toEqual([...browserTypes].sort());
  for (const req of m.sent) {
    expect(batchEnvelopeSchema.safeParse(req.body).success).toBe(true);
    for (const e of req.body.events) {
      const parsed = clientEventSchema.safeParse(e);
      expect(parsed.success, `${e.type}: ${parsed.error?.message}`).toBe(true);
      expect(validateEvent(e).ok).toBe(true);
      expect(e.url).toBe('https://shop.example/p/42?utm_source=news');
    }
  }
});
