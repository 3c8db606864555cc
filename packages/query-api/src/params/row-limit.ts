import { z } from '@hono/zod-openapi';
import { BadParameterError } from '../errors/query-api-errors.js';
import type { QueryLimits } from './query-limits.js';

/** `limit` on the wire: rows per list. The ceiling is enforced by resolveRowLimit, which knows the configured limits. */
export const rowLimitParam = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .openapi({ description: 'Rows per list (default 10; capped by the server, 1000 unless configured).', example: 10 });

export function resolveRowLimit(limit: number | undefined, limits: QueryLimits, parameter = 'limit'): number {
  if (limit === undefined) return limits.defaultRows;
  if (limit > limits.maxRows) throw new BadParameterError(parameter, `must be at most ${limits.maxRows}`);
  return limit;
}
