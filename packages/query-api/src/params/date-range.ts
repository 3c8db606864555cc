import { z } from '@hono/zod-openapi';
import { BadParameterError } from '../errors/query-api-errors.js';
import type { QueryLimits } from './query-limits.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** `from`/`to` as accepted on the wire: a date (UTC day) or an ISO 8601 date-time with offset. */
export const dateParam = (name: 'from' | 'to') =>
  z
    .string()
    .max(40)
    .refine((v) => (DATE_ONLY.test(v) || v.includes('T')) && !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), {
      message: 'expected a date (2026-11-01) or an ISO 8601 date-time with offset (2026-11-01T10:00:00Z)',
    })
    .optional()
    .openapi({
      description:
        name === 'from'
          ? 'Start, inclusive. A date means 00:00 UTC of that day. Default: `to` minus the default range.'
          : 'End. A date is inclusive (the whole UTC day); a date-time is exclusive. Default: now.',
      example: name === 'from' ? '2026-11-01' : '2026-11-30',
    });

export interface DateRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

function parseBound(value: string, isEnd: boolean): Date {
  if (DATE_ONLY.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    return isEnd ? new Date(start.getTime() + DAY_MS) : start;
  }
  return new Date(value);
}

/** Applies defaults and the range cap; errors name the parameter at fault. */
export function resolveDateRange(input: { from?: string | undefined; to?: string | undefined }, limits: QueryLimits, now: Date): DateRange {
  const to = input.to !== undefined ? parseBound(input.to, true) : now;
  const from = input.from !== undefined ? parseBound(input.from, false) : new Date(to.getTime() - limits.defaultRangeDays * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new BadParameterError('to', 'must be after from');
  if (to.getTime() - from.getTime() > limits.maxRangeDays * DAY_MS) {
    throw new BadParameterError('from', `the range may span at most ${limits.maxRangeDays} days`);
  }
  return { from, to };
}

/** The `DateTime64(3, 'UTC')` parameter text ClickHouse parses unambiguously. */
export function toClickHouseTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Params `{from:DateTime64(3, 'UTC')}` and `{to:DateTime64(3, 'UTC')}` for a range. */
export function rangeParams(range: DateRange): { from: string; to: string } {
  return { from: toClickHouseTime(range.from), to: toClickHouseTime(range.to) };
}
