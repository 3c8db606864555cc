import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedisKeyValue, type KeyValue, createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase, uniqueName } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { keyValueErasureHook } from '../../erasure/erasure-hook.js';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../../testing/customer-fixture.js';
import { bearer, fixtureUuid, getJson, loadFixture } from '../../testing/index.js';

let app: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;
let kv: KeyValue;
const prefix = uniqueName('erasure-test');
const identityKey = (site: string, anon: string) => `${prefix}:identity:${site}:${anon}`;

const raw = (anonymous_id: string, event: Record<string, unknown>) => ({
  site_id: 'shop-1', event_id: fixtureUuid(), type: String(event.type), anonymous_id, event_json: JSON.stringify({ anonymousId: anonymous_id, ...event }),
  device_ts: '2026-11-01 00:00:00', sent_at: '2026-11-01 00:00:00', received_at: '2026-11-01 00:00:00', ip_anonymized: '10.0.0.0', user_agent: 'test', collector_id: 'c', origin: 'browser',
});

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    ...CUSTOMER_FIXTURE,
    // Someone else (c9) used c1's device: that row names c9 and must survive c1's erasure.
    events: [...(CUSTOMER_FIXTURE.events ?? []), { type: 'page_view', ts: '2026-11-15 10:00:00', anonymous_id: 'a1', session_id: 'a1-s9', customer_id: 'c9', path: '/' }],
    // Not settled: every visit still has its mark in unsettled_visits (migration 0430), which the erasure takes too.
  }, { settleVisits: false });
  await ctx.client.insert({
    table: `${ctx.database}.raw_events`,
    format: 'JSONEachRow',
    values: [
      raw('a1', { type: 'page_view', customerId: 'c1' }),
      raw('a1b', { type: 'page_view' }), // anonymous, before the link
      raw('email-c1', { type: 'email_open', props: { campaignId: 'nov', customerId: 'c1' } }),
      raw('a1', { type: 'page_view', customerId: 'c9' }), // the shared device's other customer
      raw('a2', { type: 'identify', props: { customerId: 'c2' } }),
    ],
  });
  // customer_browsers receives the same pair from several views (events, orders, identities); merge them so the row
  // counts below are the (pair, day seen) rows (migration 0310), whatever the background merges did.
  await ctx.client.command({ query: `OPTIMIZE TABLE ${ctx.database}.customer_browsers FINAL` });
  kv = await connectRedisKeyValue({ url: inject('redisUrl') });
  app = createQueryApi({
    keyValue: createMemoryKeyValue(),
    clickhouse: ctx.client,
    database: ctx.database,
    now: () => new Date('2026-12-01T00:00:00Z'),
    logError: () => undefined,
    rfm: { quintileMinBuyers: 1 },
    erasureHooks: [keyValueErasureHook({ name: 'identity-cache', keyValue: kv, keys: (s) => s.anonymousIds.map((a) => identityKey(s.site, a)) })],
  });
});

afterAll(async () => {
  await kv?.close();
});

const count = async (table: string, where: string) => {
  const rs = await ctx.client.query({ query: `SELECT count() AS n FROM ${ctx.database}.${table} WHERE ${where}`, format: 'JSONEachRow' });
  return (await rs.json<{ n: number }>())[0]!.n;
};
const C1_ROWS = {
  events: "customer_id = 'c1' OR anonymous_id IN ('a1b', 'email-c1') OR (anonymous_id = 'a1' AND customer_id != 'c9')",
  // The profile's visitor-ordered copy of events: the same 16 rows as events.
  events_by_visitor: "customer_id = 'c1' OR anonymous_id IN ('a1b', 'email-c1') OR (anonymous_id = 'a1' AND customer_id != 'c9')",
  // One row per (day, browser, customer id, session): a1b 10-20; a1-s1 11-01, a1-s2 11-20, a1-s3 and a1-s4 11-29; the
  // email pseudo-session email-c1 on 11-19 (open + click) and 11-28 (machine open) → 7.
  session_days: "customer_id = 'c1' OR anonymous_id IN ('a1b', 'email-c1') OR (anonymous_id = 'a1' AND customer_id != 'c9')",
  // (c1, a1) from events, orders and identities, (c1, a1b) from identities, (c1, email-c1) from events → 3 pairs.
  customer_browsers: "customer_id = 'c1'",
  raw_events: "event_json LIKE '%c1%' OR anonymous_id IN ('a1b', 'email-c1')",
  sessions: "session_id IN ('a1b-s1', 'a1-s1', 'a1-s2', 'a1-s3', 'a1-s4', 'email-c1')",
  unsettled_visits: "session_id IN ('a1b-s1', 'a1-s1', 'a1-s2', 'a1-s3', 'a1-s4', 'email-c1')",
  identities: "customer_id = 'c1'",
  orders: "customer_id = 'c1'",
  order_items: "customer_id = 'c1'",
};

