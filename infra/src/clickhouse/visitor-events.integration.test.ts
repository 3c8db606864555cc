import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { loadMigrations } from './migrate.js';

// visitor_events (0260_visitor_events.sql): the visitor-ordered copy of events that funnels read.
const row = (n: number, type: string, ts: string, anonymous_id = 'a1') => ({
  site_id: 's1', event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type, ts, device_ts: ts, received_at: ts,
  anonymous_id, session_id: `${anonymous_id}-s`, customer_id: '', path: '/p', url: 'https://x/p', channel: 'email',
});

describe('visitor_events', () => {
  it('is filled from events by its view, without heartbeats, sorted by visitor and time', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({
      table: `${database}.events`,
      format: 'JSONEachRow',
      values: [row(1, 'page_view', '2026-11-01 10:00:00', 'b'), row(2, 'page_ping', '2026-11-01 10:00:05'), row(3, 'add_to_cart', '2026-11-01 10:01:00'), row(4, 'page_view', '2026-11-01 09:00:00')],
    });
    const rows = await (await client.query({ query: `SELECT anonymous_id, type, toString(ts) AS ts, channel FROM ${database}.visitor_events`, format: 'JSONEachRow' })).json();
    expect(rows).toEqual([
      { anonymous_id: 'a1', type: 'page_view', ts: '2026-11-01 09:00:00.000', channel: 'email' },
      { anonymous_id: 'a1', type: 'add_to_cart', ts: '2026-11-01 10:01:00.000', channel: 'email' },
      { anonymous_id: 'b', type: 'page_view', ts: '2026-11-01 10:00:00.000', channel: 'email' },
    ]);
  });

  it('a retried processor insert (same deduplication token) adds nothing, as in events', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const batch = [row(1, 'page_view', '2026-11-01 10:00:00'), row(2, 'add_to_cart', '2026-11-01 10:01:00')];
    // The settings the processor sends (packages/processor/src/load/clickhouse-event-store.ts).
    const insert = (token: string) =>
      client.insert({
        table: `${database}.events SETTINGS insert_deduplicate = 1, insert_deduplication_token = '${token}', optimize_on_insert = 0`,
        format: 'JSONEachRow',
        values: batch,
      });
    await insert('events:retry-1');
    await insert('events:retry-1');
    const count = async (table: string) => Number((await (await client.query({ query: `SELECT count() AS n FROM ${database}.${table}`, format: 'JSONEachRow' })).json<{ n: number }>())[0]!.n);
    expect([await count('events'), await count('visitor_events')]).toEqual([2, 2]);
    // A different batch with a new token is stored.
    batch.splice(0, 2, row(3, 'purchase', '2026-11-01 10:02:00'));
    await insert('events:retry-2');
    expect([await count('events'), await count('visitor_events')]).toEqual([3, 3]);
  });

  it('the backfill copies what events held before the view, and re-running it copies nothing twice', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({ table: `${database}.events`, format: 'JSONEachRow', values: [row(1, 'page_view', '2026-11-01 10:00:00'), row(2, 'purchase', '2026-11-01 10:05:00')] });
    // As if event 2 had been stored before the view existed.
    await client.command({ query: `ALTER TABLE ${database}.visitor_events DELETE WHERE event_id = '${row(2, '', '').event_id}'`, clickhouse_settings: { mutations_sync: '2' } });
    const backfill = loadMigrations({ database }).find((m) => m.name === '0260_visitor_events')!.statements.find((s) => s.startsWith('INSERT'))!;
    await client.command({ query: backfill });
    await client.command({ query: backfill });
    const rows = await (await client.query({ query: `SELECT type FROM ${database}.visitor_events ORDER BY ts`, format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ type: 'page_view' }, { type: 'purchase' }]);
  });
});
