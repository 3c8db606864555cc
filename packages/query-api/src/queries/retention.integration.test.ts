import { beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { appliedDefaultDays, applyRetention, RETENTION_TABLES, setSiteRetention, type RetentionTable, createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../create-query-api.js';
import { fixtureUuid, getJson, loadFixture, type FixtureEvent } from '../testing/index.js';

/**
 * Retention through the real schema: shop-1 keeps 30 days (its own setting), shop-2 the deployment default (400 days
 * here). After the TTL pass every table and every answer has lost exactly the rows past their site's retention.
 */
const KEY = 'sk_retention_0123456789';
const DEFAULT_DAYS = 400;
let client: ClickHouseClient;
let database: string;
let app: QueryApi;

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace('T', ' ').slice(0, 19);

/** One customer's page view + purchase (events), the order and its item, the identity link and the raw archive rows. */
function customer(site: string, id: string, ageDays: number) {
  const anon = `${id}-anon`;
  const ts = daysAgo(ageDays);
  const events: FixtureEvent[] = [
    { site_id: site, type: 'page_view', ts, anonymous_id: anon, customer_id: id, session_id: `${anon}-s`, channel: 'direct', path: '/' },
    { site_id: site, type: 'purchase', ts, anonymous_id: anon, customer_id: id, session_id: `${anon}-s`, channel: 'direct', order_id: `${id}-o`, revenue: 10 },
  ];
  return {
    events,
    orders: [{ site_id: site, order_id: `${id}-o`, ts, anonymous_id: anon, customer_id: id, revenue: 10, currency: 'EUR' }],
    orderItems: [{ site_id: site, order_id: `${id}-o`, line: 1, ts, customer_id: id, anonymous_id: anon, product_id: 'p1', price: 10, quantity: 1 }],
    identities: [{ site_id: site, anonymous_id: anon, customer_id: id, first_seen: ts }],
    raw: events.map((e) => ({ site_id: site, event_id: fixtureUuid(), type: e.type, anonymous_id: anon, event_json: '{}', device_ts: ts, sent_at: ts, received_at: ts })),
  };
}

const PEOPLE = [
  customer('shop-1', 'old1', 40), // past shop-1's 30 days
  customer('shop-1', 'new1', 10),
  customer('shop-2', 'old2', 40), // within the default
  customer('shop-2', 'ancient2', 500), // past the default
];

async function load(people: ReturnType<typeof customer>[]) {
  await loadFixture(client, database, {
    events: people.flatMap((p) => p.events),
    orders: people.flatMap((p) => p.orders),
    orderItems: people.flatMap((p) => p.orderItems),
    identities: people.flatMap((p) => p.identities),
  });
  await client.insert({ table: `${database}.raw_events`, values: people.flatMap((p) => p.raw), format: 'JSONEachRow' });
}

/** Per table and site, the anonymous ids it holds. */
async function holders(): Promise<Record<string, Record<string, string[]>>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const table of Object.keys(RETENTION_TABLES) as RetentionTable[]) {
    const rows = await (
      await client.query({
        query: `SELECT site_id, arraySort(groupUniqArray(anonymous_id)) AS ids FROM {db:Identifier}.${table} GROUP BY site_id ORDER BY site_id`,
        query_params: { db: database },
        format: 'JSONEachRow',
      })
    ).json<{ site_id: string; ids: string[] }>();
    out[table] = Object.fromEntries(rows.map((r) => [r.site_id, r.ids]));
  }
  return out;
}

const expectEveryTable = async (expected: Record<string, string[]>) => {
  const all = await holders();
  for (const table of Object.keys(RETENTION_TABLES)) expect({ table, ...all[table] }).toEqual({ table, ...expected });
};

const profileStatus = async (site: string, id: string) => (await getJson(app, `/api/v1/customers/${id}?site=${site}`, KEY)).status;
const rfmCustomers = async (site: string) =>
  ((await getJson(app, `/api/v1/rfm?site=${site}&include=all&limit=100`, KEY)).body.customers as Array<{ customer_id: string }>).map((c) => c.customer_id).sort();
const overviewSessions = async (site: string) =>
  (await getJson(app, `/api/v1/overview?site=${site}&from=${daysAgo(399).slice(0, 10)}&to=${daysAgo(0).slice(0, 10)}`, KEY)).body.totals.sessions;

