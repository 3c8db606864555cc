import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../local/wait-until.js';
import type { KeyValue } from './key-value.js';

export interface KeyValueContractTarget {
  /** A store no other test sees (its own key prefix on a shared Redis); the suite closes it after each test. */
  open(): Promise<KeyValue>;
}

/**
 * What every KeyValue adapter promises (key-value.ts), run against each of them (memory-key-value.test.ts,
 * redis-key-value.integration.test.ts) so the in-process default and Redis cannot drift apart. `skip` names why a run
 * cannot happen (no Redis configured): the suite is then reported as skipped with that reason, never passed.
 */
export function describeKeyValueContract(adapter: string, target: KeyValueContractTarget | { skip: string }): void {
  const title = 'skip' in target ? `KeyValue contract: ${adapter} (skipped: ${target.skip})` : `KeyValue contract: ${adapter}`;
  describe.skipIf('skip' in target)(title, () => {
    const opened: KeyValue[] = [];
    const open = async () => {
      const kv = await (target as KeyValueContractTarget).open();
      opened.push(kv);
      return kv;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((kv) => kv.close()));
    });

    it('reads back what was set, null for a key never set, the last value after an overwrite', async () => {
      const kv = await open();
      expect(await kv.ping()).toBe(true);
      expect(await kv.get('absent')).toBeNull();
      await kv.set('k', 'first', 60_000);
      await kv.set('k', 'second ünïcode', 60_000);
      expect(await kv.get('k')).toBe('second ünïcode');
    });

    it('sets many keys only where absent, answering per key in order, and exists answers per key', async () => {
      const kv = await open();
      expect(await kv.setManyIfAbsent(['a', 'b'], '1', 60_000)).toEqual([true, true]);
      expect(await kv.setManyIfAbsent(['b', 'c'], '2', 60_000)).toEqual([false, true]);
      expect(await kv.get('b')).toBe('1');
      expect(await kv.existsMany(['a', 'b', 'c', 'd'])).toEqual([true, true, true, false]);
      expect(await kv.setManyIfAbsent([], '1', 60_000)).toEqual([]);
      expect(await kv.existsMany([])).toEqual([]);
    });

    it('deletes the given keys and leaves the others', async () => {
      const kv = await open();
      await kv.setManyIfAbsent(['a', 'b', 'c'], '1', 60_000);
      await kv.delete(['a', 'c', 'never-set']);
      expect(await kv.existsMany(['a', 'b', 'c'])).toEqual([false, true, false]);
      expect(await kv.setManyIfAbsent(['a'], '1', 60_000)).toEqual([true]);
    });

    it('increments from zero and returns each new value, with no increment lost under concurrency', async () => {
      const kv = await open();
      expect(await kv.increment('n', 3, 60_000)).toBe(3);
      expect(await kv.increment('n', 4, 60_000)).toBe(7);
      const results = await Promise.all(Array.from({ length: 50 }, () => kv.increment('counter', 2, 60_000)));
      expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * (i + 1)));
    });

    it('forgets a key once its ttl has passed (set, set-if-absent, increment)', async () => {
      const kv = await open();
      await kv.set('short', 'v', 100);
      await kv.setManyIfAbsent(['short-many'], 'v', 100);
      await kv.increment('short-count', 1, 100);
      // Waits for the condition, asserts no timing: whenever the keys are gone, they are gone together with their ttl.
      await waitUntil('keys past their ttl to expire', async () => (await kv.existsMany(['short', 'short-many', 'short-count'])).every((e) => !e), 10_000, 25);
      expect(await kv.get('short')).toBeNull();
      expect(await kv.increment('short-count', 1, 60_000)).toBe(1);
    });
  });
}
