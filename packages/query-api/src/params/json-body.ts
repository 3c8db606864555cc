import type { Context } from 'hono';
import { BadParameterError } from '../errors/query-api-errors.js';

/** Methods whose body is a JSON object on the query API (the routes' `json` validators read the same parse). */
export const hasJsonBody = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH';

/**
 * The request's JSON body, parsed once: Hono caches the parse, so the middleware and the route's validator read the
 * same object. `undefined` when the request carries no body. Malformed JSON is a 400 naming `body`.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  if (c.req.raw.body === null) return undefined;
  try {
    return await c.req.json();
  } catch {
    throw new BadParameterError('body', 'expected a JSON object');
  }
}
