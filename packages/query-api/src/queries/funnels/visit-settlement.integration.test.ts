import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryRunner } from '../../clickhouse/query-runner.js';
import { withVisitSettlement } from './visit-settlement.js';

// The fast path (visit columns alone) is taken only when the site had no unsettled visit before the query and none
// was marked while it ran; otherwise the answer comes from the run with the lookup.
describe('withVisitSettlement', () => {
  it('settled site: one run without the lookup; marks of another site do not count', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 20 });
    await client.insert({ table: `${database}.unsettled_visits`, format: 'JSONEachRow', values: [{ site_id: 'other', session_id: 'x' }] });
    const runs: boolean[] = [];
    expect(await withVisitSettlement(runner, 'shop', async (settled) => (runs.push(settled), settled ? 'fast' : 'lookup'))).toBe('fast');
    expect(runs).toEqual([true]);
  });

  it('a site with unsettled visits: one run with the lookup', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 20 });
    await client.insert({ table: `${database}.unsettled_visits`, format: 'JSONEachRow', values: [{ site_id: 'shop', session_id: 's1' }] });
    const runs: boolean[] = [];
    expect(await withVisitSettlement(runner, 'shop', async (settled) => (runs.push(settled), settled ? 'fast' : 'lookup'))).toBe('lookup');
    expect(runs).toEqual([false]);
  });

  it('a visit marked while the fast run ran (its events may be in it): run again with the lookup', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 20 });
    const runs: boolean[] = [];
    const answer = await withVisitSettlement(runner, 'shop', async (settled) => {
      runs.push(settled);
      if (settled) await client.insert({ table: `${database}.unsettled_visits`, format: 'JSONEachRow', values: [{ site_id: 'shop', session_id: 's1' }] });
      return settled ? 'fast' : 'lookup';
    });
    expect(answer).toBe('lookup');
    expect(runs).toEqual([true, false]);
  });
});
