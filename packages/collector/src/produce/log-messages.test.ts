import fc from 'fast-check';
import { isIP, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { anonymiseIp } from '@spoor/infra';
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

  it('never writes the full client address: /24 and /48 by default, nothing in drop mode', () => {
    const one = (clientIp: string, mode?: 'truncate' | 'drop') =>
      rawEventsIn(rawEventRecords([{ event: event(), sentAt: 2, context: { ...context, clientIp } }], mode ? { mode } : undefined))[0]!.raw.clientIp;
    expect(one('198.51.100.77')).toBe('198.51.100.0');
    expect(one('::ffff:198.51.100.77')).toBe('198.51.100.0');
    expect(one('2001:db8:abcd:12:3456:789a:bcde:f012')).toBe('2001:db8:abcd::');
    expect(one('198.51.100.77', 'drop')).toBe('');
    // Whatever the address (and whatever garbage a trusted proxy forwards), the host part never reaches the log.
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const records = rawEventRecords([{ event: event(), sentAt: 2, context: { ...context, clientIp: ip } }]);
        expect(rawEventsIn(records)[0]!.raw.clientIp).toBe(ip.replace(/\.\d+$/, '.0'));
        if (!ip.endsWith('.0')) expect(Buffer.from(records[0]!.value).includes(Buffer.from(ip))).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const logged = one(ip);
        expect(isIPv6(logged)).toBe(true);
        // Only the first 48 bits survive: the last five groups are zero.
        expect(anonymiseIp(logged, { mode: 'truncate', ipv6PrefixBits: 48 })).toBe(logged);
        expect(anonymiseIp(logged, { mode: 'truncate', ipv6PrefixBits: 0 })).toBe('::');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }).filter((s) => !isIP(s) && !/^::ffff:/i.test(s)), (garbage) => {
        expect(one(garbage)).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('writes nothing for no events', () => {
    expect(rawEventRecords([])).toEqual([]);
  });
});
