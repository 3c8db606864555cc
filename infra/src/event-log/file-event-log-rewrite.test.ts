import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileEventLog } from './file-event-log.js';
import type { EventLog, LoggedMessage } from './event-log.js';

const dirs: string[] = [];
const logs: EventLog[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-filelog-rewrite-'));
  dirs.push(dir);
  return dir;
};
const open = (dir: string, segmentBytes = 64 * 1024 * 1024) => {
  const log = createFileEventLog({ dir, retryDelayMs: 10, segmentBytes });
  logs.push(log);
  return log;
};
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Everything a new group reads from the beginning, until the log is quiet. */
async function readAll(log: EventLog, group: string): Promise<LoggedMessage[]> {
  const got: LoggedMessage[] = [];
  const consumer = await log.consumer({ groupId: group, topics: ['t'], fromBeginning: true });
  let last = Date.now();
  void consumer.run(async (batch) => {
    got.push(...batch.messages);
    last = Date.now();
    return 'commit';
  });
  while (Date.now() - last < 300) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
  return got;
}

const segmentBytes = (dir: string) => readdirSync(join(dir, 't')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, 't', f)));

describe('file event log rewrite (erasure)', () => {
  it('removes and replaces records in every segment, keeps every other offset, and leaves no trace of the removed bytes', async () => {
    const dir = freshDir();
    // Small segments: the records spread over several files, sealed ones and the active one.
    const log = open(dir, 200);
    const producer = await log.producer();
    for (let i = 0; i < 30; i++) await producer.send('t', [{ key: i % 3 === 0 ? 'erase-me' : `k${i}`, value: Buffer.from(i % 3 === 0 ? `secret-${i}` : `value-${i}`) }]);
    expect(readdirSync(join(dir, 't')).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(3);

    const result = await log.rewrite!('t', (r) => (r.key === 'erase-me' ? 'remove' : r.value.toString() === 'value-4' ? { value: Buffer.from('value-4-rewritten') } : 'keep'));
    expect(result).toEqual({ removed: 10, replaced: 1 });
    for (const bytes of segmentBytes(dir)) {
      expect(bytes.includes(Buffer.from('secret-'))).toBe(false);
      expect(bytes.includes(Buffer.from('erase-me'))).toBe(false);
    }
    expect(readdirSync(join(dir, 't')).filter((f) => f.endsWith('.rewrite'))).toEqual([]);

    // Appends continue on the rewritten active segment; a new reader sees the survivors at their old offsets.
    await producer.send('t', [{ key: 'k30', value: Buffer.from('value-30') }]);
    const after = await readAll(log, 'late');
    expect(after.map((m) => [m.offset, m.value.toString()])).toEqual(
      Array.from({ length: 31 }, (_, i) => i)
        .filter((i) => i % 3 !== 0 || i === 30)
        .map((i) => [String(i), i === 4 ? 'value-4-rewritten' : `value-${i}`]),
    );
    // A group that had read everything resumes after its committed offset: only what came later.
    await producer.send('t', [{ key: 'k31', value: Buffer.from('value-31') }]);
    expect((await readAll(log, 'late')).map((m) => m.value.toString())).toEqual(['value-31']);

    // And after a restart the rewritten segments read as they were left.
    await log.close();
    logs.length = 0;
    // (segments every group had consumed were deleted meanwhile, as always: what is left is a tail of the same offsets)
    const all = [...after.map((m) => m.offset), '31'];
    const reread = (await readAll(open(dir, 200), 'after-restart')).map((m) => m.offset);
    expect(reread.length).toBeGreaterThan(0);
    expect(reread).toEqual(all.slice(all.length - reread.length));
  });

  it('keeps the log private: directories 0700, segments and offsets 0600', async () => {
    const dir = freshDir();
    const log = open(dir);
    await (await log.producer()).send('t', [{ key: 'k', value: Buffer.from('v') }]);
    await readAll(log, 'g');
    await log.rewrite!('t', () => 'remove');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 't')).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(join(dir, 't'))) expect([f, statSync(join(dir, 't', f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('whatever is removed, every kept record stays readable at its offset (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ erase: fc.boolean(), size: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 40 }), async (records) => {
        const dir = freshDir();
        const log = open(dir, 512);
        const producer = await log.producer();
        for (const [i, r] of records.entries()) await producer.send('t', [{ key: r.erase ? 'x' : `k${i}`, value: Buffer.from(`${i}:${'v'.repeat(r.size)}`) }]);
        await log.rewrite!('t', (rec) => (rec.key === 'x' ? 'remove' : 'keep'));
        const got = await readAll(log, 'g');
        expect(got.map((m) => m.offset)).toEqual(records.flatMap((r, i) => (r.erase ? [] : [String(i)])));
        await log.close();
        logs.length = 0;
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 15 },
    );
  });
});
