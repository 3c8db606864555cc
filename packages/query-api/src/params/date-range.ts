import { z } from '@hono/zod-openapi';
import { BadParameterError } from '../errors/query-api-errors.js';
import type { QueryLimits } from './query-limits.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const DAY_MS = 86_400_000;

/**
 * The instants a date parameter may name: what JS dates and ClickHouse DateTime64(3) (1900…2299) both hold, with
 * room for the windows and look-backs added to them (up to 730 days). Outside is a 400 naming the parameter.
 */
export const EARLIEST_DATE = new Date('1970-01-01T00:00:00Z');
export const LATEST_DATE = new Date('2201-01-01T00:00:00Z');
const BOUNDS_TEXT = 'between 1970-01-01 and 2200-12-31';

/** A calendar date that exists (2026-02-31 does not: JS would roll it into March). */
function realDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** Why `value` is not an accepted date or date-time, or undefined. Date-only values are checked as whole UTC days. */
export function dateProblem(value: string): string | undefined {
  const parts = DATE_ONLY.exec(value) ?? DATE_TIME.exec(value);
  if (!parts || !realDate(parts[1]!, parts[2]!, parts[3]!)) {
    return 'expected a date (2026-11-01) or an ISO 8601 date-time with offset (2026-11-01T10:00:00Z)';
  }
  const start = Date.parse(parts[0].length === 10 ? `${value}T00:00:00Z` : value);
  const end = parts[0].length === 10 ? start + DAY_MS : start;
  if (Number.isNaN(start) || start < EARLIEST_DATE.getTime() || end > LATEST_DATE.getTime()) return `must be ${BOUNDS_TEXT} (UTC)`;
  return undefined;
}

/** `from`/`to` as accepted on the wire: a date (UTC day) or an ISO 8601 date-time with offset, within the bounds. */
export const dateParam = (name: 'from' | 'to') =>
  z
    .string()
    .max(40)
    .superRefine((v, ctx) => {
      const problem = dateProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .openapi({
      description:
        (name === 'from'
          ? 'Start, inclusive. A date means 00:00 UTC of that day. Default: `to` minus the default range.'
          : 'End. A date is inclusive (the whole UTC day); a date-time is exclusive. Default: now.') + ` Dates ${BOUNDS_TEXT}.`,
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
