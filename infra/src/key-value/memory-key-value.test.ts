import { describe, expect, it } from 'vitest';
import { describeKeyValueContract } from './key-value-contract.js';
import { createMemoryKeyValue } from './memory-key-value.js';

describeKeyValueContract('in-process memory', { open: async () => createMemoryKeyValue({ maxEntries: 10_000 }) });

describe('memory key-value', () => {
  it('drops the oldest keys beyond its bound', async () => {
    const kv = createMemoryKeyValue({ maxEntries: 2 });
    await kv.set('1', 'x', 60_000);
    await kv.set('2', 'x', 60_000);
    await kv.set('3', 'x', 60_000);
    expect(await kv.existsMany(['1', '2', '3'])).toEqual([false, true, true]);
  });
});
