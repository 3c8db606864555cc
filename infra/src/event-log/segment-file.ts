import { closeSync, fchmodSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * One append-only segment of the file log. Record layout (little-endian):
 *   u32 bodyLength | u32 crc32(body) | body = f64 timestamp | u16 keyLength | key | value
 * keyLength 0xffff is a null key. A record with headers (added later; older records never have them) marks
 * keyLength 0xfffe and continues  u16 keyLength | u32 headersLength | key | headers (UTF-8 JSON object) | value,
 * so segments written before headers existed read as they always did. Keys are shorter than 0xfffe bytes.
 * A torn write at the tail (crash mid-append) fails its length or CRC and is cut off when the segment is reopened;
 * every record before it was fsynced before its append was acknowledged.
 */
export interface StoredRecord {
  key: string | null;
  value: Buffer;
  timestamp: number;
  headers?: Record<string, string>;
}

/**
 * What remains of a record an erasure removed (topic-log.ts `rewrite`): no key, no value, only this header, so every
 * later record keeps its offset and committed offsets stay right. Consumers skip it.
 */
export const ERASED_HEADER = 'x-spoor-erased';
export const isErasedRecord = (record: StoredRecord) => record.headers?.[ERASED_HEADER] === '1';

/** Segment files hold personal data (events, client addresses): readable by the owner only. */
export const SEGMENT_FILE_MODE = 0o600;

const HEADER = 8;
const BODY_PREFIX = 10;
const NULL_KEY = 0xffff;
const WITH_HEADERS = 0xfffe;
/** u16 keyLength | u32 headersLength after the marker of a record with headers. */
const HEADERS_PREFIX = 6;

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
    this.fd = openSync(path, 'a+', SEGMENT_FILE_MODE);
    // A segment created before files were private (or under a loose umask) becomes private on open.
    fchmodSync(this.fd, SEGMENT_FILE_MODE);
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

  /** Every record of the segment, in order. */
  readAll(): StoredRecord[] {
    return this.positions.length ? this.read(this.base, this.positions.length, Number.MAX_SAFE_INTEGER) : [];
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Writes `records` as a complete new segment file at `path` and fsyncs it (the caller renames it into place). */
  static write(path: string, records: StoredRecord[]): void {
    const fd = openSync(path, 'w', SEGMENT_FILE_MODE);
    try {
      const joined = Buffer.concat(records.map(encodeRecord));
      writeSync(fd, joined, 0, joined.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
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
  if (key.length >= WITH_HEADERS) throw new Error(`record key of ${key.length} bytes: keys must be shorter than ${WITH_HEADERS} bytes`);
  const keyLength = record.key === null ? NULL_KEY : key.length;
  const headers = record.headers && Object.keys(record.headers).length ? Buffer.from(JSON.stringify(record.headers), 'utf8') : undefined;
  const prefix = BODY_PREFIX + (headers ? HEADERS_PREFIX : 0);
  const body = Buffer.allocUnsafe(prefix + key.length + (headers?.length ?? 0) + record.value.length);
  body.writeDoubleLE(record.timestamp, 0);
  if (headers) {
    body.writeUInt16LE(WITH_HEADERS, 8);
    body.writeUInt16LE(keyLength, BODY_PREFIX);
    body.writeUInt32LE(headers.length, BODY_PREFIX + 2);
  } else body.writeUInt16LE(keyLength, 8);
  key.copy(body, prefix);
  headers?.copy(body, prefix + key.length);
  record.value.copy(body, prefix + key.length + (headers?.length ?? 0));
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(body.length, 0);
  header.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

function decodeBody(body: Buffer): StoredRecord {
  const timestamp = body.readDoubleLE(0);
  const marker = body.readUInt16LE(8);
  const withHeaders = marker === WITH_HEADERS;
  const keyLength = withHeaders ? body.readUInt16LE(BODY_PREFIX) : marker;
  const headersLength = withHeaders ? body.readUInt32LE(BODY_PREFIX + 2) : 0;
  const keyStart = BODY_PREFIX + (withHeaders ? HEADERS_PREFIX : 0);
  const hasKey = keyLength !== NULL_KEY;
  const keyEnd = keyStart + (hasKey ? keyLength : 0);
  const record: StoredRecord = {
    timestamp,
    key: hasKey ? body.subarray(keyStart, keyEnd).toString('utf8') : null,
    value: Buffer.from(body.subarray(keyEnd + headersLength)),
  };
  if (withHeaders) record.headers = JSON.parse(body.subarray(keyEnd, keyEnd + headersLength).toString('utf8')) as Record<string, string>;
  return record;
}
