import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BadParameterError, QueryApiError } from './query-api-errors.js';

export interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

export type ErrorLogger = (err: unknown, c: Context) => void;

const logToStderr: ErrorLogger = (err, c) => console.error(`[query-api] ${c.req.method} ${c.req.path} failed:`, err);

/**
 * The one place errors become HTTP. Typed errors keep their status; Hono's own HTTPExceptions
 * (malformed JSON, wrong content type from the validators) stay 4xx; anything else is our bug: a 500
 * whose details go to the log, not to the client.
 */
export function createErrorHandler(log: ErrorLogger = logToStderr) {
  return (err: Error, c: Context): Response => {
    if (err instanceof QueryApiError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err instanceof BadParameterError) body.error.parameter = err.parameter;
      if (err.retryAfterSeconds !== undefined) c.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      return c.json(body, err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 400 ? 'bad_request' : status === 401 ? 'unauthorized' : 'http_error';
      return c.json({ error: { code, message: err.message || 'bad request' } } satisfies ErrorBody, status);
    }
    log(err, c);
    return c.json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody, 500);
  };
}
