import { EventEmitter } from 'node:events';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERASED_HEADER, isErasedRecord, SEGMENT_FILE_MODE, SegmentFile, type StoredRecord } from './segment-file.js';

/** What a rewrite does with one record: keep it, remove it (its offset stays, as an empty erased marker), or replace its value. */
export type RecordRewrite = 'keep' | 'remove' | { value: Buffer };

/** Directories of the log hold personal data: the owner only. */
export const LOG_DIR_MODE = 0o700;

const SEGMENT_NAME = /^(\d{20})\.log$/;

/**
 * One topic of the file log: a single partition made of segment files, plus each consumer group's committed
 * offset. Old segments are deleted once every group that ever committed has moved past them.
 */
export class TopicLog {
  private readonly segments: SegmentFile[] = [];
  private readonly appended = new EventEmitter();

  constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: LOG_DIR_MODE });
    chmodSync(dir, LOG_DIR_MODE);
    this.appended.setMaxListeners(0);
    const names = readdirSync(dir).filter((f) => SEGMENT_NAME.test(f)).sort();
    names.forEach((name, i) => {
      this.segments.push(new SegmentFile(join(dir, name), Number(SEGMENT_NAME.exec(name)![1]), i === names.length - 1));
    });
    if (!this.segments.length) this.roll(0);
  }

  get startOffset(): number {
    return this.segments[0]!.base;
  }

  get endOffset(): number {
    return this.active.end;
  }

  private get active(): SegmentFile {
    return this.segments[this.segments.length - 1]!;
  }

  append(records: StoredRecord[]): void {
    if (this.active.bytes >= this.segmentBytes) this.roll(this.active.end);
    this.active.append(records);
    this.appended.emit('data');
  }

  read(offset: number, maxRecords: number, maxBytes: number): { offset: number; records: StoredRecord[] } {
    const from = Math.max(offset, this.startOffset);
    const segment = this.segments.find((s) => from >= s.base && from < s.end);
    return { offset: from, records: segment ? segment.read(from, maxRecords, maxBytes) : [] };
  }

  /** Resolves when a record at or beyond `offset` exists, or after `timeoutMs`. */
  waitFor(offset: number, timeoutMs: number): Promise<void> {
    if (this.endOffset > offset) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off('data', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.appended.on('data', done);
    });
  }

  committed(group: string): number | undefined {
    try {
      return (JSON.parse(readFileSync(this.offsetFile(group), 'utf8')) as { offset: number }).offset;
    } catch {
      return undefined;
    }
  }

  /** Writes the group's next offset atomically (tmp file, fsync, rename), then drops fully consumed segments. */
  commit(group: string, nextOffset: number): void {
    const file = this.offsetFile(group);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ offset: nextOffset }), { mode: SEGMENT_FILE_MODE });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    this.dropConsumedSegments();
  }

  /**
   * Rewrites every segment in which `decide` changes a record (an erasure): the new segment is written beside the old
   * one, fsynced, renamed over it and the directory fsynced, so a crash leaves either the old or the new file, never a
   * mix. A removed record becomes an erased marker (no key, no value) so offsets, and the groups' committed offsets,
   * stay valid. Synchronous: no append or read of this topic interleaves with it.
   */
  rewrite(decide: (record: StoredRecord) => RecordRewrite): { removed: number; replaced: number } {
    let removed = 0;
    let replaced = 0;
    this.segments.forEach((segment, i) => {
      let changed = false;
      const records = segment.readAll().map((record) => {
        if (isErasedRecord(record)) return record;
        const decision = decide(record);
        if (decision === 'keep') return record;
        changed = true;
        if (decision === 'remove') {
          removed++;
          return { key: null, value: Buffer.alloc(0), timestamp: record.timestamp, headers: { [ERASED_HEADER]: '1' } };
        }
        replaced++;
        return { ...record, value: decision.value };
      });
      if (!changed) return;
      const tmp = `${segment.path}.rewrite`;
      SegmentFile.write(tmp, records);
      segment.close();
      renameSync(tmp, segment.path);
      fsyncDirectory(this.dir);
      this.segments[i] = new SegmentFile(segment.path, segment.base, i === this.segments.length - 1);
    });
    return { removed, replaced };
  }

  close(): void {
    for (const s of this.segments) s.close();
  }

  /** The segments, oldest first; the last is the active one (file-log-retention.ts). */
  get segmentList(): readonly SegmentFile[] {
    return this.segments;
  }

  /** Seals the active segment if it holds records, so retention can later delete it whole. */
  rollActive(): void {
    if (this.active.end > this.active.base) this.roll(this.active.end);
  }

  /** Deletes the oldest segment, never the active one. */
  dropOldest(): void {
    if (this.segments.length < 2) return;
    const old = this.segments.shift()!;
    old.close();
    rmSync(old.path, { force: true });
  }

  /** The lowest offset some group that ever committed has not consumed (none committed: everything counts as consumed). */
  consumedEnd(): number {
    const groups = readdirSync(this.dir).filter((f) => f.startsWith('group-') && f.endsWith('.offset'));
    return Math.min(...groups.map((f) => this.committed(decodeURIComponent(f.slice(6, -7))) ?? 0));
  }

  private roll(base: number): void {
    this.segments.push(new SegmentFile(join(this.dir, `${String(base).padStart(20, '0')}.log`), base, true));
  }

  private offsetFile(group: string): string {
    return join(this.dir, `group-${encodeURIComponent(group)}.offset`);
  }

  private dropConsumedSegments(): void {
    const slowest = this.consumedEnd();
    while (this.segments.length > 1 && this.segments[0]!.end <= slowest) this.dropOldest();
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
