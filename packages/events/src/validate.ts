import type { z } from 'zod';
import { batchEnvelopeSchema, clientEventSchema, SERVER_ONLY_EVENT_TYPES, type BatchEnvelope, type ClientEvent } from './client-event.js';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** One line per problem, each naming the field path and what is wrong: `props.price: expected number, received string`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
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
