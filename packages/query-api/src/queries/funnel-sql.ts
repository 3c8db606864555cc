import { rangeParams, toClickHouseTime, type DateRange } from '../params/date-range.js';
import { PERSON_LOOKUP, PERSON_MAP_CTE, linkedCustomerOf } from './person-id.js';
import type { QueryParams } from '../clickhouse/query-runner.js';

/**
 * The funnel engine, shared by POST /funnels (aggregates) and POST /funnels/people (who dropped where).
 *
 * Semantics (docs/api.md states them to users):
 * - A unit (identity-stitched visitor, or session) enters when it does step 1 inside [from, to).
 * - Each later step must happen at or after the previous one (equal timestamps count as in order; one event
 *   never satisfies two steps) and within `window` of the entry; a step's own `window_seconds` tightens that
 *   for the step (still measured from the entry).
 * - non_strict: other events may happen between steps. strict: the unit's next event (ignoring page_ping
 *   heartbeats) after a step must be the next step, else that attempt ends.
 * - Each unit counts once, with its furthest attempt; breakdown is the entry event's value.
 *
 * Evaluation: one ClickHouse pass with native array functions (no per-event lambda state machine, which
 * was ~30x slower). Per unit, the matching events sorted by (time, first step they match) become parallel
 * arrays ts/masks. For step k, c_k[i] is the entry time of the chain that reaches step k at event i (0: none):
 * c_1[i] = ts[i] for a step-1 event in range; c_k[i] = p if event i matches step k and p, the entry of the
 * chain standing at step k-1 just before i, is non-zero and ts[i] - p is within step k's window.
 * non_strict: p = the latest such entry among all earlier events (arrayFill carries it forward; because
 * every window is measured from the entry, the latest entry dominates, so this is exact).
 * strict: p = c_{k-1}[i-1], the chain must be at step k-1 exactly at the previous event.
 * A unit's result is its furthest step; its chain is the attempt with the latest entry that reached that
 * step, and step j of the chain is the first event where c_j equals the chain's entry.
 */

export type FunnelUnit = 'visitor' | 'session';
export type FunnelOrder = 'non_strict' | 'strict';

/** Breakdown dimensions and the events column each reads: the allowlist, never a client string. */
export const BREAKDOWN_COLUMNS = {
  channel: 'channel',
  source: 'source',
  medium: 'medium',
  campaign: 'utm_campaign',
  device: 'device_type',
  country: 'country',
} as const;
export type Breakdown = keyof typeof BREAKDOWN_COLUMNS;

/** Step filters and the events column each compares: the allowlist. `path` is a pattern, the rest exact. */
export const STEP_FILTER_COLUMNS = {
  category: 'category',
  product_id: 'product_id',
  brand: 'brand',
  name: 'custom_name',
  channel: 'channel',
} as const;
export type StepFilter = keyof typeof STEP_FILTER_COLUMNS;

export interface FunnelStepSpec {
  type: string;
  /** `*` matches any characters; everything else literally. */
  path?: string | undefined;
  filters: Partial<Record<StepFilter, string>>;
  windowSeconds?: number | undefined;
}

export interface FunnelSpec {
  site: string;
  range: DateRange;
  steps: FunnelStepSpec[];
  windowSeconds: number;
  order: FunnelOrder;
  unit: FunnelUnit;
  breakdown?: Breakdown | undefined;
  includeBots: boolean;
}

/** `*` → `%`; LIKE's own metacharacters are escaped so a client's `%` or `_` is literal. */
export function pathPatternToLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%');
}

