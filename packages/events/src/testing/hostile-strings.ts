import fc from 'fast-check';
import type { EventType } from '../client-event.js';
import { LIMITS } from '../limits.js';
import { isPolicyClean } from '../string-policy.js';

/**
 * Generated hostile strings and events for the string-policy tests (events, collector, end to end): every string
 * field of every event type, record keys included, with what the contract must do with each.
 */

const char = (code: number) => String.fromCharCode(code);
const range = (from: number, to: number) => fc.integer({ min: from, max: to }).map(char);

/** One character (or pair) of every class the policy forbids. */
export const forbiddenChar = fc.oneof(
  range(0xd800, 0xdfff), // lone surrogates, high and low
  range(0x00, 0x1f), // C0, NUL, tab and line breaks included
  fc.constant('\u007f'),
  range(0x80, 0x9f), // C1
  fc.constant('\ufeff'),
  range(0x202a, 0x202e),
  range(0x2066, 0x2069),
  fc.constantFrom('\u2028', '\u2029'),
  range(0xfdd0, 0xfdef),
  fc.constantFrom('\ufffe', '\uffff', '\u{1fffe}', '\u{10ffff}', '\u{efffe}'),
);

/** Any UTF-16 code unit, so lone surrogates appear often and anywhere. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map(char);

export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), forbiddenChar), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.tuple(forbiddenChar, fc.integer({ min: 1, max: 5000 })).map(([c, n]) => 'x'.repeat(n) + c),
  fc.constantFrom('a\ud800b', '\ud83d', 'x\ude00', '\u0000', '\ufeffid', '\u202eevil', '\u2066x\u2069', '\ufdd0', '__proto__', 'constructor', '  '),
);

export type StringClass = 'id' | 'text' | 'url';

/** A string field: its path in the event, its class, and its length bounds. */
export interface StringField {
  path: ReadonlyArray<string | number>;
  kind: StringClass;
  min: number;
  max: number;
  /** The field is a record key (traits / properties), not a value. */
  key?: boolean;
}

const f = (path: Array<string | number>, kind: StringClass, min = kind === 'text' ? 0 : 1, max?: number): StringField => ({
  path,
  kind,
  min,
  max: max ?? (kind === 'id' ? LIMITS.maxIdLength : kind === 'url' ? LIMITS.maxUrlLength : LIMITS.maxTextLength),
});
const productFields = (prefix: Array<string | number>) => [
  f([...prefix, 'productId'], 'id'),
  f([...prefix, 'name'], 'text'),
  f([...prefix, 'category'], 'text'),
  f([...prefix, 'brand'], 'text'),
];
const COMMON = [f(['anonymousId'], 'id'), f(['sessionId'], 'id'), f(['customerId'], 'id'), f(['url'], 'url'), f(['referrer'], 'url', 0), f(['title'], 'text')];

/** Every string field of every event type. */
export const STRING_FIELDS: Record<EventType, StringField[]> = {
  page_view: COMMON,
  page_ping: COMMON,
  product_view: [...COMMON, ...productFields(['props'])],
  add_to_cart: [...COMMON, ...productFields(['props']), f(['props', 'cartId'], 'id')],
  remove_from_cart: [...COMMON, ...productFields(['props']), f(['props', 'cartId'], 'id')],
  checkout_start: [...COMMON, f(['props', 'cartId'], 'id'), ...productFields(['props', 'items', 0])],
  purchase: [...COMMON, f(['props', 'orderId'], 'id'), f(['props', 'cartId'], 'id'), f(['props', 'coupon'], 'text'), ...productFields(['props', 'items', 0])],
  search: [...COMMON, f(['props', 'query'], 'text', 1)],
  identify: [...COMMON, f(['props', 'customerId'], 'id'), f(['props', 'traits', 'plan'], 'text'), { ...f(['props', 'traits'], 'id', 1, LIMITS.maxPropKeyLength), key: true }],
  custom: [...COMMON, f(['props', 'name'], 'id', 1, 128), f(['props', 'properties', 'colour'], 'text'), { ...f(['props', 'properties'], 'id', 1, LIMITS.maxPropKeyLength), key: true }],
  email_open: [...COMMON, f(['props', 'campaignId'], 'id'), f(['props', 'customerId'], 'id'), f(['props', 'machineReason'], 'text')],
  email_click: [...COMMON, f(['props', 'campaignId'], 'id'), f(['props', 'customerId'], 'id'), f(['props', 'targetUrl'], 'url')],
};

