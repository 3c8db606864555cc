import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../local/wait-until.js';
import { createFileEventLog } from './file-event-log.js';
import { expireTopic } from './file-log-retention.js';
import { TopicLog } from './topic-log.js';
import type { EventLog } from './event-log.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1);
const RETENTION = 168 * HOUR;
const dirs: string[] = [];
const logs: Array<TopicLog | EventLog> = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-retention-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A topic with 1-record segments (segmentBytes 1): one segment per append, so ages are per segment. */
function topic(ages: number[]): TopicLog {
  const log = new TopicLog(freshDir(), 1);
  logs.push(log);
  ages.forEach((age, i) => log.append([{ key: null, value: Buffer.from(`record-${i}`), timestamp: NOW - age }]));
  return log;
}
const values = (log: TopicLog) => log.read(log.startOffset, 1000, 1 << 30).records.map((r) => r.value.toString());
const allValues = (log: TopicLog) => {
  const out: string[] = [];
  for (let at = log.startOffset; at < log.endOffset; ) {
    const { records } = log.read(at, 1000, 1 << 30);
    out.push(...records.map((r) => r.value.toString()));
    at += records.length;
  }
  return out;
};

describe('file log retention', () => {
  it('a topic nobody consumes (the DLQ): whole segments past the retention go, newer ones and the active one stay', () => {
    const log = topic([200 * HOUR, 170 * HOUR, 100 * HOUR, 1 * HOUR]);
    expect(expireTopic(log, RETENTION, NOW)).toBe(2);
    expect(allValues(log)).toEqual(['record-2', 'record-3']);
    expect(readdirSync(log.dir).filter((f) => f.endsWith('.log'))).toHaveLength(2);
  });

  it('never deletes what a consumer group has not consumed; deletes it once consumed', () => {
    const log = topic([300 * HOUR, 250 * HOUR, 1 * HOUR]);
    log.commit('processor', 0);
    expect(expireTopic(log, RETENTION, NOW)).toBe(0);
    expect(values(log)[0]).toBe('record-0');
    // The processor catches up to the second record: the first segment goes with the commit, the second by age.
    log.commit('processor', 1);
    expect(expireTopic(log, RETENTION, NOW)).toBe(0);
    expect(allValues(log)).toEqual(['record-1', 'record-2']);
    log.commit('processor', 2);
    expect(allValues(log)).toEqual(['record-2']);
  });

  it('a quiet topic: the active segment rolls once its oldest record is an eighth of the retention old, and goes once past it', () => {
    const log = new TopicLog(freshDir(), 64 * 1024 * 1024);
    logs.push(log);
    log.append([{ key: 'k', value: Buffer.from('198.51.100.77 old'), timestamp: NOW - 200 * HOUR }]);
    expect(expireTopic(log, RETENTION, NOW)).toBe(1);
    expect(log.startOffset).toBe(1);
    expect(allValues(log)).toEqual([]);
    for (const file of readdirSync(log.dir)) expect(readFileSync(join(log.dir, file)).includes('198.51.100.77')).toBe(false);
  });

  it('any ages and consumer position: unconsumed records always stay; consumed ones go oldest first once past the retention', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 }), fc.option(fc.nat({ max: 15 }), { nil: undefined }), (agesHours, consumed) => {
        const log = topic(agesHours.map((h) => h * HOUR));
        const n = agesHours.length;
        // Past the retention means strictly older than it, as in Kafka (a record exactly `retention` old stays one more sweep).
        const old = (i: number) => agesHours[i]! * HOUR > RETENTION;
        let expected: number[];
        if (consumed === undefined) {
          // Nobody consumes: the longest prefix of records past the retention goes (segments go oldest first).
          let first = 0;
          while (first < n && old(first)) first++;
          expected = agesHours.map((_, i) => i).slice(first);
        } else {
          // A commit drops the consumed sealed segments; the active one (the last record) goes only by age.
          const cut = Math.min(consumed, n);
          log.commit('g', cut);
          expected = agesHours.map((_, i) => i).filter((i) => i >= cut || (i === n - 1 && !old(i)));
        }
        expireTopic(log, RETENTION, NOW);
        expect(allValues(log)).toEqual(expected.map((i) => `record-${i}`));
        logs.splice(logs.indexOf(log), 1);
        log.close();
      }),
      // The boundary (a record exactly the retention old, consumed or not) every run, not one run in fifty.
      { numRuns: 100, examples: [[[168], undefined], [[168, 168, 0], 2], [[169, 168], undefined]] },
    );
  });

  it('through the EventLog port: a topic ensured with a retention is swept on its own', async () => {
    const dir = freshDir();
    const log = createFileEventLog({ dir, retentionSweepMs: 20 });
    logs.push(log);
    await log.ensureTopics([{ name: 'spoor.dlq', partitions: 1, retentionMs: 300 }, { name: 'kept', partitions: 1 }]);
    const producer = await log.producer();
    await producer.send('spoor.dlq', [{ key: 'a', value: Buffer.from('client 198.51.100.77') }]);
    await producer.send('kept', [{ key: 'a', value: Buffer.from('no retention set') }]);
    const holds = (name: string, text: string) => readdirSync(join(dir, name)).some((f) => f.endsWith('.log') && readFileSync(join(dir, name, f)).includes(text));
    expect(holds('spoor.dlq', '198.51.100.77')).toBe(true);
    await waitUntil('the DLQ segment to be deleted', async () => !holds('spoor.dlq', '198.51.100.77'), 10_000, 25);
    expect(holds('kept', 'no retention set')).toBe(true);
  });
});
