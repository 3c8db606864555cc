import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { loadMigrations } from './migrate.js';
import { settleVisits } from './settle-visits.js';

// settleVisits (migration 0430): each marked visit's attribution from sessions.attribution onto its events.
let n = 0;
const row = (site: string, session: string, ts: string, extra: Record<string, unknown> = {}) => ({
  site_id: site, event_id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, type: 'page_view', ts, device_ts: ts, received_at: ts,
  anonymous_id: `a-${session}`, session_id: session, path: '/', channel: 'Direct', ...extra,
});
const newsletter = { channel: 'Email', source: 'newsletter', medium: 'email', utm_campaign: 'dec' };
const search = { channel: 'Organic Search', source: 'google', medium: 'organic', utm_campaign: '' };

async function setUp() {
  const { client, database } = await freshClickHouseDatabase();
  const insert = async (events: Array<Record<string, unknown>>) => {
    await client.insert({ table: `${database}.events`, format: 'JSONEachRow', values: events });
    // As the loader does: marked after the events (and their sessions rows) are stored.
    const visits = [...new Map(events.filter((e) => e.session_id !== '').map((e) => [JSON.stringify([e.site_id, e.session_id]), { site_id: e.site_id, session_id: e.session_id }])).values()];
    await client.insert({ table: `${database}.unsettled_visits`, format: 'JSONEachRow', values: visits });
  };
  const columns = async () =>
    (await (await client.query({
      query: `SELECT site_id, session_id, groupUniqArray((visit_channel, visit_source, visit_medium, visit_campaign)) AS visit FROM ${database}.events
              GROUP BY site_id, session_id ORDER BY site_id, session_id`,
      format: 'JSONEachRow',
    })).json<{ site_id: string; session_id: string; visit: string[][] }>());
  const marks = async () => Number((await (await client.query({ query: `SELECT count() AS n FROM ${database}.unsettled_visits`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
  return { client, database, insert, columns, marks };
}

describe('settleVisits (migration 0430)', () => {
  it('copies the landing\'s attribution onto every event of the visit, per site, and removes the marks it applied', async () => {
    const { client, database, insert, columns, marks } = await setUp();
    // The same session id on two sites is two visits.
    await insert([
      row('s1', 'v1', '2026-11-02 10:00:00', newsletter), row('s1', 'v1', '2026-11-02 10:01:00'), row('s1', 'v1', '2026-11-02 10:02:00', { type: 'purchase' }),
      row('s2', 'v1', '2026-11-02 10:00:00', search), row('s2', 'v1', '2026-11-02 10:03:00'),
      // An email open has no visit.
      row('s1', '', '2026-11-02 11:00:00', { type: 'email_open', channel: '' }),
    ]);
    expect(await marks()).toBe(2);
    expect(await settleVisits(client, { database })).toEqual({ visits: 2, mutations: 1 });
    expect(await columns()).toEqual([
      { site_id: 's1', session_id: '', visit: [['', '', '', '']] },
      { site_id: 's1', session_id: 'v1', visit: [['Email', 'newsletter', 'email', 'dec']] },
      { site_id: 's2', session_id: 'v1', visit: [['Organic Search', 'google', 'organic', '']] },
    ]);
    expect(await marks()).toBe(0);
    // Nothing marked: nothing to do.
    expect(await settleVisits(client, { database })).toEqual({ visits: 0, mutations: 0 });
  });

  it('a landing that arrives after its visit was settled (a late batch) is applied by the next settle', async () => {
    const { client, database, insert, columns } = await setUp();
    await insert([row('s1', 'v1', '2026-11-02 10:05:00', { type: 'add_to_cart' }), row('s1', 'v1', '2026-11-02 10:06:00')]);
    await settleVisits(client, { database });
    expect((await columns())[0]!.visit).toEqual([['Direct', '', '', '']]);
    await insert([row('s1', 'v1', '2026-11-02 10:00:00', newsletter)]);
    await settleVisits(client, { database, visitsPerMutation: 1 });
    expect((await columns())[0]!.visit).toEqual([['Email', 'newsletter', 'email', 'dec']]);
  });

  it('two settles at once (say replay beside a processor) each finish, with their own Join table, and agree', async () => {
    const { client, database, insert, columns, marks } = await setUp();
    await insert([row('s1', 'v1', '2026-11-02 10:00:00', newsletter), row('s1', 'v2', '2026-11-02 10:00:00', search), row('s1', 'v2', '2026-11-02 10:01:00')]);
    const reports = await Promise.all([settleVisits(client, { database }), settleVisits(client, { database })]);
    expect(reports.map((r) => r.visits).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(2);
    expect((await columns()).map((r) => r.visit)).toEqual([[['Email', 'newsletter', 'email', 'dec']], [['Organic Search', 'google', 'organic', '']]]);
    expect(await marks()).toBe(0);
    const joins = await (await client.query({ query: `SELECT name FROM system.tables WHERE database = '${database}' AND name LIKE 'settle_visits_join%'`, format: 'JSONEachRow' })).json();
    expect(joins, 'every Join table dropped').toEqual([]);
  });

  it('marks made at or after the settle began stay for the next one', async () => {
    const { client, database, insert, marks } = await setUp();
    await insert([row('s1', 'v1', '2026-11-02 10:00:00', newsletter)]);
    // A mark stamped in the future stands for one made while the settle ran.
    await client.insert({ table: `${database}.unsettled_visits`, format: 'JSONEachRow', values: [{ site_id: 's1', session_id: 'v2', marked_at: '2099-01-01 00:00:00' }] });
    await settleVisits(client, { database });
    expect(await marks()).toBe(1);
  });

  it('in chunks (as on a cluster) of any size it settles the same; many visits across sites', async () => {
    const { client, database, insert, columns } = await setUp();
    const events = [];
    for (let i = 0; i < 30; i++) events.push(row(`s${i % 3}`, `v${i}`, '2026-11-02 10:00:00', i % 2 ? newsletter : search), row(`s${i % 3}`, `v${i}`, '2026-11-02 10:01:00'));
    await insert(events);
    // 10 visits per site in chunks of 7: [s0 7], [s0 3, s1 4], [s1 6, s2 1], [s2 7], [s2 2] — a mutation per site in a chunk.
    expect(await settleVisits(client, { database, visitsPerMutation: 7 })).toEqual({ visits: 30, mutations: 7 });
    expect((await columns()).map((r) => r.visit[0]![0])).toEqual([...Array(30).keys()].map((i) => ({ i, site: `s${i % 3}`, session: `v${i}` }))
      .sort((a, b) => (a.site === b.site ? (a.session < b.session ? -1 : 1) : a.site < b.site ? -1 : 1)).map(({ i }) => (i % 2 ? 'Email' : 'Organic Search')));
  });

  it('hostile session ids and attribution values travel as parameters and come back exactly', async () => {
    const { client, database, insert, columns } = await setUp();
    const text = fc.string({ unit: fc.constantFrom('a', "'", '\\', '"', '\u0000', '\n', '`', '{', '}', ')', ';', '--', 'é', '🛒'), minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(text, { minLength: 1, maxLength: 4 }), text, async (sessions, campaign) => {
        await client.command({ query: `TRUNCATE TABLE ${database}.events` });
        await client.command({ query: `TRUNCATE TABLE ${database}.sessions` });
        await insert(sessions.map((s) => row('s1', s, '2026-11-02 10:00:00', { ...newsletter, utm_campaign: campaign })));
        await settleVisits(client, { database, ...(sessions.length > 2 ? { visitsPerMutation: 2 } : {}) });
        const got = await columns();
        expect(got.map((r) => r.session_id).sort()).toEqual([...sessions].sort());
        for (const r of got) expect(r.visit).toEqual([['Email', 'newsletter', 'email', campaign]]);
      }),
      { numRuns: 15 },
    );
  });

  it('the migration marks every visit stored before it', async () => {
    const { client, database, columns, marks } = await setUp();
    await client.insert({ table: `${database}.events`, format: 'JSONEachRow', values: [row('s1', 'v1', '2026-11-02 10:00:00', newsletter), row('s1', '', '2026-11-02 10:00:00')] });
    const backfill = loadMigrations({ database }).find((m) => m.name === '0430_visit_columns')!.statements.filter((s) => s.startsWith('INSERT'));
    expect(backfill).toHaveLength(1);
    await client.command({ query: backfill[0]! });
    expect(await marks()).toBe(1);
    await settleVisits(client, { database });
    expect((await columns()).find((r) => r.session_id === 'v1')!.visit).toEqual([['Email', 'newsletter', 'email', 'dec']]);
  });

  it('refuses a database or cluster that is not an identifier, and a chunk size that is not a positive integer', async () => {
    const { client, database } = await setUp();
    await expect(settleVisits(client, { database: 'x; DROP' })).rejects.toThrow(/identifiers/);
    await expect(settleVisits(client, { database, cluster: 'c`' })).rejects.toThrow(/identifiers/);
    await expect(settleVisits(client, { database, visitsPerMutation: 0 })).rejects.toThrow(/visitsPerMutation/);
  });
});
