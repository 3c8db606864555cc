import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { loadMigrations, migrate } from './migrate.js';
import { PROJECTIONS } from './projections.js';
import { syncProjections } from './sync-projections.js';

describe('ClickHouse schema (embedded chDB unless CLICKHOUSE_URL is set)', () => {
  it('creates every table and reads back inserted rows', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const tables = await (await client.query({ query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', query_params: { db: database }, format: 'JSONEachRow' })).json<{ name: string }>();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['api_keys', 'events', 'identities', 'order_items', 'orders', 'raw_events', 'schema_migrations', 'sessions', 'sessions_mv', 'sites']),
    );

    const row = (id: string, type: string, path: string, ts: string) => ({
      site_id: 's1', event_id: id, type, ts, device_ts: ts, received_at: ts, anonymous_id: 'a1', session_id: 'sess1', path, url: `https://x${path}`,
    });
    await client.insert({
      table: `${database}.events`,
      format: 'JSONEachRow',
      values: [
        row('00000000-0000-4000-8000-000000000001', 'page_view', '/', '2026-11-01 10:00:00.000'),
        row('00000000-0000-4000-8000-000000000002', 'page_view', '/p/1', '2026-11-01 10:01:00.000'),
        row('00000000-0000-4000-8000-000000000003', 'add_to_cart', '/p/1', '2026-11-01 10:01:30.000'),
      ],
    });
    const events = await (await client.query({ query: `SELECT type, path FROM ${database}.events ORDER BY ts`, format: 'JSONEachRow' })).json();
    expect(events).toEqual([{ type: 'page_view', path: '/' }, { type: 'page_view', path: '/p/1' }, { type: 'add_to_cart', path: '/p/1' }]);

    // The sessions projection is filled by its materialized view.
    const sessions = await (
      await client.query({
        query: `SELECT session_id, argMinMerge(entry_page) AS entry, argMaxMerge(exit_page) AS exit, uniqExactMerge(page_views) AS pages, max(has_cart) AS cart
                FROM ${database}.sessions GROUP BY site_id, session_id`,
        format: 'JSONEachRow',
      })
    ).json();
    expect(sessions).toEqual([{ session_id: 'sess1', entry: '/', exit: '/p/1', pages: 2, cart: 1 }]);
  });

  it('is idempotent: a second run applies nothing and keeps the data', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({ table: `${database}.sites`, format: 'JSONEachRow', values: [{ site_id: 's1', name: 'Shop', write_key: 'wk', allowed_origins: ['https://shop.example'], allowed_redirect_hosts: [] }] });
    expect(await migrate(client, { database })).toEqual({ applied: [] });
    const sites = await (await client.query({ query: `SELECT site_id, allowed_origins FROM ${database}.sites`, format: 'JSONEachRow' })).json();
    expect(sites).toEqual([{ site_id: 's1', allowed_origins: ['https://shop.example'] }]);
  });

  it('brings a view to a changed definition once, and the view then writes what the new definition says', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const sessionDays = PROJECTIONS.find((p) => p.view === 'session_days_mv')!;
    // A changed definition: every session day counts as a visit.
    const changed = PROJECTIONS.map((p) => (p === sessionDays ? { ...p, columns: p.columns.map(([c, e]) => [c, c === 'visit' ? 'toUInt8(1)' : e] as const) } : p));
    expect(await syncProjections(client, { database, projections: changed })).toEqual(['session_days_mv']);
    expect(await syncProjections(client, { database, projections: changed })).toEqual([]);
    const ts = '2026-11-01 10:00:00.000';
    await client.insert({
      table: `${database}.events`,
      format: 'JSONEachRow',
      values: [{ site_id: 's1', event_id: '00000000-0000-4000-8000-000000000001', type: 'email_open', ts, device_ts: ts, received_at: ts, anonymous_id: 'a1', session_id: 'x' }],
    });
    const days = await (await client.query({ query: `SELECT max(visit) AS visit FROM ${database}.session_days`, format: 'JSONEachRow' })).json();
    expect(days).toEqual([{ visit: 1 }]);
    // And back: migrate restores the current definition (an email open is no visit).
    expect(await migrate(client, { database })).toEqual({ applied: ['session_days_mv: current definition'] });
  });

  it('renders ON CLUSTER and Replicated engines for a cluster', () => {
    const statements = loadMigrations({ database: 'spoor', cluster: 'prod' }).flatMap((m) => m.statements);
    const tables = statements.filter((s) => s.startsWith('CREATE TABLE'));
    expect(tables.length).toBeGreaterThan(5);
    for (const s of tables) {
      expect(s).toContain('ON CLUSTER prod');
      expect(s).toMatch(/ENGINE = Replicated\w*MergeTree/);
    }
  });
});
