/**
 * The log port: the only place the rest of Spoor meets Kafka. Collector and processor depend on this
 * interface; kafka-event-log.ts is the Kafka adapter (kafkajs), and the embedded default adds an in-process one.
 */

/** Record headers (Kafka headers): small metadata beside the value, e.g. which format the value is in. UTF-8 strings. */
export type LogHeaders = Readonly<Record<string, string>>;

export interface LogMessage {
  key: string;
  value: Uint8Array;
  headers?: LogHeaders;
}

export interface LoggedMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  offset: string;
  key: string | null;
  value: Buffer;
  /** The record's headers; absent when it has none. */
  headers?: LogHeaders;
  /** Broker (append) time, epoch ms. */
  timestamp: number;
}

export interface EventLogProducer {
  /** Resolves only after the log durably acknowledged every message (acks from all in-sync replicas). */
  send(topic: string, messages: LogMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: LoggedMessage[];
}

export interface BatchControl {
  /** Keep group membership alive while a handler waits (retrying a store that is down, for example). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost this partition: stop retrying and return without committing. */
  isActive(): boolean;
}

/** What the handler decided: commit the whole batch, or leave it uncommitted so it is delivered again. */
export type BatchOutcome = 'commit' | 'retry-later';

export interface EventLogConsumer {
  /**
   * Starts consuming. A batch's offsets are committed only after `handle` resolved with 'commit'
   * (the processor resolves only after ClickHouse acknowledged the write).
   */
  run(handle: (batch: ConsumedBatch, control: BatchControl) => Promise<BatchOutcome>): Promise<void>;
  stop(): Promise<void>;
  /** Called when the consumer stopped for good (e.g. could not rejoin its group); the process should exit and be restarted. */
  onFatal(listener: (error: Error) => void): void;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** Upper bound of bytes fetched per partition per request. */
  maxBytesPerPartition?: number;
  /** How long the group waits for a silent member before reassigning its partitions (default 30 s). */
  sessionTimeoutMs?: number;
  /** How often the consumer heartbeats on its own between batches (default 3 s). */
  heartbeatIntervalMs?: number;
  /** A fetch waits for at least this many bytes… (default 1) */
  minBytes?: number;
  /** …or this long, whichever comes first (default 5 s): with minBytes it bounds batches by size and time. */
  maxWaitTimeMs?: number;
  /** Batches of different partitions handled at once (default 1); a partition's batches stay in order. */
  partitionsConsumedConcurrently?: number;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  /**
   * How long the log keeps a record (docs/retention.md). Kafka: the topic's `retention.ms`, set when the topic is
   * created and brought to this value when it differs. File log: whole segments past it are deleted once consumed.
   * Unset: the log's own default (Kafka's broker setting; the file log keeps records until consumed).
   */
  retentionMs?: number;
}

/** A record as a rewrite sees it (file log). */
export interface RewritableRecord {
  key: string | null;
  value: Buffer;
  headers?: LogHeaders;
  timestamp: number;
}

export interface EventLog {
  producer(): Promise<EventLogProducer>;
  consumer(options: ConsumerOptions): Promise<EventLogConsumer>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /**
   * Rewrites a topic in place: each record is kept, removed, or given a new value (an erasure removing a person's
   * records). Only a log that can delete single records has it: the file log. Kafka cannot; there the erasure
   * register drops the records when they are consumed or replayed, and the bytes go with the topic's retention.
   */
  rewrite?(topic: string, decide: (record: RewritableRecord) => 'keep' | 'remove' | { value: Buffer }): Promise<{ removed: number; replaced: number }>;
  /** True when the log answers a metadata request now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
