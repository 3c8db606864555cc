import { describe, expect, it } from 'vitest';
import { compressSync } from 'snappy';
import { snappyCodec, snappyDecompress } from './snappy-codec.js';

const text = Buffer.from('spoor '.repeat(5000) + 'Grüße 🛒');

describe('snappy codec for Kafka', () => {
  it('round-trips through compress and decompress', async () => {
    const compressed = await snappyCodec.compress({ buffer: text });
    expect(compressed.length).toBeLessThan(text.length / 5);
    expect((await snappyCodec.decompress(compressed)).equals(text)).toBe(true);
  });

  it('reads the xerial-framed stream the Java client writes (several blocks)', () => {
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const block = (part: Buffer) => {
      const compressed = compressSync(part);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(compressed.length);
      return Buffer.concat([length, compressed]);
    };
    const framed = Buffer.concat([header, block(text.subarray(0, 10_000)), block(text.subarray(10_000))]);
    expect(snappyDecompress(framed).equals(text)).toBe(true);
    expect(() => snappyDecompress(framed.subarray(0, framed.length - 3))).toThrow(/truncated xerial block/);
  });
});
