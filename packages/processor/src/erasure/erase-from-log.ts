import { decodeDeadLetter, decodeRawEvent, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, rawEventsOfRecord, VALUE_FORMAT_HEADER, type RawEvent } from '@spoor/events';
import type { EventLog, RewritableRecord } from '@spoor/infra';

/** Whom an erasure removes (the query API's ErasureSubject): ids in clear, in memory only for the rewrite. */
export interface LogErasureSubject {
  site: string;
  customerId: string;
  anonymousIds: readonly string[];
}

type Decision = 'keep' | 'remove' | { value: Buffer };

/**
 * Removes an erased person's records from a log that can rewrite itself (the embedded file log), raw topic and
 * dead letters, so the data directory keeps no readable form of them. On Kafka (no rewrite) nothing is removed
 * here: the erasure register drops the records whenever they are consumed or replayed, and the bytes leave with
 * the topic's retention. Returns a summary for the audit entry.
 */
export async function eraseFromLog(log: EventLog, topics: { raw: string; deadLetter: string }, subject: LogErasureSubject): Promise<string> {
  if (!log.rewrite) return 'log cannot delete single records (Kafka): the erasure register drops them on consume and replay until retention deletes them';
  const matcher = subjectMatcher(subject);
  const raw = await log.rewrite(topics.raw, (record) => rawRecordDecision(record, matcher));
  const dead = await log.rewrite(topics.deadLetter, (record) => deadLetterDecision(record, matcher));
  return `${topics.raw}: ${raw.removed} records removed, ${raw.replaced} rewritten; ${topics.deadLetter}: ${dead.removed} removed`;
}

interface SubjectMatcher {
  rawEvent(raw: RawEvent): boolean;
  /** Bytes that are not a RawEvent (a rejected request's JSON, garbage): by the ids they contain. */
  text(bytes: Uint8Array): boolean;
}

function subjectMatcher(subject: LogErasureSubject): SubjectMatcher {
  const anonymous = new Set(subject.anonymousIds);
  const ids = [subject.customerId, ...subject.anonymousIds].filter(Boolean);
  const text = (bytes: Uint8Array) => {
    const s = Buffer.from(bytes).toString('utf8');
    try {
      return mentions(JSON.parse(s) as unknown, new Set(ids));
    } catch {
      // Not JSON: an id as a JSON string value, quoted, so `cust-1004` does not take `cust-10045`'s letters.
      return ids.some((id) => s.includes(JSON.stringify(id)));
    }
  };
  return {
    rawEvent(raw) {
      if (raw.siteId && raw.siteId !== subject.site) return false;
      let event: unknown;
      try {
        event = JSON.parse(raw.eventJson);
      } catch {
        return anonymous.has(raw.anonymousId) || text(Buffer.from(raw.eventJson));
      }
      const named = customerIdsNamed(event);
      if (named.includes(subject.customerId)) return true;
      // A shared device: an event naming another customer stays theirs (as in the tables).
      return anonymous.has(raw.anonymousId) && named.every((c) => c === subject.customerId);
    },
    text,
  };
}

function rawRecordDecision(record: RewritableRecord, matcher: SubjectMatcher): Decision {
  const split = rawEventsOfRecord(record.value, record.headers);
  if (!split.ok) return matcher.text(record.value) ? 'remove' : 'keep';
  const kept = split.value.filter((bytes) => {
    const decoded = decodeRawEvent(bytes);
    return !(decoded.ok ? matcher.rawEvent(decoded.value) : matcher.text(bytes));
  });
  if (kept.length === split.value.length) return 'keep';
  if (!kept.length) return 'remove';
  // A batch record of several visitors keeps the others' events, at the same offset.
  return { value: Buffer.from(frameRawEventBatch(kept)) };
}

function deadLetterDecision(record: RewritableRecord, matcher: SubjectMatcher): Decision {
  const letter = decodeDeadLetter(record.value);
  if (!letter.ok) return matcher.text(record.value) ? 'remove' : 'keep';
  const original = letter.value.original;
  const asRaw = decodeRawEvent(original);
  if (asRaw.ok && asRaw.value.eventId && matcher.rawEvent(asRaw.value)) return 'remove';
  const split = rawEventsOfRecord(original, { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT });
  if (split.ok && split.value.some((bytes) => {
    const d = decodeRawEvent(bytes);
    return d.ok && matcher.rawEvent(d.value);
  })) return 'remove';
  return matcher.text(original) || matcher.text(Buffer.from(letter.value.reason)) ? 'remove' : 'keep';
}

/** customerId on the event and in identify / email props (what resolveIdentity links), from unvalidated JSON. */
function customerIdsNamed(event: unknown): string[] {
  if (!event || typeof event !== 'object') return [];
  const e = event as { customerId?: unknown; props?: { customerId?: unknown } };
  return [e.customerId, e.props?.customerId].filter((c): c is string => typeof c === 'string' && c !== '');
}

function mentions(value: unknown, ids: ReadonlySet<string>, depth = 0): boolean {
  if (typeof value === 'string') return ids.has(value);
  if (!value || typeof value !== 'object' || depth > 64) return false;
  return Object.values(value as Record<string, unknown>).some((v) => mentions(v, ids, depth + 1));
}
