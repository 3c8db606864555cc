import type { Context } from 'hono';
import { errorBody } from '@spoor/events';
import { CollectorError } from './collector-error.js';
import { LogUnavailableError } from '../produce/coalescing-producer.js';

/**
 * The one place errors become HTTP answers, as `{ error: { code, message, parameter? } }` (errorBodySchema of
 * @spoor/events, the query API's shape too). Anything not a CollectorError is our bug: a 500, logged.
 */
export function onCollectorError(options: { retryAfterSeconds: number; log?: (message: string, error: unknown) => void }) {
  const log = options.log ?? ((message, error) => console.error(message, error));
  return (err: Error, c: Context): Response => {
    const error =
      err instanceof LogUnavailableError
        ? new CollectorError('unavailable', 'event log unavailable, nothing was stored: retry later', { retryAfterSeconds: options.retryAfterSeconds })
        : err;
    if (error instanceof CollectorError) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
      // An oversized body is not read to its end; closing the connection keeps the rest from being parsed as a request.
      if (error.code === 'payload_too_large' && error.parameter === 'body') c.header('Connection', 'close');
      return c.json(errorBody(error.code, error.message, error.parameter), error.status);
    }
    log(`[collector] ${c.req.method} ${c.req.path} failed`, err);
    return c.json(errorBody('internal', 'internal error'), 500);
  };
}
