import { describe, expect, it } from 'vitest';
import { validateEvent } from '@spoor/events';
import { generateTraffic } from './generate-traffic.js';

const options = { visitors: 300, days: 14, seed: 42, endAt: Date.UTC(2026, 10, 20), origin: 'https://demo.spoor.test' };

describe('demo traffic', () => {
  const traffic = generateTraffic(options);

  it('produces only events the collector accepts', () => {
    for (const event of traffic.events) {
      const result = validateEvent(event, { allowServerOnlyTypes: true });
      expect(result.ok ? 'ok' : `${event.type}: ${result.error}`).toBe('ok');
    }
  });

  it('is reproducible for a seed and different for another', () => {
    expect(generateTraffic(options).events.map((e) => e.id)).toEqual(traffic.events.map((e) => e.id));
    expect(generateTraffic({ ...options, seed: 43 }).events[0]!.id).not.toBe(traffic.events[0]!.id);
    expect(new Set(traffic.events.map((e) => e.id)).size).toBe(traffic.events.length);
  });

  it('covers what funnels, exits, RFM and audiences need', () => {
    const types = new Map<string, number>();
    for (const e of traffic.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    for (const t of ['page_view', 'page_ping', 'product_view', 'add_to_cart', 'checkout_start', 'purchase', 'search', 'identify', 'email_open', 'email_click']) {
      expect(types.get(t) ?? 0, t).toBeGreaterThan(0);
    }
    // Funnel shape: fewer checkouts than carts, fewer purchases than checkouts.
    expect(types.get('add_to_cart')!).toBeGreaterThan(types.get('checkout_start')!);
    expect(types.get('checkout_start')!).toBeGreaterThan(types.get('purchase')!);
    // Repeat buyers exist.
    const ordersPerCustomer = new Map<string, number>();
    for (const e of traffic.events) if (e.type === 'purchase' && e.customerId) ordersPerCustomer.set(e.customerId, (ordersPerCustomer.get(e.customerId) ?? 0) + 1);
    expect([...ordersPerCustomer.values()].some((n) => n >= 2)).toBe(true);
    // Everything inside the window, in time order.
    const start = options.endAt - options.days * 86_400_000;
    expect(traffic.events.every((e, i) => e.ts >= start && e.ts <= options.endAt && (i === 0 || traffic.events[i - 1]!.ts <= e.ts))).toBe(true);
  });
});
