import kafkajs, { Kafka, logLevel, CompressionTypes, type Admin, type ConfigSource, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { snappyCodec } from './snappy-codec.js';
import type { BatchOutcome, ConsumedBatch, ConsumerOptions, EventLog, EventLogConsumer, EventLogProducer, LogMessage, TopicSpec } from './event-log.js';

export interface KafkaEventLogOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs ships gzip; snappy is registered here with a native codec (snappy-codec.ts) and is much cheaper in CPU. */
  compression?: 'none' | 'gzip' | 'snappy';
  /** Milliseconds a request may wait for a broker before failing. */
  requestTimeoutMs?: number;
  /** How long connecting to a broker may take before giving up. */
  connectionTimeoutMs?: number;
  /** Retries of a failing request inside kafkajs before the call fails. */
  retries?: number;
  logLevel?: 'nothing' | 'error' | 'warn' | 'info';
}

// kafkajs keeps codecs in one process-wide table: registering on import lets every consumer read snappy
// records, whichever client wrote them, and lets producers choose it.
// (Through the default export: Node's ESM loader does not detect CompressionCodecs as a named export of kafkajs.)
kafkajs.CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;

const COMPRESSION = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy } as const;

const LOG_LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO } as const;

export function createKafkaEventLog(options: KafkaEventLogOptions): EventLog {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    retry: { retries: options.retries ?? 5, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  const compression = COMPRESSION[options.compression ?? 'none'];
  const closers = new Set<() => Promise<void>>();
  let admin: Admin | undefined;

  async function getAdmin(): Promise<Admin> {
    if (!admin) {
      const created = kafka.admin();
      await created.connect();
      admin = created;
      closers.add(() => created.disconnect());
    }
    return admin;
  }

  return {
    async producer(): Promise<EventLogProducer> {
      // Idempotent: broker-side dedup of producer retries; implies acks=all and in-order retries.
      const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      const close = () => producer.disconnect();
      closers.add(close);
      return {
        async send(topic: string, messages: LogMessage[]) {
          if (!messages.length) return;
          await producer.send({
            topic,
            acks: -1,
            compression,
            messages: messages.map((m) => ({ key: m.key, value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength), headers: m.headers })),
          });
        },
        async close() {
          closers.delete(close);
          await close();
        },
      };
    },

    async consumer(consumerOptions: ConsumerOptions): Promise<EventLogConsumer> {
      const consumer: Consumer = kafka.consumer({
        groupId: consumerOptions.groupId,
        maxBytesPerPartition: consumerOptions.maxBytesPerPartition ?? 4 * 1024 * 1024,
        sessionTimeout: consumerOptions.sessionTimeoutMs ?? 30000,
        heartbeatInterval: consumerOptions.heartbeatIntervalMs ?? 3000,
        minBytes: consumerOptions.minBytes ?? 1,
        maxWaitTimeInMs: consumerOptions.maxWaitTimeMs ?? 5000,
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
      });
      await consumer.connect();
      const close = () => consumer.disconnect();
      closers.add(close);
      for (const topic of consumerOptions.topics) await consumer.subscribe({ topic, fromBeginning: consumerOptions.fromBeginning ?? false });
      const fatalListeners: Array<(e: Error) => void> = [];
      let stopping = false;
      /** Batches whose handler (and commit) is under way: stop() lets them finish before the consumer leaves. */
      const inFlight = new Set<Promise<void>>();
      consumer.on(consumer.events.CRASH, (event) => {
        // kafkajs restarts the consumer itself on retriable errors; only a crash it gives up on is fatal.
        if (!event.payload.restart && !stopping) for (const l of fatalListeners) l(event.payload.error);
      });
      return {
        async run(handle) {
          await consumer.run({
            autoCommit: false,
            partitionsConsumedConcurrently: consumerOptions.partitionsConsumedConcurrently ?? 1,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
              // Once stopping, no new batch starts: left unresolved and uncommitted, it is the group's next delivery.
              if (!batch.messages.length || stopping) return;
              const work = (async () => {
                const consumed: ConsumedBatch = {
                  topic: batch.topic,
                  partition: batch.partition,
                  messages: batch.messages.map((m) => ({
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: m.offset,
                    key: m.key ? m.key.toString('utf8') : null,
                    value: m.value ?? Buffer.alloc(0),
                    ...(m.headers && Object.keys(m.headers).length ? { headers: headersOf(m.headers) } : {}),
                    timestamp: Number(m.timestamp),
                  })),
                };
                const outcome: BatchOutcome = await handle(consumed, { heartbeat, isActive: () => isRunning() && !isStale() && !stopping });
                // Committed only after the handler's write, also when stop() was called meanwhile: stop() waits for this
                // (kafkajs drops commits once its own stop began, so it is called only after), or every batch written
                // just before a graceful stop would be delivered again. Not when the partition went to another member
                // meanwhile (stale): its offsets are that member's to commit.
                if (outcome !== 'commit' || !isRunning() || isStale()) return;
                const last = batch.messages[batch.messages.length - 1]!.offset;
                resolveOffset(last);
                await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
              })();
              inFlight.add(work);
              try {
                await work;
              } finally {
                inFlight.delete(work);
              }
            },
          });
        },
        async stop() {
          stopping = true;
          // No further fetches while the batches in flight finish (and commit), then leave the group. (pause throws
          // before run(): nothing is in flight then.)
          if (inFlight.size) {
            consumer.pause(consumerOptions.topics.map((topic) => ({ topic })));
            await Promise.allSettled([...inFlight]);
          }
          closers.delete(close);
          await consumer.disconnect();
        },
        onFatal(listener) {
          fatalListeners.push(listener);
        },
      };
    },

    async ensureTopics(topics: TopicSpec[]) {
      const a = await getAdmin();
      const existing = new Set(await a.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor ?? 1,
            ...(t.retentionMs !== undefined ? { configEntries: retentionConfig(t.retentionMs) } : {}),
          })),
        });
      }
      // Topics that existed already: a changed retention applies to them too (and to the records they hold).
      const kept = topics.filter((t) => existing.has(t.name) && t.retentionMs !== undefined);
      if (kept.length) await alignRetention(a, kept as Array<TopicSpec & { retentionMs: number }>);
    },

    async ping() {
      try {
        const a = await getAdmin();
        await a.describeCluster();
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      const all = [...closers];
      closers.clear();
      await Promise.allSettled(all.map((c) => c()));
      admin = undefined;
    },
  };
}

