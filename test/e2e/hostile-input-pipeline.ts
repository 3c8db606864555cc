import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { EVENT_TYPES, isPolicyClean, LIMITS, SERVER_ONLY_EVENT_TYPES, TIME_BOUNDS } from '@spoor/events';
import { hostileString, STRING_FIELDS, validEventOf, withString, type StringField } from '@spoor/events/testing';
import { signClickToken, signOpenToken } from '@spoor/collector';
import { composeSpoor, parseSpoorConfig, type ComposedSpoor } from '@spoor/cli';
import { waitUntil } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { demoKeys } from './spoor-process.js';

/**
 * Issue 15 §1 and §5 end to end: hostile strings in every string field of every event type and implausible times,
 * sent through the real collector (browser endpoint, /v1/import, open pixel, click redirect) → the real log (file or
 * Kafka) → the real processor → chDB; then a normal event. Every event answered as accepted must be queryable, the
 * normal one too, nothing retried, every stored string clean, every stored time within the documented bounds.
 */

const DAY = 86_400_000;
const SECRET = 'hostile-e2e-link-secret-0123456789abcdef';

/** One character of each class the policy forbids, an over-long value per class, and generated strings. */
function hostileValues(field: StringField): string[] {
  const classes = ['a\ud800b', 'x\udc00', '\u0000', 'a\u0007b', '\u0085c', '\ufeffd', 'e\u202ef', '\u2066g\u2069', 'h\ufdd0', 'i\u{1fffe}', 'line\nbreak\ttab', '\u2028'];
  // URLs whose percent-decoded parameters hold what the URL itself cannot (NUL, bidi), and whose values are cut by
  // the processor's bounds (512 for campaign parameters, 256 for search terms) right inside an emoji.
  const urls = [
    `https://shop.example/p?utm_campaign=${'a'.repeat(511)}\u{1f600}&utm_source=%00%E2%80%AEx&gclid=${'g'.repeat(511)}\u{1f600}`,
    `https://www.google.com/search?q=${'b'.repeat(255)}\u{1f600}%00%C2%85`,
    `not a url ${'c'.repeat(1013)}\u{1f600}`,
  ];
  return [...classes, 'x'.repeat(field.max + 1), ...fc.sample(hostileString, 3), ...(field.kind === 'url' ? urls : [])];
}

interface Sent {
  accepted: Set<string>;
  emailEvents: number;
  rejected: number;
  timeCases: Map<string, { expectAdjusted: '' | 'future' | 'too_old'; receivedAfter: number }>;
}

