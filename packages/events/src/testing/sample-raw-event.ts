import { RawEventOrigin, type RawEvent } from '../wire.js';

/** A RawEvent with every field set (non-ASCII text included), for the wire-format tests. */
export const sampleRawEvent = (overrides: Partial<RawEvent> = {}): RawEvent => ({
  eventId: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  type: 'page_view',
  anonymousId: 'anon-1',
  siteId: 'site-1',
  eventJson: JSON.stringify({ type: 'page_view', title: 'Żółć — 商品' }),
  deviceTs: 1_763_800_000_123,
  sentAt: 1_763_800_001_000,
  receivedAt: 1_763_800_001_456,
  clientIp: '2001:db8::1',
  userAgent: 'Mozilla/5.0',
  collectorId: 'collector-a',
  origin: RawEventOrigin.BROWSER,
  ...overrides,
});
