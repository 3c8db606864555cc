import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertRetentionDays, MAX_RETENTION_DAYS, RETENTION_TABLES, retentionTtl, type RetentionTable } from './apply-retention.js';

describe('retentionTtl', () => {
  it('one rule per distinct retention plus the default for every other site; values only as parameters', () => {
    expect(retentionTtl('events', { defaultDays: 760, overrides: { b: 30, a: 30, c: 90 } })).toEqual({
      ttl:
        'toDateTime(ts) + toIntervalDay({days_0:UInt16}) WHERE site_id IN {sites_0:Array(String)}, ' +
        'toDateTime(ts) + toIntervalDay({days_1:UInt16}) WHERE site_id IN {sites_1:Array(String)}, ' +
        'toDateTime(ts) + toIntervalDay({default_days:UInt16}) WHERE site_id NOT IN {overridden:Array(String)}',
      params: { days_0: 30, sites_0: ['a', 'b'], days_1: 90, sites_1: ['c'], default_days: 760, overridden: ['a', 'b', 'c'] },
    });
    expect(retentionTtl('customer_browsers', { defaultDays: 10, overrides: {} })).toEqual({ ttl: 'toDateTime(day + 1) + toIntervalDay({default_days:UInt16})', params: { default_days: 10 } });
    expect(retentionTtl('raw_events', { defaultDays: 0, overrides: {} })).toBeUndefined();
  });

  it('any policy: every site (named or not) falls under exactly one rule, with its own days or the default; hostile site ids stay parameters', () => {
    const site = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom("x' OR 1=1 --", '{days_0:UInt16}', '\u0000', '\ud800'));
    fc.assert(
      fc.property(
        fc.dictionary(site, fc.integer({ min: 1, max: MAX_RETENTION_DAYS })),
        fc.integer({ min: 0, max: MAX_RETENTION_DAYS }),
        fc.constantFrom(...(Object.keys(RETENTION_TABLES) as RetentionTable[])),
        site,
        (overrides, defaultDays, table, other) => {
          const rule = retentionTtl(table, { defaultDays, overrides });
          // The SQL text is the fixed template only: no site id (no quote, no input character) ever reaches it.
          if (rule) expect(rule.ttl).toMatch(/^[A-Za-z0-9_(){}:, +]*$/);
          const p = rule?.params ?? {};
          const ruleOf = (s: string) => {
            const matches: number[] = [];
            for (let i = 0; `days_${i}` in p; i++) if ((p[`sites_${i}`] as string[]).includes(s)) matches.push(p[`days_${i}`] as number);
            if ('default_days' in p && !((p.overridden as string[] | undefined) ?? []).includes(s)) matches.push(p.default_days as number);
            return matches;
          };
          for (const [s, days] of Object.entries(overrides)) expect(ruleOf(s)).toEqual([days]);
          if (!(other in overrides)) expect(ruleOf(other)).toEqual(defaultDays > 0 ? [defaultDays] : []);
        },
      ),
    );
  });

  it('days are integers within 1…7300 (0 = the default where allowed)', () => {
    expect(() => assertRetentionDays(0, 'x', true)).not.toThrow();
    for (const bad of [0, -1, 7301, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => assertRetentionDays(bad, 'x', false)).toThrow(RangeError);
  });
});
