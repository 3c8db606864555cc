import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newKafkaClusterId } from './kafka-cluster-id.js';

describe('newKafkaClusterId', () => {
  it('never starts with "-" and is 22 base64url characters of a version-4 UUID, whatever the random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 4 }), (draws) => {
        // 0xf8–0xfb as the first byte encodes to a leading "-": the first draw always does, to prove it is drawn again.
        const queue = [Buffer.from([0xfb, ...new Array<number>(15).fill(0)]), ...draws.map((d) => Buffer.from(d))];
        const id = newKafkaClusterId((size) => queue.shift() ?? randomBytes(size));
        expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
        const bytes = Buffer.from(id, 'base64url');
        expect(bytes[6]! >> 4).toBe(4);
        expect(bytes[8]! >> 6).toBe(2);
      }),
    );
  });

  it('draws 20 000 ids from the real random source: none starts with "-", all distinct (a plain draw started with "-" about 300 times)', () => {
    const ids = Array.from({ length: 20_000 }, () => newKafkaClusterId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Buffer.from(id, 'base64url').toString('base64url')).toBe(id);
  });
});