/** CTEs ending in `funnel_units(unit, person_id, customer_id, anonymous_ids, bd, reached, chain_ms)`, one row per entered unit. */
export function buildFunnelUnitsSql(spec: FunnelSpec, withPeople = false): { sql: string; params: QueryParams } {
  const n = spec.steps.length;
  const params: QueryParams = { site: spec.site, include_bots: spec.includeBots, ...rangeParams(spec.range) };
  const maxWindowMs = Math.max(spec.windowSeconds, ...spec.steps.map((s) => s.windowSeconds ?? 0)) * 1000;
  params.scan_to = toClickHouseTime(new Date(spec.range.to.getTime() + maxWindowMs + 1));

  const conditions = spec.steps.map((step, i) => {
    const parts = [`e.type = {s${i}_type:String}`];
    params[`s${i}_type`] = step.type;
    if (step.path !== undefined) {
      parts.push(`e.path LIKE {s${i}_path:String}`);
      params[`s${i}_path`] = pathPatternToLike(step.path);
    }
    for (const [filter, value] of Object.entries(step.filters) as Array<[StepFilter, string | undefined]>) {
      if (value === undefined) continue;
      parts.push(`e.${STEP_FILTER_COLUMNS[filter]} = {s${i}_${filter}:String}`);
      params[`s${i}_${filter}`] = value;
    }
    if (i === 0) parts.push(`e.ts >= {from:DateTime64(3, 'UTC')} AND e.ts < {to:DateTime64(3, 'UTC')}`);
    return `(${parts.join(' AND ')})`;
  });
  // Per step, the longest allowed distance from the entry (ms).
  const windows = spec.steps.map((st) => Math.min(st.windowSeconds ?? spec.windowSeconds, spec.windowSeconds) * 1000);
  params.windows = windows;

  const mask = conditions.map((c, i) => `if(${c}, ${2 ** i}, 0)`).join(' + ');
  const bdExpr = spec.breakdown ? `toString(e.${BREAKDOWN_COLUMNS[spec.breakdown]})` : `''`;
  // strict: every event of the unit takes part (it may break a chain), except heartbeats.
  const eventFilter = spec.order === 'strict' ? `e.type != 'page_ping'` : `e.type IN {types:Array(String)} AND (${conditions.join(' OR ')})`;
  params.types = [...new Set(spec.steps.map((st) => st.type))];

  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const shift = (arr: string) => `arrayPushFront(arrayPopBack(${arr}), toInt64(0))`;
  const stepArrays = ks
    .map((k) => {
      const c =
        k === 1
          ? `arrayMap((t, m) -> if(bitTest(m, 0), t, toInt64(0)), ts, masks) AS c1`
          : `arrayMap((t, m, p) -> if(bitTest(m, ${k - 1}) AND p != 0 AND t - p <= {windows:Array(Int64)}[${k}], p, toInt64(0)), ts, masks, ${shift(spec.order === 'strict' ? `c${k - 1}` : `f${k - 1}`)}) AS c${k}`;
      const fill = spec.order === 'strict' || k === n ? '' : `,\n    arrayFill(x -> x != 0, c${k}) AS f${k}`;
      return `    ${c}${fill}`;
    })
    .join(',\n');
  const reached = ks.map((k) => `(arrayMax(c${k}) != 0)`).join(' + ');
  // Native lookups (arrayMax, indexOf) rather than lambdas: the furthest step's latest entry, then the first
  // event where each step was reached with that entry.
  const entry = `multiIf(${ks.map((k) => `reached = ${k}, arrayMax(c${k})`).join(', ')}, toInt64(0))`;
  const chain = `[${ks.map((k) => `if(reached >= ${k}, ts[indexOf(c${k}, entry)], toInt64(0))`).join(', ')}]`;

  const linked = linkedCustomerOf('e.anonymous_id');
  const sql = `${PERSON_MAP_CTE}, ${PERSON_LOOKUP},
matched AS (
  SELECT
    ${spec.unit === 'visitor' ? `if(${linked} != '', ${linked}, e.anonymous_id)` : 'e.session_id'} AS unit_key,
    e.anonymous_id AS anonymous_id,
    if(${linked} != '', ${linked}, e.customer_id) AS row_customer,
    toUnixTimestamp64Milli(e.ts) AS t,
    toUInt32(${mask}) AS mask,
    if(bitTest(mask, 0), ${bdExpr}, '') AS bd
  FROM {db:Identifier}.events AS e
  WHERE e.site_id = {site:String}
    AND e.ts >= {from:DateTime64(3, 'UTC')} AND e.ts < {scan_to:DateTime64(3, 'UTC')}
    AND ({include_bots:Bool} OR NOT e.is_bot)
    AND ${eventFilter}
    ${spec.unit === 'session' ? `AND e.session_id != ''` : ''}
),
per_unit AS (
  SELECT ${
    withPeople
      ? `any(unit_key) AS unit,
    ${spec.unit === 'visitor' ? 'any(unit_key)' : "if(max(row_customer) != '', max(row_customer), any(anonymous_id))"} AS person_id,
    max(row_customer) AS customer_id,
    arraySort(groupUniqArray(anonymous_id)) AS anonymous_ids,`
      : // aggregates need no identities: skipping the per-unit string sets halves the grouping cost
        `'' AS unit, '' AS person_id, '' AS customer_id, []::Array(String) AS anonymous_ids,`
  }
    -- one Int64 per event: time, then the first step it matches (ties in time: the earlier step sorts
    -- first; non-matching events first of all), then its step mask. Sorting plain integers is cheap.
    arraySort(groupArray(t * 65536 + if(mask = 0, 0, bitCount(bitAnd(mask, bitNot(mask) + 1) - 1) + 1) * 1024 + mask)) AS packed,
    ${spec.breakdown ? 'groupArrayIf(t, bitTest(mask, 0))' : '[]::Array(Int64)'} AS entry_ts,
    ${spec.breakdown ? 'groupArrayIf(bd, bitTest(mask, 0))' : '[]::Array(String)'} AS entry_bd
  FROM matched
  -- grouping on a 64-bit hash of the unit id is much faster than on the string itself
  GROUP BY cityHash64(unit_key)
  HAVING countIf(bitTest(mask, 0)) > 0
),
funnel_units AS (
  SELECT unit, person_id, customer_id, anonymous_ids,
    arrayMap(x -> intDiv(x, 65536), packed) AS ts,
    arrayMap(x -> toUInt32(x % 1024), packed) AS masks,
${stepArrays},
    toUInt8(${reached}) AS reached,
    ${entry} AS entry,
    entry_bd[indexOf(entry_ts, entry)] AS bd,
    arrayResize(${chain}, reached) AS chain_ms
  FROM per_unit
)`;
  return { sql, params };
}
