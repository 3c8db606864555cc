import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * One append-only segment of the file log. Record layout (little-endian):
 *   u32 bodyLength | u32 crc32(body) | body = f64 timestamp | u16 keyLength | key | value
 * A torn write at the tail (crash mid-append) fails its length or CRC and is cut off when the segment is reopened;
 * every record before it was fsynced before its append was acknowledged.
 */
export interface StoredRecord {
  key: string | null;
  value: Buffer;
  timestamp: number;
}

const HEADER = 8;
const BODY_PREFIX = 10;

export class SegmentFile {
  /** File position of each record, by offset − base. */
  readonly positions: number[] = [];
  private size = 0;
  private readonly fd: number;

  constructor(
    readonly path: string,
    readonly base: number,
    recoverTail: boolean,
  ) {
    this.fd = openSync(path, 'a+');
    this.scan(recoverTail);
  }

  get end(): number {
    return this.base + this.positions.length;
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends and fsyncs; returns once the records are on disk. */
  append(records: StoredRecord[]): void {
    const buffers = records.map(encodeRecord);
    const joined = Buffer.concat(buffers);
    writeSync(this.fd, joined, 0, joined.length, this.size);
    fdatasyncSync(this.fd);
    let position = this.size;
    for (const b of buffers) {
      this.positions.push(position);
      position += b.length;
    }
    this.size = position;
  }

  /** Records from `offset` (absolute) while within the count and byte bounds (always at least one). */
  read(offset: number, maxRecords: number, maxBytes: number): StoredRecord[] {
    const first = offset - this.base;
    if (first < 0 || first >= this.positions.length) return [];
    const start = this.positions[first]!;
    let last = first;
    while (last + 1 < this.positions.length && last + 1 - first < maxRecords && this.positions[last + 1]! - start < maxBytes) last++;
    const stop = last + 1 < this.positions.length ? this.positions[last + 1]! : this.size;
    const buffer = Buffer.allocUnsafe(stop - start);
    readSync(this.fd, buffer, 0, buffer.length, start);
    const out: StoredRecord[] = [];
    let at = 0;
    while (at < buffer.length) {
      const length = buffer.readUInt32LE(at);
      out.push(decodeBody(buffer.subarray(at + HEADER, at + HEADER + length)));
      at += HEADER + length;
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }

  private scan(recoverTail: boolean): void {
    const total = fstatSync(this.fd).size;
    if (!total) return;
    const buffer = Buffer.allocUnsafe(total);
    readSync(this.fd, buffer, 0, total, 0);
    let at = 0;
    while (at + HEADER <= total) {
      const length = buffer.readUInt32LE(at);
      if (length < BODY_PREFIX || at + HEADER + length > total) break;
      const body = buffer.subarray(at + HEADER, at + HEADER + length);
      if (crc32(body) !== buffer.readUInt32LE(at + 4)) break;
      this.positions.push(at);
      at += HEADER + length;
    }
    if (at !== total) {
      if (!recoverTail) throw new Error(`corrupt record at byte ${at} of sealed segment ${this.path}`);
      ftruncateSync(this.fd, at);
    }
    this.size = at;
  }
}

function encodeRecord(record: StoredRecord): Buffer {
  const key = record.key === null ? Buffer.alloc(0) : Buffer.from(record.key, 'utf8');
  const body = Buffer.allocUnsafe(BODY_PREFIX + key.length + record.value.length);
  body.writeDoubleLE(record.timestamp, 0);
  body.writeUInt16LE(record.key === null ? 0xffff : key.length, 8);
  key.copy(body, BODY_PREFIX);
  record.value.copy(body, BODY_PREFIX + key.length);
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(body.length, 0);
  header.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

function decodeBody(body: Buffer): StoredRecord {
  const timestamp = body.readDoubleLE(0);
  const keyLength = body.readUInt16LE(8);
  const hasKey = keyLength !== 0xffff;
  const keyEnd = BODY_PREFIX + (hasKey ? keyLength : 0);
  return {
    timestamp,
    key: hasKey ? body.subarray(BODY_PREFIX, keyEnd).toString('utf8') : null,
    value: Buffer.from(body.subarray(keyEnd)),
  };
}
