import { describe, expect, it } from 'vitest';
import type { QueryRunner } from '../clickhouse/query-runner.js';
import { createClickHouseApiKeyStore, hashApiKey } from './api-key-store.js';

/** A runner that answers one key and counts the lookups; each lookup finishes when the test says so. */
function countingRunner() {
  const calls: unknown[] = [];
  const gates: Array<() => void> = [];
  const runner: QueryRunner = {
    async rows<T>(_sql: string, params: Record<string, unknown>) {
      calls.push(params.hash);
      await new Promise<void>((resolve) => gates.push(resolve));
      return (params.hash === hashApiKey('sk_real') ? [{ key_id: 'k1', site_ids: ['shop'] }] : []) as T[];
    },
  };
  return { runner, calls, openAll: () => gates.splice(0).forEach((g) => g()) };
}

describe('ClickHouse API key store', () => {
  it('twenty concurrent lookups of one key cost one query, and their answers are the same; a failure is not cached', async () => {
    const { runner, calls, openAll } = countingRunner();
    const store = createClickHouseApiKeyStore(runner);
    const answers = Array.from({ length: 20 }, () => store.findByHash(hashApiKey('sk_real')));
    const unknown = Array.from({ length: 5 }, () => store.findByHash(hashApiKey('sk_guess')));
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(2);
    openAll();
    for (const a of await Promise.all(answers)) expect(a).toEqual({ keyId: 'k1', siteIds: ['shop'] });
    for (const a of await Promise.all(unknown)) expect(a).toBeUndefined();
    expect(await store.findByHash(hashApiKey('sk_real'))).toEqual({ keyId: 'k1', siteIds: ['shop'] });
    expect(calls).toHaveLength(2); // cached now

    const failing = createClickHouseApiKeyStore({ rows: async () => Promise.reject(new Error('store down')) });
    await expect(Promise.all([failing.findByHash('a'), failing.findByHash('a')])).rejects.toThrow('store down');
    await expect(failing.findByHash('a')).rejects.toThrow('store down'); // tried again, not a cached failure
  });
});