beforeAll(async () => {
  ({ client, database } = await freshClickHouseDatabase());
  await loadFixture(client, database, {
    apiKeys: [{ key: KEY, siteIds: ['shop-1', 'shop-2'] }],
    sites: [
      { site_id: 'shop-1', write_key: 'wk_shop1' },
      { site_id: 'shop-2', write_key: 'wk_shop2' },
    ],
  });
  await load(PEOPLE);
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, logError: () => undefined });
});

describe('retention', () => {
  it('before any policy every row is there', async () => {
    await expectEveryTable({ 'shop-1': ['new1-anon', 'old1-anon'], 'shop-2': ['ancient2-anon', 'old2-anon'] });
    expect(await appliedDefaultDays(client, database)).toBeUndefined();
  });

  it("deletes each site's rows past its retention from every table and answer, and keeps the rest", async () => {
    await setSiteRetention(client, database, 'shop-1', 30);
    const { rewritten } = await applyRetention(client, { database, defaultDays: DEFAULT_DAYS });
    expect(rewritten.sort()).toEqual(Object.keys(RETENTION_TABLES).sort());
    await expectEveryTable({ 'shop-1': ['new1-anon'], 'shop-2': ['old2-anon'] });

    expect(await profileStatus('shop-1', 'old1')).toBe(404);
    expect(await profileStatus('shop-1', 'new1')).toBe(200);
    expect(await profileStatus('shop-2', 'old2')).toBe(200);
    expect(await profileStatus('shop-2', 'ancient2')).toBe(404);
    expect(await rfmCustomers('shop-1')).toEqual(['new1']);
    expect(await rfmCustomers('shop-2')).toEqual(['old2']);
    expect(await overviewSessions('shop-1')).toBe(1);
    expect(await overviewSessions('shop-2')).toBe(1);
  });

  it('an unchanged policy rewrites nothing; old rows arriving later are dropped by the TTL pass', async () => {
    expect((await applyRetention(client, { database, defaultDays: DEFAULT_DAYS })).rewritten).toEqual([]);
    expect(await appliedDefaultDays(client, database)).toBe(DEFAULT_DAYS);
    await load([customer('shop-1', 'late1', 35)]);
    for (const table of Object.keys(RETENTION_TABLES)) await client.command({ query: `OPTIMIZE TABLE {db:Identifier}.${table} FINAL`, query_params: { db: database } });
    await expectEveryTable({ 'shop-1': ['new1-anon'], 'shop-2': ['old2-anon'] });
  });

  it("a changed setting applies to the data already stored: shop-2 down to 20 days, shop-1 back to the default", async () => {
    await setSiteRetention(client, database, 'shop-2', 20);
    await setSiteRetention(client, database, 'shop-1', 0);
    await applyRetention(client, { database, defaultDays: DEFAULT_DAYS });
    await expectEveryTable({ 'shop-1': ['new1-anon'] });
    expect(await profileStatus('shop-2', 'old2')).toBe(404);
    // shop-1 now keeps 400 days: a 35-day-old customer arriving now stays.
    await load([customer('shop-1', 'late1', 35)]);
    expect(await profileStatus('shop-1', 'late1')).toBe(200);
  });

  it('a customer_browsers pair lives as long as its newest day: an old day expires, a recent one keeps the pair', async () => {
    await loadFixture(client, database, {
      events: [
        { site_id: 'shop-1', type: 'page_view', ts: daysAgo(500), anonymous_id: 'two-days-anon', customer_id: 'two-days', session_id: 'x' },
        { site_id: 'shop-1', type: 'page_view', ts: daysAgo(5), anonymous_id: 'two-days-anon', customer_id: 'two-days', session_id: 'y' },
      ],
    });
    await client.command({ query: 'OPTIMIZE TABLE {db:Identifier}.customer_browsers FINAL', query_params: { db: database } });
    const days = await (
      await client.query({
        query: "SELECT toString(day) AS day FROM {db:Identifier}.customer_browsers WHERE customer_id = 'two-days'",
        query_params: { db: database },
        format: 'JSONEachRow',
      })
    ).json<{ day: string }>();
    expect(days).toEqual([{ day: daysAgo(5).slice(0, 10) }]);
    expect(await profileStatus('shop-1', 'two-days')).toBe(200);
  });
});
