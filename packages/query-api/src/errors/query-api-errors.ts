/**
 * The errors a query-api handler may throw. Each carries its HTTP status and a stable code; the one
 * onError (on-error.ts) turns them into `{ error: { code, message, parameter? } }`.
 */
export abstract class QueryApiError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503 | 504;
  /** Seconds until a retry may succeed: sent as `Retry-After` (429, 503). */
  readonly retryAfterSeconds?: number;
  abstract readonly code: string;
}

/** Client input that is missing or wrong; `parameter` names it (dotted path for JSON bodies, e.g. `steps.1.path`). */
export class BadParameterError extends QueryApiError {
  readonly status = 400;
  readonly code = 'bad_parameter';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
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
  readonly code = 'store_unavailable';
  override readonly retryAfterSeconds = 5;
}

/** This API key already has its share of queries running and waiting (limits/query-concurrency.ts). */
export class TooManyQueriesError extends QueryApiError {
  readonly status = 429;
  readonly code = 'too_many_queries';
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
  readonly code = 'query_capacity';
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
}

/** Too many failed API key lookups from one client address: wait `retryAfterSeconds`. */
export class TooManyFailedKeysError extends QueryApiError {
  readonly status = 429;
  readonly code = 'too_many_failed_keys';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
