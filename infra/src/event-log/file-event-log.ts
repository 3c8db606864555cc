import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchOutcome, ConsumerOptions, EventLog, EventLogConsumer, EventLogProducer, LogMessage, LoggedMessage, TopicSpec } from './event-log.js';
import { startFileLogRetention } from './file-log-retention.js';
import { isErasedRecord } from './segment-file.js';
import { LOG_DIR_MODE, TopicLog } from './topic-log.js';

export interface FileEventLogOptions {
  /** Directory of the log; one process at a time (a pid lock file guards it). */
  dir: string;
  /** Roll to a new segment file after this many bytes. */
  segmentBytes?: number;
  /** Most records handed to a consumer in one batch. */
  maxBatchRecords?: number;
  /** How long a consumer waits before retrying a batch it answered 'retry-later'. */
  retryDelayMs?: number;
  /** How often topics with a retention (TopicSpec.retentionMs) are swept (file-log-retention.ts). Default 1 minute. */
  retentionSweepMs?: number;
}

/**
 * The embedded default's log: the same EventLog port as Kafka, kept in fsynced segment files in-process.
 * `send` resolves only after the records are on disk, so a request answered 2xx survives a crash of the process,
 * and the processor consumes it through exactly the code path it uses with Kafka. One partition per topic.
 */
export function createFileEventLog(options: FileEventLogOptions): EventLog {
  // Private: the log holds events with personal data (ids, emails in traits, anonymised addresses).
  mkdirSync(options.dir, { recursive: true, mode: LOG_DIR_MODE });
  chmodSync(options.dir, LOG_DIR_MODE);
  const release = lockDirectory(options.dir);
  const topics = new Map<string, TopicLog>();
  const consumers = new Set<EventLogConsumer>();
  const retention = new Map<string, number>();
  const stopRetention = startFileLogRetention(() => [...topics].map(([name, log]) => [log, retention.get(name)]), options.retentionSweepMs ?? 60_000);
  const topic = (name: string) => {
    let log = topics.get(name);
    if (!log) {
      if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) throw new Error(`invalid topic name: ${JSON.stringify(name)}`);
      log = new TopicLog(join(options.dir, name), options.segmentBytes ?? 64 * 1024 * 1024);
      topics.set(name, log);
    }
    return log;
  };

  return {
    async producer(): Promise<EventLogProducer> {
      return {
        async send(name: string, messages: LogMessage[]) {
          if (!messages.length) return;
          const now = Date.now();
          topic(name).append(messages.map((m) => ({ key: m.key, value: Buffer.from(m.value), timestamp: now, ...(m.headers ? { headers: { ...m.headers } } : {}) })));
        },
        async close() {},
      };
    },

    async consumer(consumerOptions: ConsumerOptions): Promise<EventLogConsumer> {
      let running = false;
      let stopped: Promise<void> = Promise.resolve();
      const consumer: EventLogConsumer = {
        async run(handle) {
          running = true;
          stopped = (async () => {
            while (running) {
              let worked = false;
              for (const name of consumerOptions.topics) {
                if (!running) break;
                const log = topic(name);
                const from = log.committed(consumerOptions.groupId) ?? (consumerOptions.fromBeginning ? log.startOffset : log.endOffset);
                const { offset, records } = log.read(from, options.maxBatchRecords ?? 5000, consumerOptions.maxBytesPerPartition ?? 4 * 1024 * 1024);
                if (!records.length) continue;
                worked = true;
                // What an erasure removed is skipped: its offset is consumed, nothing is handed out.
                const messages: LoggedMessage[] = records.flatMap((r, i) =>
                  isErasedRecord(r) ? [] : [{ topic: name, partition: 0, offset: String(offset + i), key: r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}), timestamp: r.timestamp }],
                );
                if (!messages.length) {
                  log.commit(consumerOptions.groupId, offset + records.length);
                  continue;
                }
                const outcome: BatchOutcome = await handle({ topic: name, partition: 0, messages }, { heartbeat: async () => {}, isActive: () => running });
                if (outcome === 'commit') log.commit(consumerOptions.groupId, offset + records.length);
                else await sleep(options.retryDelayMs ?? 500);
              }
              if (!worked && running) {
                const first = topic(consumerOptions.topics[0]!);
                await first.waitFor(first.committed(consumerOptions.groupId) ?? first.endOffset, 200);
              }
            }
          })();
          consumers.add(consumer);
        },
        async stop() {
          running = false;
          await stopped;
          consumers.delete(consumer);
        },
        onFatal() {
          // In-process: nothing outside the process can take the consumer away.
        },
      };
      return consumer;
    },

    async ensureTopics(specs: TopicSpec[]) {
      for (const spec of specs) {
        topic(spec.name);
        if (spec.retentionMs !== undefined) retention.set(spec.name, spec.retentionMs);
      }
    },

    async rewrite(name, decide) {
      return topic(name).rewrite(decide);
    },

    async ping() {
      return true;
    },

    async close() {
      stopRetention();
      await Promise.all([...consumers].map((c) => c.stop()));
      for (const log of topics.values()) log.close();
      topics.clear();
      release();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Refuses a second process on the same directory (two writers would interleave appends). */
function lockDirectory(dir: string): () => void {
  const lock = join(dir, 'LOCK');
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid && pid !== process.pid && isRunning(pid)) throw new Error(`event log ${dir} is in use by process ${pid}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fd = openSync(lock, 'w', 0o600);
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return () => rmSync(lock, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
