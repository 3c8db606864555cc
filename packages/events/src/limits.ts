/**
 * Input size limits shared by the SDK (what it may send) and the collector (what it accepts).
 * The SDK's transport budget is smaller than the collector's limit so a well-behaved client never hits a 413.
 */
export const LIMITS = {
  /** Largest request body the collector reads; decided from Content-Length / a counting reader before parsing. */
  maxBatchBytes: 512 * 1024,
  /** Most events in one batch. */
  maxEventsPerBatch: 200,
  /** What the SDK puts in one sendBeacon / keepalive fetch (browsers cap keepalive bodies at 64 KiB in total). */
  sdkTransportBudgetBytes: 64 * 1024,
  maxUrlLength: 4096,
  maxIdLength: 128,
  maxTextLength: 1024,
  maxPropsKeys: 50,
  /** Longest key of `traits` / `properties`. */
  maxPropKeyLength: 64,
  maxItemsPerOrder: 200,
} as const;

/** Kafka topic names. Overridable by each service's main.ts (env), these are the defaults. */
export const TOPICS = {
  raw: 'spoor.raw',
  deadLetter: 'spoor.dlq',
} as const;
