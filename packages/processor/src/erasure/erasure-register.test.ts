import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRawEvent, RawEventOrigin, type RawEvent } from '@spoor/events';
import { decodeMessage } from '../pipeline/decode-message.js';
import { dropIfErased, ErasedIds, sha256Hex } from './erasure-register.js';

const rawEvent = (anonymousId: string, extra: Record<string, unknown> = {}, siteId = 'shop'): RawEvent => {
  const id = randomUUID();
  return {
    eventId: id,
    type: typeof extra.type === 'string' ? extra.type : 'page_view',
    anonymousId,
    siteId,
    eventJson: JSON.stringify({ id, type: 'page_view', ts: 1_763_800_000_000, anonymousId, sessionId: 's', url: 'https://shop.example/', ...extra }),
    deviceTs: 1_763_800_000_000,
    sentAt: 1_763_800_000_000,
    receivedAt: 1_763_800_000_000,
    clientIp: '198.51.100.0',
    userAgent: 'UA',
    collectorId: 'c',
    origin: RawEventOrigin.BROWSER,
  };
};
const decoded = (raw: RawEvent) => {
  const d = decodeMessage(encodeRawEvent(raw));
  if (d.kind !== 'ok') throw new Error(d.kind === 'dlq' ? d.reason : 'drop');
  return d.value;
};
const register = (site: string, customers: string[], anonymous: string[]) =>
  new ErasedIds([...customers.map((c) => ({ siteId: site, kind: 'customer' as const, idSha256: sha256Hex(c) })), ...anonymous.map((a) => ({ siteId: site, kind: 'anonymous' as const, idSha256: sha256Hex(a) }))]);

describe('erasure register step', () => {
  const erased = register('shop', ['cust-1004'], ['anon-a', 'anon-b']);

  it('drops the erased customer’s events and their anonymous ids’ unnamed events, on their site only', () => {
    expect(dropIfErased(decoded(rawEvent('anon-x', { customerId: 'cust-1004' })), erased).kind).toBe('drop');
    expect(dropIfErased(decoded(rawEvent('anon-x', { type: 'identify', props: { customerId: 'cust-1004', traits: { email: 'a@b.example' } } })), erased).kind).toBe('drop');
    expect(dropIfErased(decoded(rawEvent('anon-a')), erased).kind).toBe('drop');
    // A shared device: another customer's event on an erased browser stays theirs.
    expect(dropIfErased(decoded(rawEvent('anon-a', { customerId: 'cust-2' })), erased).kind).toBe('ok');
    // Another site's customer with the same id is somebody else.
    expect(dropIfErased(decoded(rawEvent('anon-a', { customerId: 'cust-1004' }, 'other-shop')), erased).kind).toBe('ok');
    expect(dropIfErased(decoded(rawEvent('anon-x', { customerId: 'cust-10045' })), erased).kind).toBe('ok');
  });

  it('never drops anyone with an empty register, and only the registered ids (generated)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && !/\p{Cc}/u.test(s)), fc.string({ minLength: 1, maxLength: 40 }), (anon, customer) => {
        const d = decodeMessage(encodeRawEvent(rawEvent(anon, { customerId: customer })));
        if (d.kind !== 'ok') return;
        expect(dropIfErased(d.value, new ErasedIds([])).kind).toBe('ok');
        expect(dropIfErased(d.value, register('shop', [customer], [])).kind).toBe('drop');
        expect(dropIfErased(d.value, register('shop', [`${customer}x`], [anon])).kind).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });
});
