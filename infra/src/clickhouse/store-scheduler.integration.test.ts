import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { clickhouseLane } from './clickhouse-lanes.js';
import { embeddedInsert } from './embedded-insert.js';

// Runs against embedded chDB (the harness default); against CLICKHOUSE_URL there is no scheduler to test.
const embedded = !process.env.CLICKHOUSE_URL;

describe.runIf(embedded)('embedded chDB behind the store scheduler', () => {
  it('a load submitted while four long analyst reads are queued runs after at most one of them', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.command({ query: `CREATE TABLE ${database}.loads (x UInt64) ENGINE = MergeTree ORDER BY x` });
    const analytics = clickhouseLane(client, 'analytics');
    const load = clickhouseLane(client, 'load');
    const rawInsert = embeddedInsert(load);
    expect(rawInsert).toBeDefined();

    const done: string[] = [];
    // Parameterised like every analyst query (chdb-node chains those through one FIFO of its own).
    const read = (i: number) =>
      analytics
        .query({ query: 'SELECT sleepEachRow({s:Float64}) FROM numbers(2)', query_params: { s: 0.25 }, format: 'JSONEachRow' })
        .then((r) => r.json())
        .then(() => done.push(`read${i}`));
    const reads = [1, 2, 3, 4].map(read);
    // The loader's statements: a parameterised existence check, then the raw insert.
    const write = (async () => {
      const existing = await load.query({
        query: `SELECT count() AS n FROM ${database}.loads WHERE x IN {keys:Array(UInt64)}`,
        query_params: { keys: [1, 2] },
        format: 'JSONEachRow',
      });
      expect(await existing.json()).toEqual([{ n: 0 }]);
      await rawInsert!({ table: `${database}.loads`, columns: ['x'], format: 'JSONCompactEachRow', values: Buffer.from('[1]\n[2]\n') });
      done.push('load');
    })();
    await Promise.all([...reads, write]);

    expect(done.indexOf('load')).toBeLessThanOrEqual(1);
    expect(done.filter((d) => d.startsWith('read'))).toEqual(['read1', 'read2', 'read3', 'read4']);
    const count = await (await client.query({ query: `SELECT count() AS n FROM ${database}.loads`, format: 'JSONEachRow' })).json();
    expect(count).toEqual([{ n: 2 }]);
  });

  it("an analyst query's memory limit (a session SET in chDB) never reaches the next load or lookup", async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.command({ query: `CREATE TABLE ${database}.wide (x UInt64, s String) ENGINE = MergeTree ORDER BY x` });
    const analytics = clickhouseLane(client, 'analytics');
    const tiny = analytics.query({
      query: 'SELECT uniqExact(number) AS u FROM numbers({n:UInt64})',
      query_params: { n: 5_000_000 },
      format: 'JSONEachRow',
      clickhouse_settings: { max_memory_usage: '10000000' },
    });
    await expect(tiny).rejects.toMatchObject({ code: '241' });

    const rows = Array.from({ length: 50_000 }, (_, i) => JSON.stringify([i, 'x'.repeat(200)])).join('\n');
    await embeddedInsert(clickhouseLane(client, 'load'))!({ table: `${database}.wide`, columns: ['x', 's'], format: 'JSONCompactEachRow', values: Buffer.from(rows) });
    const setting = await (await client.query({ query: "SELECT getSetting('max_memory_usage') AS m", format: 'JSONEachRow' })).json();
    expect(setting).toEqual([{ m: 0 }]);
    const big = await (
      await client.query({ query: `SELECT uniqExact(number) AS u FROM numbers({n:UInt64})`, query_params: { n: 5_000_000 }, format: 'JSONEachRow' })
    ).json();
    expect(big).toEqual([{ u: 5_000_000 }]);
  });
});
