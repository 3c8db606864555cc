import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeDeadLetter, EVENT_TYPES, isPolicyClean, LIMITS, normaliseText, normaliseUrl, SERVER_ONLY_EVENT_TYPES, type EventType } from '@spoor/events';
import {
  everyString,
  expectedOutcome,
  fieldName,
  hostileField,
  hostileString,
  readField,
  validEventOf,
  withString,
  type StringField,
} from '@spoor/events/testing';
import { createKafkaEventLog, type EventLogProducer, createMemoryKeyValue } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { createCollector } from '../create-collector.js';
import { signClickToken, signOpenToken } from '../email/link-token.js';
import { createCoalescingProducer } from '../produce/coalescing-producer.js';
import { createStaticSiteRegistry } from '../sites/file-site-registry.js';
import { fromAddress, OTHER, SECRETS, SHOP } from '../test-support/collector-fixture.js';
import { readRawEvents, readTopic } from '../test-support/read-topic.js';

/**
 * The string policy (docs/events.md "What a string may hold") through the real collector app and real Kafka: hostile
 * strings in every string field of every event type, on every route that makes events (/v1/events, /v1/import, the
 * open pixel, the click redirect), plus hostile user-agent headers. Every item is accepted with a policy-clean value
 * or rejected naming its field; what reached the log is read back, decoded and checked string by string.
 */

const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: 'collector-string-fuzz' });
const topics = { raw: uniqueName('strings-raw'), deadLetter: uniqueName('strings-dlq') };
let kafkaProducer: EventLogProducer;
let app: ReturnType<typeof createCollector>;

beforeAll(async () => {
  await log.ensureTopics([
    { name: topics.raw, partitions: 2 },
    { name: topics.deadLetter, partitions: 1 },
  ]);
  kafkaProducer = await log.producer();
  app = createCollector({
    keyValue: createMemoryKeyValue(),
    producer: createCoalescingProducer(kafkaProducer),
    logReachable: () => log.ping(),
    sites: createStaticSiteRegistry([SHOP, OTHER]),
    linkSecrets: SECRETS,
    collectorId: 'string-fuzz',
    topics,
    authenticateImport: async (key) => (key === 'sk_fuzz' ? { keyId: 'k', siteIds: [SHOP.siteId] } : undefined),
    log: (message, error) => console.error(message, error),
  });
});

afterAll(async () => {
  await kafkaProducer.close();
  await log.close();
});

