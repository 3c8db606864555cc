import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyStoreError } from '../clickhouse/query-runner.js';
import { BadParameterError, QueryTimeoutError, StoreUnavailableError } from '../errors/query-api-errors.js';
import { throwOnInvalid } from '../errors/validation-hook.js';
import { pathPatternToLike } from '../queries/funnels/funnel-sql.js';
import { dateProblem, resolveDateRange, toClickHouseTime } from './date-range.js';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import { resolveRowLimit } from './row-limit.js';

const now = new Date('2026-11-10T12:00:00Z');

describe('resolveDateRange', () => {
  it('a date `from` is 00:00 UTC; a date `to` includes that whole day; a date-time `to` is exclusive', () => {
    expect(resolveDateRange({ from: '2026-11-01', to: '2026-11-02' }, DEFAULT_QUERY_LIMITS, now)).toEqual({
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-03T00:00:00Z'),
    });
    expect(resolveDateRange({ from: '2026-11-01T10:00:00+01:00', to: '2026-11-01T12:00:00Z' }, DEFAULT_QUERY_LIMITS, now)).toEqual({
      from: new Date('2026-11-01T09:00:00Z'),
      to: new Date('2026-11-01T12:00:00Z'),
    });
  });
  it('defaults to the last 30 days and caps the span', () => {
    expect(resolveDateRange({}, DEFAULT_QUERY_LIMITS, now)).toEqual({ from: new Date('2026-10-11T12:00:00Z'), to: now });
    expect(() => resolveDateRange({ from: '2024-01-01', to: '2026-01-01' }, DEFAULT_QUERY_LIMITS, now)).toThrow(BadParameterError);
    expect(() => resolveDateRange({ from: '2026-11-02', to: '2026-11-01' }, DEFAULT_QUERY_LIMITS, now)).toThrow('to: must be after from');
  });
  it('formats ClickHouse DateTime64 parameters in UTC', () => {
    expect(toClickHouseTime(new Date('2026-11-01T09:00:00.123Z'))).toBe('2026-11-01 09:00:00.123');
  });
});

describe('dateProblem', () => {
  it('accepts real dates and offset date-times from 1970-01-01 to 2200-12-31', () => {
    for (const ok of ['1970-01-01', '2200-12-31', '2024-02-29', '2026-11-01T10:00:00Z', '2026-11-01T10:00+01:00', '2026-11-01T10:00:00.123456789-05:30', '2200-12-31T23:59:59.999Z']) {
      expect(dateProblem(ok), ok).toBeUndefined();
    }
  });
  it('refuses days that do not exist, missing offsets, and anything outside the bounds', () => {
    for (const bad of ['2026-02-31', '2025-02-29', '2026-13-01', '2026-11-01T10:00:00', '2026-11-01T24:00:00Z', '2026-11-01 10:00:00Z', 'Tue Nov 10 2026', '9999-12-31', '0000-01-01', '1969-12-31', '2201-01-01', '+275760-09-13T00:00:00Z', '1969-12-31T23:59:59Z', '2201-01-01T00:00:00.001Z']) {
      expect(dateProblem(bad), bad).toBeDefined();
    }
  });
});

describe('resolveRowLimit', () => {
  it('defaults and caps', () => {
    expect(resolveRowLimit(undefined, DEFAULT_QUERY_LIMITS)).toBe(10);
    expect(resolveRowLimit(1000, DEFAULT_QUERY_LIMITS)).toBe(1000);
    expect(() => resolveRowLimit(1001, DEFAULT_QUERY_LIMITS)).toThrow('limit: must be at most 1000');
  });
});

describe('pathPatternToLike', () => {
  it('turns * into % and keeps LIKE metacharacters literal', () => {
    expect(pathPatternToLike('/products/*')).toBe('/products/%');
    expect(pathPatternToLike('/a_b/100%/*')).toBe('/a\\_b/100\\%/%');
    expect(pathPatternToLike('\\')).toBe('\\\\');
  });
});

describe('throwOnInvalid', () => {
  const schema = z.object({ steps: z.array(z.object({ type: z.string() }).strict()) }).strict();
  const fail = (input: unknown) => {
    const result = schema.safeParse(input);
    try {
      throwOnInvalid(result.success ? { success: true } : { success: false, error: result.error });
    } catch (err) {
      return (err as BadParameterError).parameter;
    }
    return undefined;
  };
  it('names the dotted path of the bad parameter, and an unknown key by its own name', () => {
    expect(fail({ steps: [{ type: 1 }] })).toBe('steps.0.type');
    expect(fail({ steps: [{ type: 'x', colour: 'red' }] })).toBe('steps.0.colour');
    expect(fail({ steps: [], extra: 1 })).toBe('extra');
    expect(fail({ steps: [] })).toBeUndefined();
  });
});

describe('classifyStoreError', () => {
  it('maps ClickHouse timeouts to 504, overload and network failures to 503, and leaves bugs alone', () => {
    expect(classifyStoreError({ code: '159', message: 'Timeout exceeded' }, 20)).toBeInstanceOf(QueryTimeoutError);
    expect(classifyStoreError({ code: '241', message: 'Memory limit' }, 20)).toBeInstanceOf(StoreUnavailableError);
    expect(classifyStoreError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 20)).toBeInstanceOf(StoreUnavailableError);
    const bug = { code: '62', message: 'Syntax error' };
    expect(classifyStoreError(bug, 20)).toBe(bug);
  });
});
