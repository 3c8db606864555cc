import { describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from './memory-key-value.js';

describe('memory key-value', () => {
  it('behaves like the Redis adapter for set-if-absent, exists and increment', async () => {
    const kv = createMemoryKeyValue();
    expect(await kv.setManyIfAbsent(['a', 'b'], '1', 60_000)).toEqual([true, true]);
    expect(await kv.setManyIfAbsent(['b', 'c'], '1', 60_000)).toEqual([false, true]);
    expect(await kv.existsMany(['a', 'd'])).toEqual([true, false]);
    expect(await kv.increment('n', 3, 60_000)).toBe(3);
    expect(await kv.increment('n', 4, 60_000)).toBe(7);
    await kv.delete(['a']);
    expect(await kv.get('a')).toBeNull();
  });

  it('drops the oldest keys beyond its bound', async () => {
    const kv = createMemoryKeyValue({ maxEntries: 2 });
    await kv.set('1', 'x', 60_000);
    await kv.set('2', 'x', 60_000);
    await kv.set('3', 'x', 60_000);
    expect(await kv.existsMany(['1', '2', '3'])).toEqual([false, true, true]);
  });
});
