import type { ErrorCode } from '@spoor/events';

/**
 * The errors a query-api handler may throw. Each carries its HTTP status and a stable code from the shared list
 * (@spoor/events ERROR_CODES, the collector answers with the same); the one onError (on-error.ts) turns them into
 * `{ error: { code, message, parameter? } }` (errorBodySchema).
 */
export abstract class QueryApiError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503 | 504;
  /** Seconds until a retry may succeed: sent as `Retry-After` (429, 503). */
  readonly retryAfterSeconds?: number;
  abstract readonly code: ErrorCode;
  /** The input the error is about (query parameter, dotted JSON path, `body`), when there is one. */
  readonly parameter?: string;
}

/** Client input that is missing or wrong; `parameter` names it (dotted path for JSON bodies, e.g. `steps.1.path`). */
export class BadParameterError extends QueryApiError {
  readonly status = 400;
  readonly code = 'invalid_parameter';
  override readonly parameter: string;

  constructor(parameter: string, message: string) {
    const named = nameOfParameter(parameter);
    super(`${named}: ${message}`);
    this.parameter = named;
  }
}

/**
 * A client can send any name (`?=1`, a JSON key `""`, a 10 KB key): the answer names it readably and boundedly, never
 * as an empty string.
 */
function nameOfParameter(parameter: string): string {
  if (parameter === '') return '""';
  return parameter.length > 200 ? `${parameter.slice(0, 200)}…` : parameter;
}

export class UnauthorizedError extends QueryApiError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends QueryApiError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class NotFoundError extends QueryApiError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** The thing to create exists already (a site id): creating never overwrites. */
export class ConflictError extends QueryApiError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** ClickHouse stopped the query at max_execution_time: the question was too big, not the server broken. */
export class QueryTimeoutError extends QueryApiError {
  readonly status = 504;
  readonly code = 'query_timeout';
}

/** The query hit its own max_memory_usage: retrying the same question fails the same way; narrow it. */
export class QueryMemoryLimitError extends QueryApiError {
  readonly status = 422;
  readonly code = 'query_memory_limit';
}

/** ClickHouse unreachable or out of resources: retry later. */
export class StoreUnavailableError extends QueryApiError {
  readonly status = 503;
  readonly code = 'unavailable';
  override readonly retryAfterSeconds = 5;
}

/** This API key already has its share of queries running and waiting (limits/query-concurrency.ts). */
export class TooManyQueriesError extends QueryApiError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The site's or the whole API's query capacity is taken and the wait for a slot ran out (limits/query-concurrency.ts). */
export class QueryCapacityError extends QueryApiError {
  readonly status = 503;
  readonly code = 'unavailable';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A request body over the query API's size limit, refused before it is read. */
export class PayloadTooLargeError extends QueryApiError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  override readonly parameter = 'body';
}

/** Too many failed API key lookups from one client address: wait `retryAfterSeconds`. */
export class TooManyFailedKeysError extends QueryApiError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