describe('DELETE /api/v1/customers/{id}', () => {
  it('removes every trace of c1 from every table at once, keeps others, clears caches, writes the audit entry', async () => {
    await kv.set(identityKey('shop-1', 'a1'), 'c1', 60_000);
    await kv.set(identityKey('shop-1', 'a1b'), 'c1', 60_000);
    // Warm the RFM population cache the profiles use: 4 buyers (c1, c2, c3, c5); c2 has W = 2 worse on recency → R 1 + ⌊10/4⌋ = 3.
    expect((await getJson(app, '/api/v1/customers/c2?site=shop-1', CUSTOMER_KEY)).body.rfm).toMatchObject({ r: 3, population: 4 });
    const before = Object.fromEntries(await Promise.all(Object.entries(C1_ROWS).map(async ([t, w]) => [t, await count(t, w)] as const)));
    expect(before).toEqual({ events: 16, events_by_visitor: 16, session_days: 7, customer_browsers: 6, raw_events: 3, sessions: 6, unsettled_visits: 6, identities: 2, orders: 3, order_items: 3 });
    const othersBefore = { events: await count('events', "customer_id != 'c1'") - 3, orders: await count('orders', "customer_id != 'c1'") };

    const res = await app.request('/api/v1/customers/c1?site=shop-1', { method: 'DELETE', headers: bearer(CUSTOMER_KEY) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      customer_id: 'c1',
      anonymous_ids: 3, // a1, a1b (identities), email-c1 (carried the id)
      deleted: { events: 16, events_by_visitor: 16, session_days: 7, customer_browsers: 6, raw_events: 3, sessions: 6, unsettled_visits: 6, identities: 2, orders: 3, order_items: 3 },
      hooks: { 'rfm-population-cache': 'ok: cleared', 'identity-cache': 'ok: deleted 2 of 3 keys' },
      requested_at: '2026-12-01T00:00:00.000Z',
    });

    // Gone at once — no merge, no FINAL needed.
    for (const [table, where] of Object.entries(C1_ROWS)) expect([table, await count(table, where)]).toEqual([table, 0]);
    expect(await count('events', "customer_id = 'c9'")).toBe(1);
    expect(await count('events_by_visitor', "customer_id = 'c9'")).toBe(1);
    expect(await count('session_days', "customer_id = 'c9'")).toBe(1);
    expect(await count('customer_browsers', "customer_id = 'c9'")).toBe(1);
    expect(await count('raw_events', "event_json LIKE '%c9%' OR event_json LIKE '%c2%'")).toBe(2);
    expect({ events: (await count('events', "customer_id != 'c1'")) - 3, orders: await count('orders', "customer_id != 'c1'") }).toEqual({
      events: othersBefore.events - 1, // the anonymous a1b page view had customer_id ''
      orders: othersBefore.orders,
    });
    expect(await kv.existsMany([identityKey('shop-1', 'a1'), identityKey('shop-1', 'a1b')])).toEqual([false, false]);

    // Hidden from every query.
    expect((await getJson(app, '/api/v1/customers/c1?site=shop-1', CUSTOMER_KEY)).status).toBe(404);
    const rfm = await getJson(app, '/api/v1/rfm?site=shop-1&as_of=2026-11-30&include=all', CUSTOMER_KEY);
    // c9's visit on the shared device was c1's while a1 was linked to c1; with the link erased it is c9's own.
    expect(rfm.body.customers.map((c: { customer_id: string }) => c.customer_id).sort()).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c9']);
    // Profiles rank against the new population at once (the cache was cleared): 3 buyers left (c2, c3, c5), c2 still
    // has W = 2 worse on recency → R 1 + ⌊10/3⌋ = 4 (was 3).
    expect((await getJson(app, '/api/v1/customers/c2?site=shop-1', CUSTOMER_KEY)).body.rfm).toMatchObject({ r: 4, population: 3 });

    // The audit entry: who, when, what (hashed), how many.
    const rs = await ctx.client.query({ query: `SELECT * FROM ${ctx.database}.erasure_log`, format: 'JSONEachRow' });
    const log = await rs.json<Record<string, unknown>>();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      erasure_id: body.erasure_id,
      site_id: 'shop-1',
      customer_sha256: createHash('sha256').update('c1').digest('hex'),
      requested_by: 'key:key-support',
      requested_at: '2026-12-01 00:00:00.000',
      anonymous_ids: 3,
      row_counts: { sessions: 6, events_by_visitor: 16, session_days: 7, customer_browsers: 6, raw_events: 3, events: 16, order_items: 3, orders: 3, identities: 2 },
      hooks: { 'rfm-population-cache': 'ok: cleared', 'identity-cache': 'ok: deleted 2 of 3 keys' },
    });
    expect(JSON.stringify(log[0])).not.toContain('"c1"');

    // The erasure register names c1 and its anonymous ids by hash only, for the processor and replay.
    const sha = (v: string) => createHash('sha256').update(v).digest('hex');
    const register = await (await ctx.client.query({ query: `SELECT kind, id_sha256 FROM ${ctx.database}.erasure_register ORDER BY kind, id_sha256`, format: 'JSONEachRow' })).json();
    expect(register).toEqual([
      { kind: 'customer', id_sha256: sha('c1') },
      ...['a1', 'a1b', 'email-c1'].map(sha).sort().map((h) => ({ kind: 'anonymous', id_sha256: h })),
    ]);
    // ClickHouse keeps every mutation's text (mutation_N.txt): the deletions name ids by hash, never in clear.
    const commands = await (
      await ctx.client.query({ query: `SELECT command FROM system.mutations WHERE database = {db:String}`, query_params: { db: ctx.database }, format: 'JSONEachRow' })
    ).json<{ command: string }>();
    expect(commands.length).toBeGreaterThan(0);
    for (const { command } of commands) for (const id of ["'c1'", "'a1'", "'a1b'", "'email-c1'", "'a1-s1'"]) expect(command).not.toContain(id);
  });

  it('erasing an unknown customer deletes nothing and is still audited; a failing hook is reported, not fatal', async () => {
    const failing = createQueryApi({
      keyValue: createMemoryKeyValue(),
      clickhouse: ctx.client,
      database: ctx.database,
      now: () => new Date('2026-12-02T00:00:00Z'),
      erasureHooks: [{ name: 'crm', run: async () => { throw new Error('CRM unreachable'); } }],
    });
    const res = await failing.request('/api/v1/customers/ghost?site=shop-1', { method: 'DELETE', headers: bearer(CUSTOMER_KEY) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.deleted).toEqual({ sessions: 0, unsettled_visits: 0, events_by_visitor: 0, session_days: 0, customer_browsers: 0, raw_events: 0, events: 0, order_items: 0, orders: 0, identities: 0 });
    expect(body.hooks.crm).toBe('failed: CRM unreachable');
    expect(await count('erasure_log', `customer_sha256 = '${createHash('sha256').update('ghost').digest('hex')}'`)).toBe(1);
  });
});
