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

const DAY_MS = 86_400_000;

/**
 * The times an event may state, epoch ms: years 2000 to 2100. A broken clock (1970, year 0, year 275760) is caught
 * here, and every time in range is one JavaScript dates and ClickHouse DateTime64(3) both hold.
 */
export const EPOCH_MS_RANGE = { min: 946_684_800_000, max: 4_102_444_800_000 } as const;

/**
 * How far an event's time may lie from the collector's receipt (docs/events.md "Time"). The processor never stores an
 * event time outside [received − max backdate, received + future tolerance]; /v1/import refuses events outside its
 * window, and a browser event outside it is stored at its receipt time with `ts_adjusted` saying why.
 */
export const TIME_BOUNDS = {
  /** An event may claim to be this far after its own receipt (clock jitter, transit) before it counts as in the future. */
  futureToleranceMs: 60_000,
  /** A browser event may be this much older than its batch: the SDK's outbox keeps events 7 days, plus a day of slack. */
  maxBrowserBackdateMs: 8 * DAY_MS,
  /**
   * A server import may backfill this far: five years of order history (1827 days, leap days included). Bounded because `events` is partitioned by
   * month and ClickHouse refuses an insert that spans more than 100 partitions (max_partitions_per_insert_block).
   */
  maxImportBackdateMs: 1827 * DAY_MS,
} as const;

/** Kafka topic names. Overridable by each service's main.ts (env), these are the defaults. */
export const TOPICS = {
  raw: 'spoor.raw',
  deadLetter: 'spoor.dlq',
} as const;