async function post(spoor: ComposedSpoor, path: string, headers: Record<string, string>, sentAt: number, events: Array<Record<string, unknown>>, sent: Sent) {
  const res = await spoor.app.request(`http://spoor.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ sentAt, events }) });
  expect(res.status, await res.clone().text()).toBe(202);
  const answer = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
  const refused = new Set(answer.rejected.map((r) => r.index));
  events.forEach((e, i) => {
    if (!refused.has(i)) sent.accepted.add(e.id as string);
  });
  for (const r of answer.rejected) expect(r.error).toMatch(/^[A-Za-z(]/);
  sent.rejected += answer.rejected.length;
  return answer;
}

export async function hostileInputThroughThePipeline(options: { kafkaBrokers?: string; redisUrl?: string }): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spoor-hostile-'));
  const env = parseSpoorConfig({
    SPOOR_DATA_DIR: dataDir,
    LINK_SIGNING_SECRETS: SECRET,
    // Hundreds of hostile requests from one address: the limits are not what this test is about.
    RATE_LIMITS: 'off',
    SPOOR_TOPIC_RAW: uniqueName('hostile-raw'),
    SPOOR_TOPIC_DLQ: uniqueName('hostile-dlq'),
    PROCESSOR_GROUP_ID: uniqueName('hostile-processor'),
    ...(options.kafkaBrokers ? { KAFKA_BROKERS: options.kafkaBrokers } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  }).config;
  const spoor = await composeSpoor(env, new Set(['collector', 'processor', 'demo']), ['https://shop.example']);
  try {
    await spoor.processor!.start();
    const keys = demoKeys(dataDir);
    const browser = { 'x-test': 'browser', 'user-agent': 'Mozilla/5.0 \u0085\u00a0(X11)\u0009Chrome/131' };
    const sent: Sent = { accepted: new Set(), emailEvents: 0, rejected: 0, timeCases: new Map() };

    // 1. Every string field of every event type, each forbidden class and over-long values, as a browser and as an import.
    const browserEvents: Array<Record<string, unknown>> = [];
    const importEvents: Array<Record<string, unknown>> = [];
    const now = Date.now();
    for (const type of EVENT_TYPES) {
      for (const field of STRING_FIELDS[type]) {
        for (const value of hostileValues(field)) {
          const event = withString(validEventOf(type, now - 2_000, `anon-${browserEvents.length % 7}`), field, value);
          if (!SERVER_ONLY_EVENT_TYPES.has(type)) browserEvents.push(event);
          importEvents.push({ ...withString(validEventOf(type, now - 5 * DAY, `imp-${importEvents.length % 7}`), field, value), context: { ip: '203.0.113.9', userAgent: value.slice(0, LIMITS.maxTextLength) } });
        }
      }
    }
    for (let i = 0; i < browserEvents.length; i += 150) {
      await post(spoor, `/v1/events?key=${keys.writeKey}`, browser, Date.now(), browserEvents.slice(i, i + 150), sent);
    }
    for (let i = 0; i < importEvents.length; i += 150) {
      await post(spoor, `/v1/import?site=${keys.siteId}`, { authorization: `Bearer ${keys.apiKey}` }, Date.now(), importEvents.slice(i, i + 150), sent);
    }

    // 2. The email routes: hostile ids in signed tokens and a hostile target path; hostile user agents.
    for (const value of [...hostileValues({ path: [], kind: 'id', min: 1, max: LIMITS.maxIdLength }), 'cust-plain']) {
      const ids = { siteId: keys.siteId, customerId: value, campaignId: `camp-${value}`.slice(0, 60), issuedAt: Date.now() - DAY };
      const clean = (s: string) => s.length >= 1 && s.length <= LIMITS.maxIdLength && isPolicyClean(s);
      const pixel = await spoor.app.request(`/v1/o.gif?t=${signOpenToken(ids, [SECRET])}`, { headers: { 'user-agent': 'Mail \u0085\u009b' } });
      expect(pixel.status).toBe(200);
      if (clean(ids.customerId) && clean(ids.campaignId)) sent.emailEvents++;
      const click = await spoor.app.request(`/v1/c?t=${encodeURIComponent(signClickToken({ ...ids, targetUrl: `https://shop.example/${value}` }, [SECRET]))}`);
      expect([302, 400]).toContain(click.status);
      if (click.status === 302) sent.emailEvents++;
    }
    expect(sent.emailEvents).toBeGreaterThan(0);

    // 3. Implausible times: stored at their receipt with the reason, or (import) refused.
    const timeBatch = async (ts: number, sentAt: number, expectAdjusted: '' | 'future' | 'too_old') => {
      const event = validEventOf('purchase', ts, 'anon-time');
      const before = Date.now();
      await post(spoor, `/v1/events?key=${keys.writeKey}`, browser, sentAt, [event], sent);
      sent.timeCases.set(event.id as string, { expectAdjusted, receivedAfter: before });
    };
    const t = Date.now();
    await timeBatch(Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1) - 1, 'too_old');
    await timeBatch(t, t + 200 * DAY, 'too_old');
    await timeBatch(t + 3_600_000, t, 'future');
    await timeBatch(t + 200 * DAY - 5_000, t + 200 * DAY, '');
    const imported = await post(spoor, `/v1/import?site=${keys.siteId}`, { authorization: `Bearer ${keys.apiKey}` }, t, [
      // Within the import window and the default retention (760 days, docs/retention.md): kept as stated.
      validEventOf('purchase', t - 600 * DAY, 'imp-time'),
      validEventOf('purchase', t - 6 * 365 * DAY, 'imp-time'),
      validEventOf('purchase', t + DAY, 'imp-time'),
    ], sent);
    expect(imported.rejected.map((r) => r.index)).toEqual([1, 2]);

    // 4. Everything answered as accepted is queryable; the processor never retried.
    const { client, database } = spoor.clickhouse;
    const rows = async <T>(query: string, params: Record<string, unknown> = {}) =>
      (await client.query({ query, query_params: { db: database, site: keys.siteId, ...params }, format: 'JSONEachRow' })).json<T>();
    const stored = async () => Number((await rows<{ c: number }>('SELECT count() AS c FROM {db:Identifier}.events WHERE site_id = {site:String}'))[0]!.c);
    const expectedEvents = sent.accepted.size + sent.emailEvents;
    expect(sent.accepted.size).toBeGreaterThan(500);
    expect(sent.rejected).toBeGreaterThan(100);
    await waitUntil(`${expectedEvents} events stored`, async () => (await stored()) >= expectedEvents, 180_000, 500).catch((err) => {
      throw new Error(`${(err as Error).message}; processor ${JSON.stringify(spoor.processor!.totals())}`);
    });
    const totals = spoor.processor!.totals();
    console.info(`[hostile-input] accepted ${sent.accepted.size} + ${sent.emailEvents} email, rejected ${sent.rejected}; processor ${JSON.stringify(totals)}`);
    expect(totals.lastErrorCode).toBeNull();
    expect(totals.refused).toBe(0);
    expect(totals.retries).toBe(0);
    expect(totals.deadLettered).toBe(0);

    // 5. A normal event after all that is queryable within a bounded wait.
    const normal = validEventOf('page_view', Date.now(), 'anon-normal');
    await post(spoor, `/v1/events?key=${keys.writeKey}`, browser, Date.now(), [normal], sent);
    await waitUntil('the normal event stored', async () => (await rows('SELECT 1 FROM {db:Identifier}.events WHERE event_id = {id:UUID}', { id: normal.id })).length === 1, 60_000, 250);
    expect(await stored()).toBe(expectedEvents + 1);
    expect(Number((await rows<{ c: number }>('SELECT count() - uniqExact(event_id) AS c FROM {db:Identifier}.events WHERE site_id = {site:String}'))[0]!.c)).toBe(0);
    const storedIds = new Set((await rows<{ id: string }>('SELECT toString(event_id) AS id FROM {db:Identifier}.events WHERE site_id = {site:String}')).map((r) => r.id));
    for (const id of sent.accepted) expect(storedIds.has(id), id).toBe(true);
    expect(spoor.processor!.totals()).toMatchObject({ retries: 0, lastErrorCode: null, refused: 0 });
    expect(spoor.processor!.ready()).toBe(true);

    // 6. Every string stored is clean.
    const strings = await rows<Record<string, string>>(
      `SELECT anonymous_id, session_id, customer_id, url, path, title, referrer, product_id, product_name, category, brand, cart_id, order_id,
              search_query, campaign_id, custom_name, browser, os, props, utm_source, utm_medium, utm_campaign, utm_term,
              utm_content, click_id, search_term, referrer_host, source, host
       FROM {db:Identifier}.events WHERE site_id = {site:String}`,
    );
    for (const row of strings) for (const [column, value] of Object.entries(row)) expect(isPolicyClean(value), `${column}: ${JSON.stringify(value)}`).toBe(true);
    const raw = await rows<Record<string, string>>('SELECT event_json, user_agent FROM {db:Identifier}.raw_events WHERE site_id = {site:String}');
    for (const row of raw) for (const [column, value] of Object.entries(row)) expect(isPolicyClean(value), `${column}: ${JSON.stringify(value)}`).toBe(true);

    // 7. Stored times within [received − backdate, received + tolerance]; the implausible ones at their receipt, flagged.
    const times = await rows<{ id: string; ts: number; received: number; adjusted: string; origin: string }>(
      `SELECT toString(e.event_id) AS id, toUnixTimestamp64Milli(e.ts) AS ts, toUnixTimestamp64Milli(e.received_at) AS received, e.ts_adjusted AS adjusted, r.origin AS origin
       FROM {db:Identifier}.events AS e INNER JOIN {db:Identifier}.raw_events AS r ON r.event_id = e.event_id AND r.site_id = e.site_id
       WHERE e.site_id = {site:String}`,
    );
    expect(times.length).toBe(expectedEvents + 1);
    for (const row of times) {
      const backdate = row.origin === 'server' ? TIME_BOUNDS.maxImportBackdateMs : TIME_BOUNDS.maxBrowserBackdateMs;
      expect(Number(row.ts)).toBeGreaterThanOrEqual(Number(row.received) - backdate);
      expect(Number(row.ts)).toBeLessThanOrEqual(Number(row.received) + TIME_BOUNDS.futureToleranceMs);
    }
    for (const [id, want] of sent.timeCases) {
      const row = times.find((r) => r.id === id)!;
      expect(row.adjusted, id).toBe(want.expectAdjusted);
      if (want.expectAdjusted) expect(Number(row.ts)).toBe(Number(row.received));
      expect(Number(row.ts)).toBeGreaterThanOrEqual(want.receivedAfter - 10_000);
    }
  } finally {
    await spoor.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
