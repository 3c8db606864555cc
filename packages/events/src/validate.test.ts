import { describe, expect, it } from 'vitest';
import { validateEnvelope, validateEvent } from './validate.js';

const base = {
  id: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  ts: 1_763_800_000_000,
  anonymousId: 'anon-1',
  sessionId: 'sess-1',
  url: 'https://shop.example/products/42',
};

describe('validateEvent', () => {
  it('accepts a product view and defaults page_view props', () => {
    expect(validateEvent({ ...base, type: 'product_view', props: { productId: 'p42', price: 19.9, currency: 'EUR' } }).ok).toBe(true);
    const page = validateEvent({ ...base, type: 'page_view' });
    expect(page.ok && page.value.props).toEqual({});
  });

  it('names the field and the problem for a malformed event', () => {
    const result = validateEvent({ ...base, type: 'add_to_cart', props: { productId: 'p1', price: '12.00', quantity: 1 } });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^props\.price: .*expected number, received string/) });
  });

  it('names nested array paths', () => {
    const result = validateEvent({
      ...base,
      type: 'purchase',
      props: { orderId: 'o1', revenue: 10, currency: 'EUR', items: [{ productId: 'p1', price: 10, quantity: 0 }] },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^props\.items\[0\]\.quantity: /);
  });

  it('rejects an unknown type and a non-UUID id by name', () => {
    const unknownType = validateEvent({ ...base, type: 'teleport', props: {} });
    expect(!unknownType.ok && unknownType.error).toMatch(/^type: /);
    const badId = validateEvent({ ...base, id: 'not-a-uuid', type: 'page_view' });
    expect(!badId.ok && badId.error).toMatch(/^id: .*UUID/i);
  });

  it('rejects a lowercase currency with the accepted format in the message', () => {
    const result = validateEvent({ ...base, type: 'product_view', props: { productId: 'p', currency: 'eur' } });
    expect(!result.ok && result.error).toBe('props.currency: must be an ISO 4217 code such as "EUR"');
  });

  it('refuses server-only email events from clients unless allowed', () => {
    const open = { ...base, type: 'email_open', props: { campaignId: 'c1', customerId: 'cust-1' } };
    const refused = validateEvent(open);
    expect(!refused.ok && refused.error).toMatch(/^type: "email_open" is produced by the collector/);
    expect(validateEvent(open, { allowServerOnlyTypes: true }).ok).toBe(true);
  });
});

describe('validateEnvelope', () => {
  it('bounds the number of events and names the field', () => {
    const result = validateEnvelope({ sentAt: base.ts, events: Array.from({ length: 201 }, () => ({})) });
    expect(!result.ok && result.error).toMatch(/^events: .*200/);
  });

  it('requires sentAt as epoch milliseconds', () => {
    const result = validateEnvelope({ sentAt: 1_700_000_000, events: [{}] });
    expect(!result.ok && result.error).toMatch(/^sentAt: /);
  });
});
