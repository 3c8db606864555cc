import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEventLogContract } from './event-log-contract.js';
import { createFileEventLog } from './file-event-log.js';
import type { EventLog, LoggedMessage } from './event-log.js';

const dirs: string[] = [];
const logs: EventLog[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-filelog-'));
  dirs.push(dir);
  return dir;
};
const open = (dir: string, extra: Partial<Parameters<typeof createFileEventLog>[0]> = {}) => {
  const log = createFileEventLog({ dir, retryDelayMs: 10, ...extra });
  logs.push(log);
  return log;
};
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const message = (i: number) => ({ key: `k${i % 3}`, value: Buffer.from(`value-${i}`) });

/** Consumes until `count` messages arrived, answering each batch with `answer`. */
async function consume(log: EventLog, group: string, count: number, answer: (batch: LoggedMessage[]) => 'commit' | 'retry-later' = () => 'commit') {
  const got: LoggedMessage[] = [];
  const consumer = await log.consumer({ groupId: group, topics: ['t'], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run(async (batch) => {
      const outcome = answer(batch.messages);
      if (outcome === 'commit') got.push(...batch.messages);
      if (got.length >= count) resolve();
      return outcome;
    });
  });
  await consumer.stop();
  return got;
}

describeEventLogContract('file log (embedded default)', {
  open: () => open(freshDir()),
  uniqueName: (label) => `${label}-${randomBytes(3).toString('hex')}`,
});

describe('file event log (embedded default)', () => {
  it('keeps records and committed offsets across reopening the directory', async () => {
    const dir = freshDir();
    const first = open(dir);
    await (await first.producer()).send('t', [0, 1, 2].map(message));
    expect((await consume(first, 'g', 3)).map((m) => m.offset)).toEqual(['0', '1', '2']);
    await first.close();
    logs.length = 0;
    const reopened = open(dir);
    await (await reopened.producer()).send('t', [3].map(message));
    expect((await consume(reopened, 'g', 1)).map((m) => [m.offset, m.value.toString()])).toEqual([['3', 'value-3']]);
  });

  it('reads segments written before records had headers', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 't'));
    // The layout every earlier version wrote: u32 length | u32 crc32 | f64 timestamp | u16 keyLength | key | value.
    const oldRecord = (key: string | null, value: string) => {
      const k = Buffer.from(key ?? '');
      const body = Buffer.concat([Buffer.alloc(10), k, Buffer.from(value)]);
      body.writeDoubleLE(1_700_000_000_000, 0);
      body.writeUInt16LE(key === null ? 0xffff : k.length, 8);
      const header = Buffer.alloc(8);
      header.writeUInt32LE(body.length, 0);
      header.writeUInt32LE(crc32(body), 4);
      return Buffer.concat([header, body]);
    };
    writeFileSync(join(dir, 't', `${'0'.repeat(20)}.log`), Buffer.concat([oldRecord('k', 'old-1'), oldRecord(null, 'old-2')]));
    const log = open(dir);
    await (await log.producer()).send('t', [{ key: 'n', value: Buffer.from('new'), headers: { h: 'v' } }]);
    const got = await consume(log, 'g', 3);
    expect(got.map((m) => [m.offset, m.key, m.value.toString(), m.headers, m.timestamp > 0])).toEqual([
      ['0', 'k', 'old-1', undefined, true],
      ['1', null, 'old-2', undefined, true],
      ['2', 'n', 'new', { h: 'v' }, true],
    ]);
  });

  it('cuts off a torn write at the tail and keeps every record before it', async () => {
    const dir = freshDir();
    const log = open(dir);
    await (await log.producer()).send('t', [0, 1, 2].map(message));
    await log.close();
    logs.length = 0;
    const segment = join(dir, 't', readdirSync(join(dir, 't')).find((f) => f.endsWith('.log'))!);
    appendFileSync(segment, Buffer.from([40, 0, 0, 0, 1, 2, 3]));

    const reopened = open(dir);
    await (await reopened.producer()).send('t', [3].map(message));
    const got = await consume(reopened, 'g', 4);
    expect(got.map((m) => m.value.toString())).toEqual(['value-0', 'value-1', 'value-2', 'value-3']);
  });

  it('rolls segments and deletes the ones every group has consumed', async () => {
    const dir = freshDir();
    const log = open(dir, { segmentBytes: 200, maxBatchRecords: 4 });
    const producer = await log.producer();
    for (let i = 0; i < 20; i++) await producer.send('t', [message(i)]);
    const segmentsBefore = readdirSync(join(dir, 't')).filter((f) => f.endsWith('.log')).length;
    const got = await consume(log, 'g', 20);
    expect(got.map((m) => Number(m.offset))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const segmentsAfter = readdirSync(join(dir, 't')).filter((f) => f.endsWith('.log')).length;
    expect(segmentsBefore).toBeGreaterThan(2);
    expect(segmentsAfter).toBe(1);
  });

  it('refuses a directory that another live process holds', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'LOCK'), String(process.ppid));
    expect(() => createFileEventLog({ dir })).toThrow(`event log ${dir} is in use by process ${process.ppid}`);
  });

  it('loses no acknowledged message when the process is SIGKILLed mid-stream', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(dirname(fileURLToPath(import.meta.url)), 'file-event-log.kill-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: number[] = [];
    let buffered = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.startsWith('acked ')) acked.push(Number(line.slice(6)));
        if (acked.length >= 40) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    rmSync(join(dir, 'LOCK'), { force: true });

    const log = open(dir);
    const consumer = await log.consumer({ groupId: 'check', topics: ['t'], fromBeginning: true });
    const stored = new Set<string>();
    const endBatches = new Promise<void>((resolve) => {
      void consumer.run(async (batch) => {
        for (const m of batch.messages) stored.add(m.value.toString());
        if (batch.messages.length < 5000) resolve();
        return 'commit';
      });
    });
    await endBatches;
    await consumer.stop();
    // Every batch the child saw acknowledged (each of 25 messages) is on disk after the kill.
    for (const batch of acked) for (let i = 0; i < 25; i++) expect(stored.has(`b${batch}-m${i}`)).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(40);
  });
});