const PROPS: Record<EventType, () => Record<string, unknown>> = {
  page_view: () => ({}),
  page_ping: () => ({ visibleMs: 1000, maxScroll: 10 }),
  product_view: () => ({ productId: 'p1', name: 'Tent', category: 'Camping', brand: 'Fleet', price: 10, currency: 'EUR' }),
  add_to_cart: () => ({ productId: 'p1', name: 'Tent', category: 'Camping', brand: 'Fleet', price: 10, quantity: 1, cartId: 'cart-1' }),
  remove_from_cart: () => ({ productId: 'p1', name: 'Tent', category: 'Camping', brand: 'Fleet', price: 10, quantity: 1, cartId: 'cart-1' }),
  checkout_start: () => ({ cartId: 'cart-1', value: 10, currency: 'EUR', items: [{ productId: 'p1', name: 'Tent', category: 'Camping', brand: 'Fleet', price: 10, quantity: 1 }] }),
  purchase: () => ({ orderId: `o-${globalThis.crypto.randomUUID()}`, revenue: 10, currency: 'EUR', cartId: 'cart-1', coupon: 'SPRING', items: [{ productId: 'p1', name: 'Tent', category: 'Camping', brand: 'Fleet', price: 10, quantity: 1 }] }),
  search: () => ({ query: 'tent', results: 3 }),
  identify: () => ({ customerId: 'cust-1', traits: { plan: 'vip' } }),
  custom: () => ({ name: 'size_guide_opened', properties: { colour: 'red' } }),
  email_open: () => ({ campaignId: 'camp-1', customerId: 'cust-1', machine: true, machineReason: 'user-agent: test' }),
  email_click: () => ({ campaignId: 'camp-1', customerId: 'cust-1', targetUrl: 'https://shop.example/sale' }),
};

/** A valid event of `type` with every string field set. */
export function validEventOf(type: EventType, ts: number, anonymousId = 'anon-hostile'): Record<string, unknown> {
  return {
    id: globalThis.crypto.randomUUID(),
    type,
    ts,
    anonymousId,
    sessionId: 'sess-1',
    customerId: 'cust-1',
    url: 'https://shop.example/p/1',
    referrer: 'https://www.google.com/',
    title: 'Tent — Camping',
    props: PROPS[type](),
  };
}

/** `event` with `value` written at `field` (a record key is added beside the existing entries). */
export function withString(event: Record<string, unknown>, field: StringField, value: string): Record<string, unknown> {
  const copy = structuredClone(event);
  let target = copy as Record<string | number, unknown>;
  for (const step of field.path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  const last = field.path[field.path.length - 1]!;
  // defineProperty: a key such as "__proto__" must be an own key, as JSON.parse makes it on the collector.
  if (field.key) Object.defineProperty(target[last], value, { value: 'v', enumerable: true, configurable: true, writable: true });
  else target[last] = value;
  return copy;
}

/** What the contract must answer for `value` in `field`: kept as `expected`, or refused naming the field. */
export function expectedOutcome(field: StringField, value: string, normalise: (kind: 'text' | 'url', v: string) => string): { ok: true; expected: string } | { ok: false } {
  if (value.length < field.min || value.length > field.max) return { ok: false };
  if (field.kind === 'id') return isPolicyClean(value) ? { ok: true, expected: value } : { ok: false };
  const expected = normalise(field.kind, value);
  return expected.length < field.min ? { ok: false } : { ok: true, expected };
}

/** The error prefix that names `field` (describeZodError's format; a hostile key is printed escaped, so only its record). */
export function fieldName(field: StringField): string {
  return field.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** Reads the value at `field` back out of a decoded event. */
export function readField(event: unknown, field: StringField): unknown {
  let value = event as Record<string | number, unknown> | undefined;
  for (const step of field.path) value = value?.[step] as Record<string | number, unknown> | undefined;
  return value;
}

/** Every string in a JSON value, object keys included. */
export function everyString(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) everyString(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      everyString(v, out);
    }
  }
  return out;
}

/** A generated (type, field, hostile value) triple over every string field of every event type. */
export const hostileField = (types: readonly EventType[]) =>
  fc
    .constantFrom(...types)
    .chain((type) => fc.tuple(fc.constant(type), fc.constantFrom(...STRING_FIELDS[type]), hostileString));
