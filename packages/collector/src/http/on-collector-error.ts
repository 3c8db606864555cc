import type { Context } from 'hono';
import { CollectorError } from './collector-error.js';
import { LogUnavailableError } from '../produce/coalescing-producer.js';

/** The one place errors become HTTP answers. Anything not a CollectorError is our bug: a 500, logged. */
export function onCollectorError(options: { retryAfterSeconds: number; log?: (message: string, error: unknown) => void }) {
  const log = options.log ?? ((message, error) => console.error(message, error));
  return (err: Error, c: Context): Response => {
    const error =
      err instanceof LogUnavailableError ? new CollectorError('log_unavailable', 'event log unavailable, nothing was stored: retry later', options.retryAfterSeconds) : err;
    if (error instanceof CollectorError) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
      // An oversized body is not read to its end; closing the connection keeps the rest from being parsed as a request.
      if (error.code === 'payload_too_large') c.header('Connection', 'close');
      return c.json({ error: error.message, code: error.code }, error.status);
    }
    log(`[collector] ${c.req.method} ${c.req.path} failed`, err);
    return c.json({ error: 'internal error', code: 'internal' }, 500);
  };
}
