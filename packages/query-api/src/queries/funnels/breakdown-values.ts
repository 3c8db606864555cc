import { LRUCache } from 'lru-cache';
import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { VISIT_COLUMNS } from '@spoor/infra';
import { BREAKDOWN_COLUMNS, VISIT_BREAKDOWNS, type Breakdown } from './funnel-sql.js';

const visitColumnOf = (breakdown: Breakdown) => {
  const field = VISIT_BREAKDOWNS[breakdown];
  return field ? VISIT_COLUMNS[field] : BREAKDOWN_COLUMNS[breakdown];
};

/** The most values a funnel can carry as packed indexes (10 steps over a 400-day range leave 14 bits). */
export const MAX_INDEXED_BREAKDOWN_VALUES = 2 ** 14 - 1;

/**
 * Every value a site's events hold in one breakdown column, sorted; `undefined` when there are more than
 * MAX_INDEXED_BREAKDOWN_VALUES (the funnel then keeps per-unit strings). Funnels use the list to carry the
 * breakdown as a small index (funnel-sql.ts). A list may be stale: a value that arrived later comes out as
 * index 0, and the funnel calls `refresh` and runs again, so answers never depend on the cache.
 */
export interface BreakdownValues {
  get(site: string, breakdown: Breakdown): Promise<readonly string[] | undefined>;
  refresh(site: string, breakdown: Breakdown): Promise<readonly string[] | undefined>;
}

// Both columns for a visit breakdown: a visit's value is its landing event's own, and the visit column holds it.
const VALUES_SQL = `SELECT DISTINCT arrayJoin([toString({column:Identifier}), toString({visit_column:Identifier})]) AS value
  FROM {db:Identifier}.events WHERE site_id = {site:String} ORDER BY value LIMIT {cap:UInt32}`;

export interface BreakdownValuesCacheOptions {
  /** (site, breakdown) lists kept; each is one DISTINCT over a LowCardinality column (~60 ms on 10M events). */
  maxEntries?: number;
}

export function createBreakdownValuesCache(runner: QueryRunner, options: BreakdownValuesCacheOptions = {}): BreakdownValues {
  // A list is only ever a superset-or-stale hint, so no TTL: staleness is detected per query.
  const cache = new LRUCache<string, Promise<{ values: readonly string[] | undefined }>>({ max: options.maxEntries ?? 256 });
  const load = (site: string, breakdown: Breakdown, key: string) => {
    const entry = runner
      .rows<{ value: string }>(VALUES_SQL, { site, column: BREAKDOWN_COLUMNS[breakdown], visit_column: visitColumnOf(breakdown), cap: MAX_INDEXED_BREAKDOWN_VALUES + 1 })
      .then((rows) => ({ values: rows.length > MAX_INDEXED_BREAKDOWN_VALUES ? undefined : rows.map((r) => r.value) }));
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
    return entry;
  };
  const keyOf = (site: string, breakdown: Breakdown) => JSON.stringify([site, breakdown]);
  return {
    async get(site, breakdown) {
      const key = keyOf(site, breakdown);
      return (await (cache.get(key) ?? load(site, breakdown, key))).values;
    },
    async refresh(site, breakdown) {
      return (await load(site, breakdown, keyOf(site, breakdown))).values;
    },
  };
}