const normalise = (kind: 'text' | 'url', v: string) => (kind === 'text' ? normaliseText(v) : normaliseUrl(v));
const BROWSER_TYPES = EVENT_TYPES.filter((t) => !SERVER_ONLY_EVENT_TYPES.has(t));
/** A header value as Node hands it over: Latin-1 code units, C1 controls included (no NUL, CR, LF: fetch refuses those). */
const hostileHeader = fc.string({
  unit: fc.integer({ min: 1, max: 0xff }).filter((c) => c !== 0x0a && c !== 0x0d).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

/** What the log must hold once all requests are answered. */
const expected = { events: 0, deadLetters: 0, byId: new Map<string, { field: StringField; value: string }>(), outcomes: new Map<string, number>() };
const count = (outcome: string) => expected.outcomes.set(outcome, (expected.outcomes.get(outcome) ?? 0) + 1);

type Item = [EventType, StringField, string];

async function sendBatch(path: string, items: Item[], headers: Record<string, string>, decorate: (e: Record<string, unknown>, i: number) => Record<string, unknown> = (e) => e) {
  const now = Date.now();
  const events = items.map(([type, field, value], i) => decorate(withString(validEventOf(type, now - 1000, `anon-${i % 3}`), field, value), i));
  const res = await app.request(
    new Request(`http://c${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ writeKey: SHOP.writeKey, sentAt: now, events }) }),
    undefined,
    fromAddress('198.51.100.7'),
  );
  expect(res.status, await res.clone().text()).toBe(202);
  const answer = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
  const refused = new Map(answer.rejected.map((r) => [r.index, r.error]));
  items.forEach(([, field, value], i) => {
    const want = expectedOutcome(field, value, normalise);
    const error = refused.get(i);
    if (error !== undefined) {
      count('rejected');
      expect(want.ok, `${fieldName(field)} = ${JSON.stringify(value)} was refused: ${error}`).toBe(false);
      expect(error.startsWith(fieldName(field)), error).toBe(true);
      expect(isPolicyClean(error)).toBe(true);
    } else {
      expect(want.ok, `${fieldName(field)} = ${JSON.stringify(value)} was accepted`).toBe(true);
      count(want.ok && want.expected !== value ? 'repaired' : 'accepted');
      expected.byId.set(events[i]!.id as string, { field, value });
    }
  });
  expected.events += answer.accepted;
  expected.deadLetters += answer.rejected.length;
}

describe('the string policy on every route, through the real collector and Kafka (fast-check)', () => {
  it('POST /v1/events: every string field of every browser event type, hostile user agents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileField(BROWSER_TYPES), { minLength: 1, maxLength: 4 }), hostileHeader, async (items, ua) => {
        await sendBatch('/v1/events', items, { 'user-agent': ua });
      }),
      { numRuns: 150 },
    );
  });

  it('POST /v1/import: every string field of every event type (email types included), hostile visitor contexts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(hostileField(EVENT_TYPES), hostileString), { minLength: 1, maxLength: 4 }), async (pairs) => {
        const uas = pairs.map(([, ua]) => ua);
        // A context user agent over the text limit is refused as a context problem; keep those out of this property.
        const items = pairs.map(([item]) => item);
        await sendBatch('/v1/import?site=shop', items, { authorization: 'Bearer sk_fuzz' }, (e, i) => ({
          ...e,
          context: { ip: '203.0.113.9', userAgent: uas[i]!.slice(0, LIMITS.maxTextLength) },
        }));
      }),
      { numRuns: 100 },
    );
  });

  it('GET /v1/o.gif and /v1/c: hostile customer and campaign ids and targets in signed tokens, hostile user agents', async () => {
    const issuedAt = Date.now() - 3_600_000;
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, hostileString, hostileHeader, async (customerId, campaignId, path, ua) => {
        const fits = (id: string) => id.length >= 1 && id.length <= LIMITS.maxIdLength && isPolicyClean(id);
        const ids = { siteId: SHOP.siteId, customerId, campaignId, issuedAt };
        const pixel = await app.request(`/v1/o.gif?t=${signOpenToken(ids, SECRETS)}`, { headers: { 'user-agent': ua } }, fromAddress('198.51.100.8'));
        expect(pixel.status).toBe(200);
        expect(pixel.headers.get('content-type')).toBe('image/gif');
        if (fits(customerId) && fits(campaignId)) {
          expected.events += 1;
          count('email-open');
        }
        const click = await app.request(`/v1/c?t=${encodeURIComponent(signClickToken({ ...ids, targetUrl: `https://shop.example/${path}` }, SECRETS))}`, { headers: { 'user-agent': ua } });
        if (click.status === 302) {
          expected.events += 1;
          count('email-click');
          expect(fits(customerId) && fits(campaignId)).toBe(true);
          expect(isPolicyClean(click.headers.get('location')!)).toBe(true);
        } else {
          expect(click.status).toBe(400);
          expect(((await click.json()) as { error: { message: string } }).error.message).toMatch(/^t: /);
          count('email-click-refused');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the log holds exactly the accepted events, every string in them policy-clean, repaired values as the policy says', async () => {
    for (const outcome of ['accepted', 'repaired', 'rejected', 'email-open', 'email-click', 'email-click-refused']) {
      expect(expected.outcomes.get(outcome), `outcome ${outcome} in ${JSON.stringify([...expected.outcomes])}`).toBeGreaterThan(0);
    }
    const stored = await readRawEvents(log, topics.raw, expected.events, 60_000);
    expect(stored).toHaveLength(expected.events);
    let checkedFields = 0;
    for (const { key, raw } of stored) {
      const event = JSON.parse(raw.eventJson) as Record<string, unknown>;
      const strings = [key ?? '', raw.eventId, raw.type, raw.anonymousId, raw.siteId, raw.userAgent, raw.clientIp, raw.collectorId, ...everyString(event)];
      for (const s of strings) expect(isPolicyClean(s), `${JSON.stringify(s)} in ${raw.eventJson}`).toBe(true);
      // The collector anonymises the address before the log (docs/processor.md): the last octet is zeroed.
      expect(raw.clientIp).toMatch(/^(198\.51\.100\.0|203\.0\.113\.0|)$/);
      const sent = expected.byId.get(raw.eventId);
      if (sent && !sent.field.key) {
        const want = expectedOutcome(sent.field, sent.value, normalise);
        expect(want.ok && readField(event, sent.field)).toBe(want.ok && want.expected);
        checkedFields++;
      }
    }
    expect(checkedFields).toBeGreaterThan(100);
    const letters = await readTopic(log, topics.deadLetter, expected.deadLetters, 60_000);
    expect(letters).toHaveLength(expected.deadLetters);
    for (const letter of letters) {
      const decoded = decodeDeadLetter(letter.value);
      expect(decoded.ok && isPolicyClean(decoded.value.reason)).toBe(true);
    }
  });
});
