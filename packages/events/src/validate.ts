import type { z } from 'zod';
import { batchEnvelopeSchema, clientEventSchema, SERVER_ONLY_EVENT_TYPES, type BatchEnvelope, type ClientEvent } from './client-event.js';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * One line per problem, each naming the field path and what is wrong: `props.price: expected number, received string`.
 * The message travels back to the client, into the DLQ and into logs, so it obeys the string policy itself: a path
 * segment that is not a plain name (a hostile `traits` key) is printed as a bounded, escaped `["…"]`.
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length ? issue.path.map((p, i) => pathSegment(p, i)).join('') : '(root)';
      // A refused record key: say why (the string policy's reason), not only that it is invalid.
      const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
      return `${path}: ${inner ? `key ${inner}` : issue.message}`;
    })
    .join('; ');
}

const STILL_FORBIDDEN = /[\u007F-\u009F\uFEFF\u202A-\u202E\u2066-\u2069\u2028\u2029]|\p{Noncharacter_Code_Point}/gu;
const PLAIN_NAME = /^[A-Za-z_$][\w$-]{0,63}$/;

function pathSegment(segment: PropertyKey, index: number): string {
  if (typeof segment === 'number') return `[${segment}]`;
  const name = String(segment);
  if (PLAIN_NAME.test(name)) return index ? `.${name}` : name;
  const bounded = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  // JSON.stringify escapes lone surrogates and C0 controls; the rest of what the policy forbids is escaped after it.
  const escaped = JSON.stringify(bounded).replace(STILL_FORBIDDEN, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
  return `[${escaped}]`;
}

export function validateEnvelope(input: unknown): Validation<BatchEnvelope> {
  const parsed = batchEnvelopeSchema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: describeZodError(parsed.error) };
}

export interface EventValidationOptions {
  /** Browser batches may not carry server-only types (email_open / email_click). */
  allowServerOnlyTypes?: boolean;
}

export function validateEvent(input: unknown, options: EventValidationOptions = {}): Validation<ClientEvent> {
  const parsed = clientEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
  if (!options.allowServerOnlyTypes && SERVER_ONLY_EVENT_TYPES.has(parsed.data.type)) {
    return { ok: false, error: `type: "${parsed.data.type}" is produced by the collector from signed email links and cannot be sent by a client` };
  }
  return { ok: true, value: parsed.data };
}
