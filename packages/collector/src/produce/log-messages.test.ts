import { describe, expect, it } from 'vitest';
import { RawEventOrigin, validateEvent, type ClientEvent } from '@spoor/events';
import { pageView } from '../test-support/collector-fixture.js';
import { rawEventsIn } from '../test-support/read-topic.js';
import { MAX_RECORD_BYTES, rawEventRecords, type ServerContext } from './log-messages.js';

const context: ServerContext = { receivedAt: 1, clientIp: '192.0.2.1', userAgent: 'UA', siteId: 'shop', collectorId: 'c', origin: RawEventOrigin.BROWSER };
const event = (overrides: Record<string, unknown> = {}): ClientEvent => {
  const result = validateEvent(pageView(overrides));
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('raw event records', () => {
  it('splits one visitor’s events over several records past the record size limit, keeping their order', () => {
    const title = 't'.repeat(1000);
    const events = Array.from({ length: 600 }, () => event({ title }));
    const records = rawEventRecords(events.map((e) => ({ event: e, sentAt: 2, context })));
    expect(records.length).toBeGreaterThan(1);
    for (const r of records) {
      expect(r.key).toBe('anon-1');
      expect(r.value.byteLength).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    }
    expect(rawEventsIn(records).map((m) => m.raw.eventId)).toEqual(events.map((e) => e.id));
  });

  it('writes nothing for no events', () => {
    expect(rawEventRecords([])).toEqual([]);
  });
});
