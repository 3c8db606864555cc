import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { loadMigrations } from './migrate.js';

// session_days (0270) for audiences; customer_browsers and events_by_visitor (0271) for customer profiles.
const row = (n: number, type: string, ts: string, extra: Record<string, unknown> = {}) => ({
  site_id: 's1', event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type, ts, device_ts: ts, received_at: ts,
  anonymous_id: 'a1', session_id: 'a1-s1', customer_id: '', path: '/p', url: 'https://x/p', ...extra,
});
const EVENTS = [
  row(1, 'page_view', '2026-11-01 23:50:00'),
  row(2, 'page_ping', '2026-11-02 00:05:00'), // the same session after midnight: a second day row
  row(3, 'email_open', '2026-11-02 08:00:00', { session_id: 'mail', customer_id: 'c1', campaign_id: 'nov', machine_open: true }),
  row(4, 'add_to_cart', '2026-11-02 09:00:00', { session_id: 'a1-s2', customer_id: 'c1', cart_id: 'k1', product_name: 'Mug', price: 8, quantity: 2 }),
  row(5, 'page_view', '2026-11-02 10:00:00', { session_id: 'bot-s', is_bot: true }),
];

async function withEvents() {
  const { client, database } = await freshClickHouseDatabase();
  await client.insert({ table: `${database}.events`, format: 'JSONEachRow', values: EVENTS });
  const rows = async (sql: string) => (await client.query({ query: sql, format: 'JSONEachRow' })).json();
  // 0271's customer_browsers backfill predates the table's `day` column (0310_retention, which has its own backfill).
  const backfills = loadMigrations({ database })
    .filter((m) => m.name === '0270_session_days' || m.name === '0271_customer_lookup')
    .flatMap((m) => m.statements.filter((s) => s.startsWith('INSERT') && !s.startsWith(`INSERT INTO ${database}.customer_browsers`)));
  return { client, database, rows, backfills };
}

describe('session_days', () => {
  it('one row per (day, browser, customer, session): visit flag, last time; bots left out; backfill twice changes nothing', async () => {
    const { client, database, rows, backfills } = await withEvents();
    const read = () =>
      rows(`SELECT toString(day) AS day, customer_id, session_id, max(visit) AS visit, toString(max(last_seen)) AS last_seen
            FROM ${database}.session_days GROUP BY day, anonymous_id, customer_id, session_id ORDER BY day, session_id`);
    const expected = [
      { day: '2026-11-01', customer_id: '', session_id: 'a1-s1', visit: 1, last_seen: '2026-11-01 23:50:00.000' },
      { day: '2026-11-02', customer_id: '', session_id: 'a1-s1', visit: 1, last_seen: '2026-11-02 00:05:00.000' },
      { day: '2026-11-02', customer_id: 'c1', session_id: 'a1-s2', visit: 1, last_seen: '2026-11-02 09:00:00.000' },
      // An email pseudo-session is activity but not a visit (a machine open is still activity for "active in the window").
      { day: '2026-11-02', customer_id: 'c1', session_id: 'mail', visit: 0, last_seen: '2026-11-02 08:00:00.000' },
    ];
    expect(await read()).toEqual(expected);
    for (const statement of backfills) await client.command({ query: statement });
    for (const statement of backfills) await client.command({ query: statement });
    expect(await read()).toEqual(expected);
  });
});

describe('customer lookup tables', () => {
  it('customer_browsers pairs from events, orders and identity links; events_by_visitor copies every event with the profile columns', async () => {
    const { client, database, rows, backfills } = await withEvents();
    await client.insert({ table: `${database}.orders`, format: 'JSONEachRow', values: [{ site_id: 's1', order_id: 'o1', event_id: row(9, '', '').event_id, ts: '2026-11-03 00:00:00', anonymous_id: 'a2', customer_id: 'c1' }] });
    await client.insert({ table: `${database}.identities`, format: 'JSONEachRow', values: [{ site_id: 's1', anonymous_id: 'a3', customer_id: 'c1', first_seen: '2026-11-03 00:00:00', last_seen: '2026-11-03 00:00:00', sources: ['identify'] }] });
    for (const statement of backfills) await client.command({ query: statement });
    const pairs = () => rows(`SELECT DISTINCT customer_id, anonymous_id FROM ${database}.customer_browsers ORDER BY anonymous_id`);
    expect(await pairs()).toEqual([
      { customer_id: 'c1', anonymous_id: 'a1' },
      { customer_id: 'c1', anonymous_id: 'a2' },
      { customer_id: 'c1', anonymous_id: 'a3' },
    ]);
    const details = () => rows(`SELECT type, machine_open, toString(campaign_id) AS campaign_id, cart_id, product_name, toFloat64(price) AS price, quantity FROM ${database}.events_by_visitor ORDER BY ts`);
    const expected = [
      { type: 'page_view', machine_open: false, campaign_id: '', cart_id: '', product_name: '', price: 0, quantity: 0 },
      { type: 'page_ping', machine_open: false, campaign_id: '', cart_id: '', product_name: '', price: 0, quantity: 0 },
      { type: 'email_open', machine_open: true, campaign_id: 'nov', cart_id: '', product_name: '', price: 0, quantity: 0 },
      { type: 'add_to_cart', machine_open: false, campaign_id: '', cart_id: 'k1', product_name: 'Mug', price: 8, quantity: 2 },
      { type: 'page_view', machine_open: false, campaign_id: '', cart_id: '', product_name: '', price: 0, quantity: 0 },
    ];
    expect(await details()).toEqual(expected);
    // The backfill ran once above with everything already copied by the views: still each event once.
    for (const statement of backfills) await client.command({ query: statement });
    expect(await details()).toEqual(expected);
    expect(await pairs()).toHaveLength(3);
  });
});

