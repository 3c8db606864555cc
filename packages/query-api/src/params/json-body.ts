import type { Context } from 'hono';
import { BadParameterError } from '../errors/query-api-errors.js';
import { duplicateJsonKey } from './json-duplicate-key.js';

/** Methods whose body is a JSON object on the query API (the routes' `json` validators read the same parse). */
export const hasJsonBody = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH';

/**
 * The request's JSON body. Hono caches the text, so the middleware and the route's validator parse the same bytes.
 * `undefined` when the request carries no body (or an empty one). Malformed JSON is a 400 naming `body`; a key named twice in one
 * object is a 400 naming it (JSON.parse would silently keep the last).
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  if (c.req.raw.body === null) return undefined;
  const text = await c.req.text();
  // Over a real socket @hono/node-server gives every DELETE a body stream, empty when the client sent none.
  if (text === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadParameterError('body', 'expected a JSON object');
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate !== undefined) throw new BadParameterError(duplicate, 'named more than once in the JSON body');
  return body;
}
