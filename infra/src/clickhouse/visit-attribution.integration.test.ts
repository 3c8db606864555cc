import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { loadMigrations } from './migrate.js';

// sessions.attribution (0350): the landing's attribution per visit, filled by the sessions view and backfilled for
// sessions stored before the migration.
const row = (n: number, session: string, ts: string, extra: Record<string, unknown> = {}) => ({
  site_id: 's1', event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: 'page_view', ts, device_ts: ts, received_at: ts,
  anonymous_id: 'a1', session_id: session, path: '/', channel: 'Direct', medium: 'internal', ...extra,
});
const newsletter = { channel: 'Email', source: 'newsletter', medium: 'email', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'dec', referrer_host: 'mail.example' };
const EVENTS = [
  // The SPA page and the purchase (inserted first, as after a retried batch) belong to the newsletter landing's visit.
  row(3, 'v1', '2026-11-02 10:05:00', { type: 'purchase', path: '/thanks' }),
  row(2, 'v1', '2026-11-02 10:01:00', { path: '/products/x' }),
  row(1, 'v1', '2026-11-02 10:00:00', newsletter),
  // An identify without page context at the same instant as the landing is no landing (no channel).
  row(4, 'v2', '2026-11-03 09:00:00', { type: 'identify', channel: '', medium: '' }),
  row(5, 'v2', '2026-11-03 09:00:00', { channel: 'Paid Search', source: 'google', medium: 'cpc', click_id_type: 'gclid', click_id: 'G-1', utm_term: 'tents' }),
  // Equal times: the smaller event id is the landing.
  row(7, 'v3', '2026-11-04 09:00:00', { channel: 'Referral', source: 'blog.example', medium: 'referral' }),
  row(6, 'v3', '2026-11-04 09:00:00', { channel: 'Organic Search', source: 'google', medium: 'search', search_term: 'tent' }),
];
const FIELDS = ['channel', 'source', 'medium', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'click_id_type', 'click_id', 'referrer_host', 'search_term'];
const EXPECTED = [
  { session_id: 'v1', page_views: 2, attribution: ['Email', 'newsletter', 'email', 'newsletter', 'email', 'dec', '', '', '', '', 'mail.example', ''] },
  { session_id: 'v2', page_views: 1, attribution: ['Paid Search', 'google', 'cpc', '', '', '', 'tents', '', 'gclid', 'G-1', '', ''] },
  { session_id: 'v3', page_views: 2, attribution: ['Organic Search', 'google', 'search', '', '', '', '', '', '', '', '', 'tent'] },
];

describe('sessions.attribution (migration 0350)', () => {
  it('is the landing\'s (earliest event with a channel, ties by event id), whatever the insert order; the backfill fills older sessions and re-running it changes nothing', async () => {
    const { client, database } = await freshClickHouseDatabase();
    for (const e of EVENTS) await client.insert({ table: `${database}.events`, format: 'JSONEachRow', values: [e] });
    const read = async () =>
      (await (await client.query({
        query: `SELECT session_id, uniqExactMerge(page_views) AS page_views, JSONExtract(argMinMerge(attribution), 'Array(String)') AS attribution
                FROM ${database}.sessions GROUP BY site_id, session_id ORDER BY session_id`,
        format: 'JSONEachRow',
      })).json<{ session_id: string; page_views: number; attribution: string[] }>()).map((r) => ({ ...r, page_views: Number(r.page_views) }));
    expect(FIELDS).toHaveLength(EXPECTED[0]!.attribution.length);
    expect(await read()).toEqual(EXPECTED);

    // Sessions as stored before 0350: every column but attribution (the original view's query, migration 0005).
    const [oldView] = loadMigrations({ database }).find((m) => m.name === '0005_sessions')!.statements.filter((s) => s.includes('MATERIALIZED VIEW'));
    const oldSelect = oldView!.slice(oldView!.indexOf(' AS\nSELECT') + 4);
    await client.command({ query: `TRUNCATE TABLE ${database}.sessions` });
    await client.command({
      query: `INSERT INTO ${database}.sessions (site_id, session_id, anonymous_id, customer_id, started_at, ended_at, entry_page, exit_page, page_views, events,
                has_cart, has_checkout, has_purchase, is_bot, channel, source, medium, utm_campaign, country, device_type) ${oldSelect}`,
    });
    expect((await read()).map((r) => r.attribution)).toEqual([[], [], []]);

    const backfill = loadMigrations({ database }).find((m) => m.name === '0350_visit_attribution')!.statements.filter((s) => s.startsWith('INSERT'));
    expect(backfill).toHaveLength(1);
    await client.command({ query: backfill[0]! });
    expect(await read()).toEqual(EXPECTED);
    await client.command({ query: backfill[0]! });
    expect(await read()).toEqual(EXPECTED);
  });
});
