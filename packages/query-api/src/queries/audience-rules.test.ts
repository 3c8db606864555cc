import { describe, expect, it } from 'vitest';
import { audienceDefinitionSchema, AUDIENCE_LIMITS } from '../audiences/audience-definition.js';
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
