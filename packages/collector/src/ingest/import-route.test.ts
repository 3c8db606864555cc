import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, RawEventOrigin, TIME_BOUNDS } from '@spoor/events';
import { rawEventsIn } from '../test-support/read-topic.js';
import { pageView, TS, unitCollector } from '../test-support/collector-fixture.js';
import type { ImportAuthenticator } from './import-route.js';

const KEYS: Record<string, { keyId: string; siteIds: string[] }> = { sk_good: { keyId: 'key_1', siteIds: ['shop'] } };
const authenticateImport: ImportAuthenticator = async (key) => KEYS[key];

const importRequest = (body: unknown, { key = 'sk_good', site = 'shop' }: { key?: string | null; site?: string | null } = {}) =>
  new Request(`http://collector.test/v1/import${site ? `?site=${site}` : ''}`, {
    method: 'POST',
    // The importer's own user agent ("node" is on every bot list) must not become the visitor's.
    headers: { 'content-type': 'application/json', 'user-agent': 'node', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

const DAYS_AGO = TS - 20 * 86_400_000;

describe('POST /v1/import (server-side backfill)', () => {
  it('groups an import of several visitors into one record per anonymous id, keyed by it', async () => {
    const { app, log } = unitCollector({ authenticateImport, now: () => TS });
    const events = ['v-1', 'v-2', 'v-1', 'v-3', 'v-2'].map((anonymousId, i) => pageView({ anonymousId, ts: DAYS_AGO + i }));
    expect((await app.request(importRequest({ sentAt: DAYS_AGO + 10, events }))).status).toBe(202);
    const records = log.messagesOn('raw');
    expect(records.map((r) => r.key)).toEqual(['v-1', 'v-2', 'v-3']);
    expect(rawEventsIn(records).map((m) => [m.key, m.raw.anonymousId, m.raw.deviceTs - DAYS_AGO])).toEqual([
      ['v-1', 'v-1', 0], ['v-1', 'v-1', 2], ['v-2', 'v-2', 1], ['v-2', 'v-2', 4], ['v-3', 'v-3', 3],
    ]);
  });

  it('keeps device times, allows email events, takes the visitor context per event (never the importer\'s), marks origin SERVER', async () => {
    const { app, log } = unitCollector({ authenticateImport, now: () => TS });
    const open = pageView({ type: 'email_open', ts: DAYS_AGO, props: { campaignId: 'nl-1', customerId: 'cust-1' } });
    const view = { ...pageView({ ts: DAYS_AGO + 5000 }), context: { ip: '198.51.100.23', userAgent: 'Mozilla/5.0 (iPhone)' } };
    const res = await app.request(importRequest({ sentAt: DAYS_AGO + 6000, events: [open, view] }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const stored = rawEventsIn(log.messagesOn('raw')).map((m) => m.raw);
    expect(stored.map((r) => [r?.type, r?.deviceTs, r?.origin, r?.clientIp, r?.userAgent])).toEqual([
      ['email_open', DAYS_AGO, RawEventOrigin.SERVER, '', ''],
      ['page_view', DAYS_AGO + 5000, RawEventOrigin.SERVER, '198.51.100.0', 'Mozilla/5.0 (iPhone)'],
    ]);
    expect(JSON.parse(stored[1]!.eventJson)).not.toHaveProperty('context');
  });

  it('401 without or with an unknown key, 403 for a site the key may not write, 400 without a site', async () => {
    const { app, log } = unitCollector({ authenticateImport });
    const body = { sentAt: TS, events: [pageView()] };
    expect((await app.request(importRequest(body, { key: null }))).status).toBe(401);
    expect((await app.request(importRequest(body, { key: 'sk_wrong' }))).status).toBe(401);
    const other = await app.request(importRequest(body, { site: 'other' }));
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/may not write to "other"/);
    expect((await app.request(importRequest(body, { site: null }))).status).toBe(400);
    expect(log.sent).toEqual([]);
  });

  it('reports a bad event or a bad context by index and dead-letters it; the others are stored', async () => {
    const { app, log } = unitCollector({ authenticateImport });
    const events = [pageView(), { ...pageView(), context: { ip: 'not-an-ip' } }, pageView({ ts: 'yesterday' })];
    const res = await app.request(importRequest({ sentAt: TS, events }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { index: 1, error: 'context.ip: expected an IPv4 or IPv6 address' },
      { index: 2, error: expect.stringMatching(/^ts: /) },
    ]);
    const letters = log.messagesOn('dlq').map((m) => decodeDeadLetter(m.value));
    expect(letters.map((l) => l.ok && l.value.source)).toEqual(['import.events[1]', 'import.events[2]']);
  });

  it('refuses times outside the import window (5 years back, not in the future) by index, and repairs a hostile visitor user agent', async () => {
    const { app, log } = unitCollector({ authenticateImport, now: () => TS });
    const fiveYears = TIME_BOUNDS.maxImportBackdateMs;
    const events = [
      pageView({ ts: TS - fiveYears }),
      pageView({ ts: TS - fiveYears - 1 }),
      pageView({ ts: TS + TIME_BOUNDS.futureToleranceMs + 1 }),
      { ...pageView(), context: { userAgent: 'Mozilla/5.0\u0000 (\ud800\u202e)\u0085' } },
    ];
    const res = await app.request(importRequest({ sentAt: TS, events }));
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, error: expect.stringMatching(/^ts: .* more than 1827 days before now/) },
      { index: 2, error: expect.stringMatching(/^ts: .* is in the future/) },
    ]);
    const stored = rawEventsIn(log.messagesOn('raw')).map((m) => m.raw);
    expect(stored.map((r) => r.userAgent)).toEqual(['', 'Mozilla/5.0 (\ufffd)']);
  });

  it('never keeps a verification claim: verifiedBy and landing tokens sent by the importer are dropped', async () => {
    const { app, log } = unitCollector({ authenticateImport, now: () => TS });
    const identify = (traits: Record<string, unknown>) => pageView({ type: 'identify', props: { customerId: 'cust-1', traits } });
    const events = [
      identify({ verifiedBy: 'email-link', plan: 'vip' }),
      identify({ verifiedBy: 'anything-else' }),
      identify({ spoor_it: 'eyJrIjoiaWRlbnRpdHkifQ.AAAA', verifiedBy: 'email-link' }),
    ];
    const res = await app.request(importRequest({ sentAt: TS, events }));
    expect(await res.json()).toEqual({ accepted: 3, rejected: [] });
    const traits = rawEventsIn(log.messagesOn('raw')).map((m) => JSON.parse(m.raw.eventJson).props.traits);
    expect(traits).toEqual([{ plan: 'vip' }, {}, {}]);
  });

  it('does not exist when no authenticator is configured', async () => {
    const { app } = unitCollector();
    expect((await app.request(importRequest({ sentAt: TS, events: [pageView()] }))).status).toBe(404);
  });
});
