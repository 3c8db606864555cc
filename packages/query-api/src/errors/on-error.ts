import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errorBody, type ErrorCode } from '@spoor/events';
import { QueryApiError } from './query-api-errors.js';

export type ErrorLogger = (err: unknown, c: Context) => void;

const logToStderr: ErrorLogger = (err, c) => console.error(`[query-api] ${c.req.method} ${c.req.path} failed:`, err);

/** Hono's own HTTPExceptions carry only a status: the shared code for it (a 400 from a validator is about the body). */
function httpExceptionBody(status: number, message: string) {
  const code: ErrorCode = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_parameter';
  return code === 'invalid_parameter' ? errorBody(code, `body: ${message || 'bad request'}`, 'body') : errorBody(code, message || code);
}

/**
 * The one place errors become HTTP, as `{ error: { code, message, parameter? } }` (errorBodySchema of @spoor/events,
 * the collector's shape too). Typed errors keep their status; Hono's own HTTPExceptions (malformed JSON, wrong
 * content type from the validators) stay 4xx; anything else is our bug: a 500 whose details go to the log, not to
 * the client.
 */
export function createErrorHandler(log: ErrorLogger = logToStderr) {
  return (err: Error, c: Context): Response => {
    if (err instanceof QueryApiError) {
      if (err.retryAfterSeconds !== undefined) c.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      return c.json(errorBody(err.code, err.message, err.parameter), err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(httpExceptionBody(err.status, err.message), err.status);
    }
    log(err, c);
    return c.json(errorBody('internal', 'internal error'), 500);
  };
}
