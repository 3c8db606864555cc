import { z } from 'zod';
import { EPOCH_MS_RANGE, LIMITS } from './limits.js';
import { identifierProblem, normaliseText, normaliseUrl } from './string-policy.js';

/**
 * What a browser (the tracker SDK) sends. These wire names are the public contract:
 * storefronts and email tools depend on them. Fields may be added, never renamed.
 */

/**
 * The string classes of the contract (string-policy.ts, docs/events.md "What a string may hold"). Every string field
 * of every event is one of them, so no string reaches the log that the policy forbids. Lengths count UTF-16 code units
 * and are checked on what was sent; normalising never makes a string longer.
 */
/** An identifier: refused (with the reason) when it holds a forbidden character. */
export function identifierString(max: number = LIMITS.maxIdLength) {
  return z
    .string()
    .min(1)
    .max(max)
    .check((ctx) => {
      const problem = identifierProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });
}
/**
 * Free text: repaired in place (normaliseText; `overwrite` keeps it a plain string, cheaper than a transform).
 * `min: 1` also refuses text that normalising left empty.
 */
export function freeText(options: { min?: number; max?: number } = {}) {
  return repaired(z.string().max(options.max ?? LIMITS.maxTextLength), normaliseText, options.min ?? 0);
}
/** A URL: repaired like free text, tab and line breaks removed (normaliseUrl). */
export function urlString(options: { min?: number } = {}) {
  return repaired(z.string().max(LIMITS.maxUrlLength), normaliseUrl, options.min ?? 1);
}
function repaired(schema: z.ZodString, normalise: (value: string) => string, min: number) {
  // abort: a string already too short is not also reported as "empty once … removed".
  const normalised = schema.min(min, { abort: true }).overwrite(normalise);
  return min > 0 ? normalised.refine((value) => value.length >= min, 'empty once control characters are removed') : normalised;
}

const id = identifierString();
const text = freeText();
const url = urlString();
/** Epoch milliseconds; bounded to years 2000..2100 so a broken clock is caught, not stored as 1970. */
const epochMillis = z.number().int().min(EPOCH_MS_RANGE.min).max(EPOCH_MS_RANGE.max);
const money = z.number().finite().min(0).max(1e12);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"');
const quantity = z.number().int().min(1).max(100_000);
const flatValue = z.union([freeText(), z.number().finite(), z.boolean(), z.null()]);
/** Keys are identifiers (queries name them); values are free text, numbers, booleans or null. */
const flatRecord = z
  .record(identifierString(LIMITS.maxPropKeyLength), flatValue)
  .refine((r) => Object.keys(r).length <= LIMITS.maxPropsKeys, `at most ${LIMITS.maxPropsKeys} keys`);

export const productSchema = z.object({
  productId: id,
  name: text.optional(),
  category: text.optional(),
  brand: text.optional(),
  price: money.optional(),
  currency: currency.optional(),
});

export const lineItemSchema = productSchema.extend({
  price: money,
  quantity,
});

export const cartChangeSchema = lineItemSchema.extend({
  cartId: id.optional(),
});

const propsByType = {
  page_view: z.object({}),
  page_ping: z.object({
    /** Milliseconds the page was visible since the previous ping. */
    visibleMs: z.number().int().min(0).max(86_400_000),
    /** Deepest scroll position reached on this page, percent 0..100. */
    maxScroll: z.number().int().min(0).max(100),
  }),
  product_view: productSchema,
  add_to_cart: cartChangeSchema,
  remove_from_cart: cartChangeSchema,
  checkout_start: z.object({
    cartId: id.optional(),
    value: money.optional(),
    currency: currency.optional(),
    items: z.array(lineItemSchema).max(LIMITS.maxItemsPerOrder).optional(),
  }),
  purchase: z.object({
    orderId: id,
    revenue: money,
    currency,
    items: z.array(lineItemSchema).max(LIMITS.maxItemsPerOrder),
    cartId: id.optional(),
    tax: money.optional(),
    shipping: money.optional(),
    coupon: text.optional(),
  }),
  search: z.object({
    query: freeText({ min: 1 }),
    results: z.number().int().min(0).optional(),
  }),
  identify: z.object({
    customerId: id,
    /** Optional traits; `email` may be plain or already hashed (`emailSha256`). */
    traits: flatRecord.optional(),
  }),
  email_open: z.object({
    campaignId: id,
    customerId: id,
    /** Set by the collector when the open looks like a machine (privacy proxy, scanner). */
    machine: z.boolean().optional(),
    machineReason: text.optional(),
  }),
  email_click: z.object({
    campaignId: id,
    customerId: id,
    targetUrl: url,
  }),
  custom: z.object({
    name: identifierString(128),
    properties: flatRecord.optional(),
  }),
} as const;

export type EventType = keyof typeof propsByType;
export const EVENT_TYPES = Object.keys(propsByType) as EventType[];

/** Produced only by the collector from signed email tokens; a browser batch may not contain them. */
export const SERVER_ONLY_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['email_open', 'email_click']);

const commonFields = {
  /** Client-generated UUID; the processor deduplicates on it, so retries reuse it. */
  id: z.uuid(),
  /** Device clock, epoch ms. */
  ts: epochMillis,
  anonymousId: id,
  sessionId: id,
  customerId: id.optional(),
  url,
  referrer: urlString({ min: 0 }).optional(),
  title: text.optional(),
  /** 1 for the visitor's first session, 2 for the second, … */
  visitNumber: z.number().int().min(1).max(1_000_000).optional(),
};

function eventOf<T extends EventType>(type: T) {
  return z.object({ ...commonFields, type: z.literal(type), props: propsByType[type] });
}

export const clientEventSchema = z.discriminatedUnion('type', [
  eventOf('page_view').extend({ props: propsByType.page_view.default({}) }),
  eventOf('page_ping'),
  eventOf('product_view'),
  eventOf('add_to_cart'),
  eventOf('remove_from_cart'),
  eventOf('checkout_start'),
  eventOf('purchase'),
  eventOf('search'),
  eventOf('identify'),
  eventOf('email_open'),
  eventOf('email_click'),
  eventOf('custom'),
]);

export type ClientEvent = z.infer<typeof clientEventSchema>;
export type ClientEventOf<T extends EventType> = Extract<ClientEvent, { type: T }>;
export type EventProps<T extends EventType> = ClientEventOf<T>['props'];

/**
 * The batch envelope. Events are validated one by one (see validateBatch) so that one bad event
 * never rejects its neighbours.
 */
export const batchEnvelopeSchema = z.object({
  /** Public write key of the site; may instead travel in the `key` query parameter (sendBeacon cannot set headers). */
  writeKey: identifierString().optional(),
  /** Device clock when the batch was sent, epoch ms; with `ts` it lets the processor correct clock skew. */
  sentAt: epochMillis,
  events: z.array(z.unknown()).min(1).max(LIMITS.maxEventsPerBatch),
});

export type BatchEnvelope = z.infer<typeof batchEnvelopeSchema>;
