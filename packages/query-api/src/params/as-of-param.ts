import { dateParam, toClickHouseTime } from './date-range.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** `as_of` on the wire: the moment a score or audience is evaluated at; accepted like `to`. */
export const asOfParam = dateParam('to').openapi({
  description: 'Evaluate as of this moment. A date means the end of that UTC day (data of that day counts). Default: now. Between 1970-01-01 and 2200-12-31.',
  example: '2026-11-30',
});

/** A date is inclusive (the instant after its last millisecond); a date-time is used as is. */
export function resolveAsOf(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  if (DATE_ONLY.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS);
  return new Date(value);
}

/** `{as_of:DateTime64(3, 'UTC')}`. */
export const asOfParams = (asOf: Date) => ({ as_of: toClickHouseTime(asOf) });
