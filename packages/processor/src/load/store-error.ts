import type { TableName } from './build-rows.js';

/**
 * What a failed store call means for the batch:
 * - transient: the store is down, slow or busy, or misconfigured for every row alike (missing table, no access):
 *   retrying the same rows later is right, splitting them cannot help and dead-lettering them would lose them;
 * - data: the store refused something in the rows (a value it cannot parse or hold): the same rows fail again
 *   however often they are sent, so the batch is split until the refused rows are alone;
 * - unknown: neither list knows it; retried like a transient error, and treated as a data error only while the store
 *   demonstrably answers (see resilient-load.ts).
 */
export type StoreErrorKind = 'transient' | 'data' | 'unknown';

/** A failed store call, classified; `code` is what unauthenticated endpoints may show (never the message). */
export interface StoreFailure {
  kind: StoreErrorKind;
  /** Reason code for /readyz and metrics: store_unavailable, store_refused_row, store_error. */
  code: 'store_unavailable' | 'store_refused_row' | 'store_error';
  /** ClickHouse exception code and name when the error carried them. */
  clickhouseCode?: number;
  clickhouseName?: string;
  /** The table whose check or insert failed, when known. */
  table?: TableName;
}

/**
 * ClickHouse exception codes (names as errorCodeToName() gives them in chDB 26.x) raised while parsing or converting
 * the values of an insert: the rows, not the server, are the problem.
 */
