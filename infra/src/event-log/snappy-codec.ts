import { compressSync, uncompressSync } from 'snappy';

/**
 * Kafka's snappy compression with the native `snappy` package (napi-rs; prebuilt binaries from npm), registered
 * for kafkajs by kafka-event-log.ts. Compared with kafkajs's built-in gzip it costs several times less CPU per
 * produced byte (bench/performance-notes.md of the collector), which is most of what the collector spends on
 * compression. Producing writes a raw snappy block, as librdkafka does; reading accepts that and the
 * xerial-framed stream the Java client writes, so records of every Kafka client decompress.
 */
export const snappyCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return compressSync(encoder.buffer);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return snappyDecompress(buffer);
  },
};

/** 0x82 'SNAPPY' 0x00: the xerial snappy-java stream header, followed by a version and a compatible version (int32 each). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

export function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return uncompressSync(buffer, { asBuffer: true }) as Buffer;
  }
  // xerial framing: after the header, blocks of [int32 big-endian compressed length][raw snappy block].
  const blocks: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new Error('snappy: truncated xerial block length');
    const length = buffer.readUInt32BE(at);
    at += 4;
    if (at + length > buffer.length) throw new Error('snappy: truncated xerial block');
    blocks.push(uncompressSync(buffer.subarray(at, at + length), { asBuffer: true }) as Buffer);
    at += length;
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks);
}
