import { LIMITS, validateEnvelope, validateEvent, type BatchEnvelope, type ClientEvent, type EventValidationOptions } from '@spoor/events';
import { CollectorError, invalidParameter } from '../http/collector-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and parses a batch body; any problem with the body as a whole is a 4xx naming it. */
export function parseBatchBody(body: Uint8Array): BatchEnvelope {
  if (body.byteLength === 0) throw invalidParameter('body', 'body: empty, expected a JSON batch');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw invalidParameter('body', 'body: not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidParameter('body', `body: malformed JSON (${(err as Error).message})`);
  }
  // Counted before validating so the client learns the real problem (too many) rather than a schema message.
  if (json !== null && typeof json === 'object' && Array.isArray((json as { events?: unknown }).events)) {
    const count = (json as { events: unknown[] }).events.length;
    if (count > LIMITS.maxEventsPerBatch) {
      throw new CollectorError('payload_too_large', `events: ${count} events in one batch, at most ${LIMITS.maxEventsPerBatch} allowed`, { parameter: 'events' });
    }
  }
  const envelope = validateEnvelope(json);
  if (!envelope.ok) throw invalidParameter(firstFieldOf(envelope.error), envelope.error);
  return envelope.value;
}

/**
 * The field an envelope problem names: messages are `field: problem` (describeZodError), the first one is reported;
 * a problem with the whole document (`(root)`) is about the body.
 */
function firstFieldOf(message: string): string {
  const field = /^([A-Za-z]+)[.[:]/.exec(message)?.[1];
  return field ?? 'body';
}

export type CheckedEvent = { index: number; ok: true; event: ClientEvent } | { index: number; ok: false; error: string; original: unknown };

/** Validates each event on its own so one bad event never costs its neighbours. */
export function checkEvents(
  events: readonly unknown[],
  extraCheck?: (event: ClientEvent) => string | undefined,
  options?: EventValidationOptions,
): CheckedEvent[] {
  return events.map((input, index) => {
    const result = validateEvent(input, options);
    if (!result.ok) return { index, ok: false, error: result.error, original: input };
    const problem = extraCheck?.(result.value);
    return problem ? { index, ok: false, error: problem, original: input } : { index, ok: true, event: result.value };
  });
}