/**
 * Sets `retention.ms` on topics whose value differs. AlterConfigs (the request kafkajs offers) replaces a topic's whole
 * set of overrides, so the other overrides are read first and sent back unchanged.
 */
async function alignRetention(admin: Admin, topics: Array<TopicSpec & { retentionMs: number }>): Promise<void> {
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((t) => ({ type: TOPIC_RESOURCE, name: t.name })) });
  const resources = [];
  for (const resource of described.resources) {
    const wanted = topics.find((t) => t.name === resource.resourceName)!.retentionMs;
    const overrides = resource.configEntries.filter((e) => !e.isDefault && e.configSource === TOPIC_CONFIG_SOURCE && e.configValue !== null && !e.isSensitive);
    const entries = retentionConfig(wanted);
    if (entries.every((w) => overrides.find((e) => e.configName === w.name)?.configValue === w.value)) continue;
    const kept = overrides.filter((e) => !entries.some((w) => w.name === e.configName)).map((e) => ({ name: e.configName, value: e.configValue }));
    resources.push({ type: TOPIC_RESOURCE, name: resource.resourceName, configEntries: [...kept, ...entries] });
  }
  if (resources.length) await admin.alterConfigs({ validateOnly: false, resources });
}

/**
 * The topic settings of a retention: `retention.ms`, and `segment.ms` at an eighth of it. Kafka deletes only whole
 * segments and never the active one, which rolls after `segment.ms` (default 7 days): without it a quiet topic could
 * keep a record for the roll time plus the retention. So a record is gone at most 9/8 of the retention after it was
 * written (plus the broker's retention check, every 5 minutes by default) — the same bound as the file log.
 */
function retentionConfig(retentionMs: number): Array<{ name: string; value: string }> {
  return [
    { name: 'retention.ms', value: String(retentionMs) },
    { name: 'segment.ms', value: String(Math.max(1, Math.floor(retentionMs / 8))) },
  ];
}

/** DescribeConfigs' config source of a topic-level override (Kafka's ConfigSource.DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE: ConfigSource = 1;
// Through the default export, like CompressionCodecs above.
const TOPIC_RESOURCE = kafkajs.ConfigResourceTypes.TOPIC;

/** Kafka header values are bytes and a name may repeat; the port carries UTF-8 strings, the first value of a name. */
function headersOf(raw: IHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = typeof first === 'string' ? first : first.toString('utf8');
  }
  return headers;
}
