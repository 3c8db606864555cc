import type { MiddlewareHandler } from 'hono';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import { BadParameterError } from '../errors/query-api-errors.js';
import { readJsonBody } from './json-body.js';
import { malformedTextReason } from './well-formed-text.js';

export interface RequireWellFormedInputOptions {
  /** Deepest nesting of arrays/objects in a JSON body (an audience definition needs about 12). */
  maxDepth?: number;
}

/**
 * Rules every parameter of every route obeys, checked once before any route (so a new route cannot forget them):
 * text is well-formed with no NUL (params/well-formed-text.ts), JSON numbers are finite and within ±2^53 (what a
 * JS number and ClickHouse's Int64/Float64 parameters represent exactly), JSON bodies nest at most `maxDepth` deep.
 * Each failure is a 400 naming the parameter (dotted path in bodies). The walk is iterative: no deep body can
 * overflow the stack.
 */
export function requireWellFormedInput({ maxDepth = 32 }: RequireWellFormedInputOptions = {}): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    // Path ids (`/customers/{id}`) too: routing has not named them yet, so the whole decoded path is checked.
    const pathReason = malformedTextReason(decodeOrKeep(c.req.path));
    if (pathReason) throw new BadParameterError('path', pathReason);
    for (const [name, values] of Object.entries(c.req.queries())) {
      const bad = malformedTextReason(name);
      if (bad) throw new BadParameterError('query', `a parameter name ${bad}`);
      for (const value of values) {
        const reason = malformedTextReason(value);
        if (reason) throw new BadParameterError(name, reason);
      }
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const body = await readJsonBody(c);
      if (body !== undefined) checkJson(body, maxDepth);
    }
    await next();
  };
}

/** Escapes that decode to no text (`%FF`) stay literal, as the router keeps them. */
function decodeOrKeep(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function checkJson(root: unknown, maxDepth: number): void {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: root, path: [] }];
  const name = (path: string[]) => (path.length > 0 ? path.join('.') : 'body');
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const reason = malformedTextReason(value);
      if (reason) throw new BadParameterError(name(path), reason);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        throw new BadParameterError(name(path), `numbers must be finite and within ±${Number.MAX_SAFE_INTEGER}`);
      }
    } else if (typeof value === 'object' && value !== null) {
      if (path.length >= maxDepth) throw new BadParameterError(name(path), `nested more than ${maxDepth} levels deep`);
      for (const [key, child] of Object.entries(value)) {
        const reason = malformedTextReason(key);
        if (reason) throw new BadParameterError(name(path), `a key ${reason}`);
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
}