describe('customer_browsers days (0310)', () => {
  it('pairs are kept per day seen; pairs stored before 0310 (no day) get their days from events, orders and links', async () => {
    const { client, database, rows } = await withEvents();
    await client.insert({ table: `${database}.identities`, format: 'JSONEachRow', values: [{ site_id: 's1', anonymous_id: 'a3', customer_id: 'c1', first_seen: '2026-11-03 00:00:00', last_seen: '2026-11-04 00:00:00', sources: ['identify'] }] });
    const days = () => rows(`SELECT customer_id, anonymous_id, toString(day) AS day FROM ${database}.customer_browsers FINAL ORDER BY anonymous_id, day`);
    const expected = [
      { customer_id: 'c1', anonymous_id: 'a1', day: '2026-11-02' },
      { customer_id: 'c1', anonymous_id: 'a3', day: '2026-11-04' },
    ];
    expect(await days()).toEqual(expected);
    // As stored before 0310: the same pairs without a day (plus one no source knows any more, which cannot be dated).
    await client.command({ query: `TRUNCATE TABLE ${database}.customer_browsers` });
    await client.insert({ table: `${database}.customer_browsers`, format: 'JSONEachRow', values: [
      { site_id: 's1', customer_id: 'c1', anonymous_id: 'a1' }, { site_id: 's1', customer_id: 'c1', anonymous_id: 'a3' }, { site_id: 's1', customer_id: 'c9', anonymous_id: 'gone' },
    ] });
    // Every statement of 0310 again, twice (as after a crash half-way through it): the backfill dates the old pairs,
    // the rest changes nothing.
    const statements = loadMigrations({ database }).find((m) => m.name === '0310_retention')!.statements;
    expect(statements.filter((s) => s.includes(`${database}.customer_browsers`) && /^(INSERT|ALTER TABLE \S+ +DELETE)/.test(s))).toHaveLength(2);
    for (let run = 0; run < 2; run++) for (const statement of statements) await client.command({ query: statement, clickhouse_settings: { mutations_sync: '2' } });
    expect(await days()).toEqual(expected);
  });
});

describe('profile point reads (0272)', () => {
  it("a customer's orders are found through the anonymous_id bloom filter, reading only the granules that can hold them", async () => {
    const { client, database } = await freshClickHouseDatabase();
    // 40k orders sorted by order id (5 granules of 8192); browser a7 placed three of them, all in the first granule.
    await client.command({
      query: `INSERT INTO ${database}.orders (site_id, order_id, event_id, ts, anonymous_id, customer_id)
              SELECT 's1', concat('o', leftPad(toString(number), 6, '0')), generateUUIDv4(number), '2026-11-01 00:00:00',
                     if(number IN (3, 5, 8), 'a7', concat('b', toString(number))), ''
              FROM numbers(40000)`,
    });
    const lookup = `SELECT order_id FROM ${database}.orders WHERE site_id = 's1' AND anonymous_id IN ['a7'] ORDER BY order_id`;
    expect(await (await client.query({ query: lookup, format: 'JSONEachRow' })).json()).toEqual([{ order_id: 'o000003' }, { order_id: 'o000005' }, { order_id: 'o000008' }]);
    const plan = await (await client.query({ query: `EXPLAIN indexes = 1 ${lookup}`, format: 'JSONEachRow' })).json<{ explain: string }>();
    const text = plan.map((r) => r.explain).join('\n');
    const skip = text.slice(text.indexOf('Name: orders_anonymous_id'));
    expect(text).toContain('Name: orders_anonymous_id');
    expect(skip).toMatch(/Granules: 1\/5/);
  });
});
