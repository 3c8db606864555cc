import { ERROR_CODES, type ErrorCode } from '@spoor/events';

/** The collector answers with the codes of the shared list (@spoor/events ERROR_CODES), as the query API does. */
export type CollectorErrorCode = ErrorCode;

type ErrorStatus = (typeof ERROR_CODES)[ErrorCode]['status'];

export interface CollectorErrorOptions {
  /** The input at fault (`body`, `events`, `writeKey`, `Origin`, `t`…): required for `invalid_parameter`. */
  parameter?: string;
  /** Seconds the client should wait before retrying (Retry-After); only for 429 and 503. */
  retryAfterSeconds?: number;
}

/**
 * Every failure the collector answers on purpose. Routes throw these; one onError maps them to HTTP,
 * so a status code is decided in exactly one place (the code's, from the shared list) and anything else is a
 * genuine 500 (our bug).
 */
export class CollectorError extends Error {
  readonly status: ErrorStatus;
  readonly parameter?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: CollectorErrorOptions = {},
  ) {
    super(message);
    this.name = 'CollectorError';
    this.status = ERROR_CODES[code].status;
    if (options.parameter !== undefined) this.parameter = options.parameter;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A 400 about one input; the message starts with its name, as every collector message does (`events: …`). */
export const invalidParameter = (parameter: string, message: string) => new CollectorError('invalid_parameter', message, { parameter });