const DATA_ERROR_CODES = new Map<number, string>([
  [6, 'CANNOT_PARSE_TEXT'],
  [25, 'CANNOT_PARSE_ESCAPE_SEQUENCE'], // a lone high surrogate: "missing second part of surrogate pair"
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [36, 'BAD_ARGUMENTS'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [69, 'ARGUMENT_OUT_OF_BOUND'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [128, 'TOO_LARGE_ARRAY_SIZE'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [190, 'SIZES_OF_ARRAYS_DONT_MATCH'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [346, 'CANNOT_CONVERT_CHARSET'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [376, 'CANNOT_PARSE_UUID'],
  [377, 'ILLEGAL_SYNTAX_FOR_DATA_TYPE'],
  [407, 'DECIMAL_OVERFLOW'],
  [441, 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING'],
  [467, 'CANNOT_PARSE_BOOL'],
  [469, 'VIOLATED_CONSTRAINT'],
  [546, 'NO_ROW_DELIMITER'],
  // Too many partitions in one insert block (hostile timestamps spread over many months): splitting fixes it.
  [565, 'TOO_MANY_PARTITIONS'],
  [632, 'UNEXPECTED_DATA_AFTER_PARSED_VALUE'],
  [675, 'CANNOT_PARSE_IPV4'],
  [676, 'CANNOT_PARSE_IPV6'],
  [691, 'UNKNOWN_ELEMENT_OF_ENUM'],
]);

/**
 * Codes that mean "the server cannot take any rows right now" or "is set up wrong for all rows": retried, never
 * split, never dead-lettered (a missing migration must not send every event to the DLQ).
 */
const TRANSIENT_ERROR_CODES = new Set<number>([
  16, // NO_SUCH_COLUMN_IN_TABLE (migration missing)
  60, // UNKNOWN_TABLE
  81, // UNKNOWN_DATABASE
  95, 96, // CANNOT_READ_FROM_SOCKET, CANNOT_WRITE_TO_SOCKET
  159, // TIMEOUT_EXCEEDED
  164, // READONLY
  173, // CANNOT_ALLOCATE_MEMORY
  202, 203, // TOO_MANY_SIMULTANEOUS_QUERIES, NO_FREE_CONNECTION
  209, 210, // SOCKET_TIMEOUT, NETWORK_ERROR
  218, // TABLE_IS_DROPPED
  225, 242, 244, // NO_ZOOKEEPER, TABLE_IS_READ_ONLY, UNEXPECTED_ZOOKEEPER_ERROR
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  252, // TOO_MANY_PARTS
  254, 279, 285, 289, // NO_ACTIVE_REPLICAS, ALL_CONNECTION_TRIES_FAILED, TOO_FEW_LIVE_REPLICAS, REPLICA_IS_NOT_IN_QUORUM
  364, // RECEIVED_ERROR_TOO_MANY_REQUESTS
  373, 384, // SESSION_IS_LOCKED, PART_IS_TEMPORARILY_LOCKED
  394, // QUERY_WAS_CANCELLED
  473, // DEADLOCK_AVOIDED
  497, 516, // ACCESS_DENIED, AUTHENTICATION_FAILED
  733, 735, 738, // TABLE_IS_BEING_RESTARTED, QUERY_WAS_CANCELLED_BY_CLIENT, PART_IS_LOCKED
  749, 762, // TCP_CONNECTION_LIMIT_REACHED, HTTP_CONNECTION_LIMIT_REACHED
  776, 777, 778, // RESOURCE_LIMIT_EXCEEDED, MEMORY_RESERVATION_KILLED, MEMORY_RESERVATION_FAILED
  999, // KEEPER_EXCEPTION
]);

/** Node / undici / chDB error codes of a store that cannot be reached or is busy. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'ENOTFOUND', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'CHDB_CONNECTION', 'CHDB_CLOSED', 'CHDB_TIMEOUT', 'CHDB_ABORT',
]);

const TRANSIENT_MESSAGE = /socket hang up|timed? ?out|ECONNREFUSED|ECONNRESET|connection (?:refused|reset|closed)|service unavailable|\b50[234]\b|\bbusy\b|\blocked\b|too many (?:parts|simultaneous|requests)|memory limit/i;

/** What the loader was doing with a table when the store failed. */
export type StoreStep = 'check' | 'insert' | 'repair' | 'mark';

/** Where a failed load came from: loadBatch wraps each store error with the table it was working on. */
export class StoreWriteError extends Error {
  constructor(
    readonly table: TableName,
    readonly step: StoreStep,
    override readonly cause: unknown,
  ) {
    super(`${step} ${table}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreWriteError';
  }
}

/**
 * The ClickHouse exception code of an error from @clickhouse/client (a server, or chDB through its connection:
 * ClickHouseError with `code` as a digit string), from chDB's own errors (`clickhouseCode`, or only the
 * "Code: N. DB::Exception" text of a raw insert's ChdbInsertError, whose `code` is 'CHDB_INSERT').
 */
export function clickhouseCodeOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { clickhouseCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e.clickhouseCode === 'number') return e.clickhouseCode;
  if (typeof e.code === 'string' && /^\d{1,5}$/.test(e.code)) return Number(e.code);
  if (typeof e.code === 'number') return e.code;
  const match = typeof e.message === 'string' ? /\bCode: (\d{1,5})\b/.exec(e.message) : null;
  return match ? Number(match[1]) : undefined;
}

export function classifyStoreError(error: unknown): StoreFailure {
  const table = error instanceof StoreWriteError ? error.table : undefined;
  const cause = error instanceof StoreWriteError ? error.cause : error;
  const code = clickhouseCodeOf(cause);
  const withTable = <T extends StoreFailure>(f: T): T => (table ? { ...f, table } : f);
  if (code !== undefined) {
    const name = DATA_ERROR_CODES.get(code);
    if (name) return withTable({ kind: 'data', code: 'store_refused_row', clickhouseCode: code, clickhouseName: name });
    if (TRANSIENT_ERROR_CODES.has(code)) return withTable({ kind: 'transient', code: 'store_unavailable', clickhouseCode: code });
    return withTable({ kind: 'unknown', code: 'store_error', clickhouseCode: code });
  }
  const systemCode = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  if (typeof systemCode === 'string' && TRANSIENT_SYSTEM_CODES.has(systemCode)) return withTable({ kind: 'transient', code: 'store_unavailable' });
  const message = cause instanceof Error ? cause.message : String(cause);
  if (TRANSIENT_MESSAGE.test(message)) return withTable({ kind: 'transient', code: 'store_unavailable' });
  return withTable({ kind: 'unknown', code: 'store_error' });
}

/**
 * The store's reason for a dead letter: the exception's first line (ClickHouse appends the offending row's parsed
 * text on the following lines: the letter already carries the event, and the reason is read by people, so keep it
 * short), capped, with the table and code in front.
 */
export function refusalReason(error: unknown, failure: StoreFailure): string {
  const cause = error instanceof StoreWriteError ? error.cause : error;
  const message = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
  const code = failure.clickhouseCode !== undefined ? ` ClickHouse ${failure.clickhouseCode}${failure.clickhouseName ? ` ${failure.clickhouseName}` : ''}` : '';
  return `store refused the row (${failure.table ?? 'unknown table'}${code}): ${message}`;
}
