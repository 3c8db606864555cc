import { describe, expect, it } from 'vitest';
import { audienceDefinitionSchema, AUDIENCE_LIMITS, AUDIENCE_PROPERTIES, FILTER_OPS, OPS_BY_KIND } from './audience-definition.js';
import { deepestIssue } from './definition-issue.js';
import { compileAudience } from './audience-members.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const cond = (extra: Record<string, unknown> = {}) => ({ event: 'page_view', op: '>=', count: 1, within_days: 30, ...extra });

describe('compiling audience rules', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const hostile = "x' OR 1=1; DROP TABLE events --";
    const definition = audienceDefinitionSchema.parse({
      any: [cond({ where: [{ property: 'path', op: 'contains', value: hostile }, { property: 'channel', op: 'in', value: [hostile, 'email'] }] }), cond({ event: 'purchase', where: [{ property: 'revenue', op: 'gte', value: 99.5 }] })],
    });
    const { sql, params } = compileAudience(definition, NOW);
    expect(sql).not.toContain(hostile);
    expect(sql).not.toContain('DROP');
    expect(Object.values(params)).toEqual(expect.arrayContaining([hostile, [hostile, 'email'], 99.5, 'page_view', 'purchase']));
    expect(sql).toContain('{c0_f0:String}');
    expect(sql).toContain('{c0_f1:Array(String)}');
    expect(sql).toContain('{c1_f0:Float64}');
  });

  it('windows start exactly within_days before as_of; the scan covers the longest window', () => {
    const { params } = compileAudience(audienceDefinitionSchema.parse({ all: [cond({ within_days: 7 }), cond({ within_days: 30 })] }), NOW);
    expect(params).toMatchObject({ c0_since: '2026-11-24 00:00:00.000', c1_since: '2026-11-01 00:00:00.000', scan_since: '2026-11-01 00:00:00.000', as_of: '2026-12-01 00:00:00.000' });
  });

  it('machine-flagged opens are excluded from email_open conditions only', () => {
    const { sql } = compileAudience(audienceDefinitionSchema.parse({ all: [cond({ event: 'email_open' }), cond({ event: 'email_click' })] }), NOW);
    expect(sql.match(/machine_open/g)).toHaveLength(1);
  });
});

describe('definition bounds', () => {
  const nest = (depth: number) => {
    let node: unknown = cond();
    for (let i = 0; i < depth; i += 1) node = { all: [node] };
    return node;
  };
  it(`groups nest at most ${AUDIENCE_LIMITS.maxDepth} deep`, () => {
    expect(audienceDefinitionSchema.safeParse(nest(AUDIENCE_LIMITS.maxDepth)).success).toBe(true);
    expect(audienceDefinitionSchema.safeParse(nest(AUDIENCE_LIMITS.maxDepth + 1)).success).toBe(false);
  });
  it(`at most ${AUDIENCE_LIMITS.maxConditions} conditions in all`, () => {
    const split = (n: number) => ({ any: [{ all: Array.from({ length: 10 }, () => cond()) }, { all: Array.from({ length: n - 10 }, () => cond()) }] });
    expect(audienceDefinitionSchema.safeParse(split(AUDIENCE_LIMITS.maxConditions)).success).toBe(true);
    expect(audienceDefinitionSchema.safeParse(split(AUDIENCE_LIMITS.maxConditions + 1)).success).toBe(false);
  });
  it('unknown keys are refused rather than ignored', () => {
    expect(audienceDefinitionSchema.safeParse({ all: [cond({ sql: '1=1' })] }).success).toBe(false);
    expect(audienceDefinitionSchema.safeParse({ all: [cond()], none: [] }).success).toBe(false);
  });
  it('templates get their defaults', () => {
    expect(audienceDefinitionSchema.parse({ template: 'replenishment_due' })).toEqual({ template: 'replenishment_due', within_days: 7, min_purchases: 2 });
  });
});

describe('every filter op on every property', () => {
  const values = ['x', 1, 1e-7, -Number.MAX_SAFE_INTEGER, ['1'], ['a', 'b']];
  it('either compiles to SQL with every value in a parameter, or is refused naming op or value', () => {
    let compiled = 0;
    for (const property of Object.keys(AUDIENCE_PROPERTIES)) {
      for (const op of FILTER_OPS) {
        for (const value of values) {
          const parsed = audienceDefinitionSchema.safeParse({ all: [cond({ where: [{ property, op, value }] })] });
          if (!parsed.success) {
            expect(deepestIssue(parsed.error.issues[0] as Parameters<typeof deepestIssue>[0]).path.slice(-1)[0]).toMatch(/^(op|value)$/);
            continue;
          }
          compiled += 1;
          expect(OPS_BY_KIND[AUDIENCE_PROPERTIES[property as keyof typeof AUDIENCE_PROPERTIES].kind]).toContain(op);
          const { sql } = compileAudience(parsed.data, NOW);
          expect(sql).not.toMatch(/undefined|NaN/);
        }
      }
    }
    expect(compiled).toBeGreaterThan(50);
  });
  it('"in" on a numeric property is a 400 on op (it used to compile to SQL holding `undefined`)', () => {
    const parsed = audienceDefinitionSchema.safeParse({ all: [cond({ where: [{ property: 'price', op: 'in', value: ['1'] }] })] });
    expect(parsed.success).toBe(false);
  });
  it('numbers beyond ±2^53 are refused', () => {
    for (const value of [1e308, -1e308, 2 ** 53 + 2]) {
      expect(audienceDefinitionSchema.safeParse({ all: [cond({ where: [{ property: 'price', op: 'gt', value }] })] }).success).toBe(false);
    }
  });
});
