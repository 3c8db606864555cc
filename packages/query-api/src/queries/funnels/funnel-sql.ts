import { rangeParams, toClickHouseTime, type DateRange } from '../../params/date-range.js';
import { PERSON_HASH_LOOKUP, PERSON_LOOKUP, PERSON_MAP_CTE, linkedCustomerOf } from '../shared/person-id.js';
import type { QueryParams } from '../../clickhouse/query-runner.js';
import { VISIT_COLUMNS, type VisitColumnField } from '@spoor/infra';
import { visitColumn, visitFixLookup } from '../shared/visit-attribution.js';

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
 * - Each unit counts once, with its furthest attempt; breakdown is the entry event's value (simultaneous entry
 *   events: the lowest step mask, then the smallest value). For channel, source, medium and campaign that value is
 *   the attribution of the visit the entry event belongs to (its landing, visit-attribution.ts), not the entry
 *   page's own URL: an SPA page without UTM inside a newsletter visit is Email; simultaneous entries in different
 *   visits resolve like any other, to the smallest value. A step's `channel` filter likewise compares the visit's
 *   channel. Both read the visit's columns on the event row (migration 0430), or sessions for a visit not settled yet.
 *
 * Evaluation: one ClickHouse pass with native array functions (no per-event lambda state machine, which
 * was ~30x slower). Per unit, the matching events become one sorted array of packed UInt64s (time, first step
 * matched, step mask, breakdown index: see `packing`). For step k, c_k[i] is the entry time of the chain that
 * reaches step k at event i (0: none): c_1[i] = ts[i] for a step-1 event in range; c_k[i] = p if event i
 * matches step k and p, the entry of the chain standing at step k-1 just before i, is non-zero and ts[i] - p
 * is within step k's window.
 * non_strict: p = the latest such entry among all earlier events. arrayFill carries it forward, so the
 * per-step array kept is f_k = fill(c_k); because every window is measured from the entry, the latest entry
 * dominates, so this is exact. f_k never decreases, so its last element is its maximum and its first
 * occurrence of a value is where c_k took it. When no event can match both step k-1 and step k (different
 * event types), "before i" and "at or before i" agree and f_{k-1} is used unshifted.
 * strict: p = c_{k-1}[i-1], the chain must be at step k-1 exactly at the previous event.
 * A unit's result is its furthest step; its chain is the attempt with the latest entry that reached that
 * step, and step j of the chain is the first event where c_j equals the chain's entry.
 */

export type FunnelUnit = 'visitor' | 'session';
export type FunnelOrder = 'non_strict' | 'strict';

/**
 * Breakdown dimensions and the events column that holds their values: the allowlist, never a client string. For the
 * visit breakdowns (below) it is the event's own column, whose values are those a visit can take (a visit's are its
 * landing event's): the breakdown list (breakdown-values.ts) reads both.
 */
export const BREAKDOWN_COLUMNS = {
  channel: 'channel',
  source: 'source',
  medium: 'medium',
  campaign: 'utm_campaign',
  device: 'device_type',
  country: 'country',
} as const;
export type Breakdown = keyof typeof BREAKDOWN_COLUMNS;

/** Breakdowns that say how a visit arrived: read from the visit's attribution, not from the event's own page. */
export const VISIT_BREAKDOWNS: Partial<Record<Breakdown, VisitColumnField>> = { channel: 'channel', source: 'source', medium: 'medium', campaign: 'campaign' };
/** Step filters read from the visit's attribution likewise. */
const VISIT_STEP_FILTERS: Partial<Record<StepFilter, VisitColumnField>> = { channel: 'channel' };

/** Whether a funnel reads a visit's attribution (a visit breakdown or step filter): then settling matters to it. */
export const readsVisitAttribution = (spec: FunnelSpec): boolean =>
  (spec.breakdown !== undefined && VISIT_BREAKDOWNS[spec.breakdown] !== undefined) ||
  spec.steps.some((s) => Object.entries(s.filters).some(([f, v]) => v !== undefined && VISIT_STEP_FILTERS[f as StepFilter] !== undefined));

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

export interface FunnelSqlOptions {
  /** Per unit, its ids and customer (POST /funnels/people). Aggregates skip them: half the grouping cost. */
  withPeople?: boolean;
  /**
   * Every value the breakdown column may hold (a superset is fine). Then the entry event's value travels as its
   * 1-based index in this list, packed into the event's sort key, instead of per-unit string arrays (~15 % of
   * the funnel's time). A value missing from the list comes out as `bd_index` 0 and `bd` '': the caller must
   * check for that (see funnels.ts) and rerun with a fresh list. Only when `breakdownIndexFits`.
   */
  breakdownValues?: readonly string[];
  /**
   * The site had no unsettled visit when the caller looked (visit-settlement.ts): visit breakdowns and filters read
   * the visit columns alone, without the lookup of unsettled visits, which costs a per-row hash of the session id
   * (~200 ms of a 1.1 s funnel on 10M events). Default false: the lookup, right whatever settling has done.
   */
  visitsSettled?: boolean;
}

const STEP_BITS = 4; // the first step an event matches, 0..MAX_FUNNEL_STEPS (10)

/** Bit layout of one event's packed sort key; the fields sort as (time, first step, mask, breakdown index). */
function packing(spec: FunnelSpec, breakdownBits: number) {
  const n = spec.steps.length;
  const maskShift = breakdownBits;
  const stepShift = maskShift + n;
  const timeShift = stepShift + STEP_BITS;
  return { maskShift, stepShift, timeShift };
}

/** The longest window of the funnel or any step, ms: how far past the range a chain may run. */
const maxWindowMs = (spec: FunnelSpec) => Math.max(spec.windowSeconds, ...spec.steps.map((s) => s.windowSeconds ?? 0)) * 1000;

/** Milliseconds from the range start to the last event a funnel may read, as a bit count. */
function timeBits(spec: FunnelSpec): number {
  return Math.ceil(Math.log2(spec.range.to.getTime() - spec.range.from.getTime() + maxWindowMs(spec) + 2));
}

/** Bits left in a UInt64 for the breakdown index once time, first step and mask are packed. */
function breakdownBitsFor(spec: FunnelSpec): number {
  return 64 - timeBits(spec) - STEP_BITS - spec.steps.length;
}

/**
 * A row's 1-based index in the `{list}` parameter, 0 when absent. Matched on 64-bit hashes (the grouping already
 * assumes they do not collide): hashing a LowCardinality column runs once per dictionary entry, where looking up its
 * strings (indexOf, transform) first expands every row to a String: ~40 ms per 2.8M rows.
 */
const BREAKDOWN_INDEX = (list: string, column: string) =>
  `transform(cityHash64(${column}), arrayMap(v -> cityHash64(v), {${list}:Array(String)}), arrayEnumerate({${list}:Array(String)}), 0)`;

/**
 * A visit breakdown's index (BREAKDOWN_INDEX) read from the visit column itself — a LowCardinality column hashes once
 * per dictionary entry — or, unless every visit was settled, the index of the value read from sessions for visits
 * not settled yet (visit-attribution.ts).
 */
const visitBreakdownIndex = (field: VisitColumnField, settled: boolean) => {
  const column = BREAKDOWN_INDEX('bd_values', `e.${VISIT_COLUMNS[field]}`);
  const fix = `visit_fix_${field}`;
  return settled ? column : `transform(cityHash64(e.session_id), ${fix}.1, arrayMap(v -> toUInt64(indexOf({bd_values:Array(String)}, v)), ${fix}.2), ${column})`;
};

/** Whether `count` breakdown values (indexes 1..count) fit into the packed key of this funnel. */
export function breakdownIndexFits(spec: FunnelSpec, count: number): boolean {
  const bits = breakdownBitsFor(spec);
  return bits >= 1 && count < 2 ** Math.min(bits, 31);
}

/**
 * CTEs ending in `funnel_units(unit, person_id, customer_id, anonymous_ids, bd, bd_index, reached, chain_ms)`, one
 * row per entered unit. `bd_index` is the breakdown value's index in `breakdownValues` (0: not in it), else 1.
 */
export function buildFunnelUnitsSql(spec: FunnelSpec, options: FunnelSqlOptions = {}): { sql: string; params: QueryParams } {
  const { withPeople = false } = options;
  const n = spec.steps.length;
  const params: QueryParams = { site: spec.site, include_bots: spec.includeBots, ...rangeParams(spec.range) };
  params.scan_to = toClickHouseTime(new Date(spec.range.to.getTime() + maxWindowMs(spec) + 1));
  params.from_ms = spec.range.from.getTime();

  // Visit attribution fields this funnel reads: each needs its lookup of unsettled visits (visit-attribution.ts),
  // unless the caller saw none.
  const visitFields = new Set<VisitColumnField>();
  const visitValue = (field: VisitColumnField) => (options.visitsSettled ? `toString(e.${VISIT_COLUMNS[field]})` : visitColumn('e', field));
  const conditions = spec.steps.map((step, i) => {
    const parts = [`e.type = {s${i}_type:String}`];
    params[`s${i}_type`] = step.type;
    if (step.path !== undefined) {
      parts.push(`e.path LIKE {s${i}_path:String}`);
      params[`s${i}_path`] = pathPatternToLike(step.path);
    }
    for (const [filter, value] of Object.entries(step.filters) as Array<[StepFilter, string | undefined]>) {
      if (value === undefined) continue;
      const visitFilter = VISIT_STEP_FILTERS[filter];
      if (visitFilter) visitFields.add(visitFilter);
      parts.push(`${visitFilter ? visitValue(visitFilter) : `e.${STEP_FILTER_COLUMNS[filter]}`} = {s${i}_${filter}:String}`);
      params[`s${i}_${filter}`] = value;
    }
    if (i === 0) parts.push(`e.ts >= {from:DateTime64(3, 'UTC')} AND e.ts < {to:DateTime64(3, 'UTC')}`);
    return `(${parts.join(' AND ')})`;
  });
  // Per step, the longest allowed distance from the entry (ms).
  const windows = spec.steps.map((st) => Math.min(st.windowSeconds ?? spec.windowSeconds, spec.windowSeconds) * 1000);
  params.windows = windows;

  const mask = conditions.map((c, i) => `if(${c}, ${2 ** i}, 0)`).join(' + ');
  const visitBreakdown = spec.breakdown ? VISIT_BREAKDOWNS[spec.breakdown] : undefined;
  if (visitBreakdown) visitFields.add(visitBreakdown);
  // A visit breakdown reads the visit's attribution copied onto the event row (migration 0430), like an event column.
  const bdColumn = spec.breakdown ? (visitBreakdown ? visitValue(visitBreakdown) : `e.${BREAKDOWN_COLUMNS[spec.breakdown]}`) : undefined;
  const visitLookups = options.visitsSettled ? '' : [...visitFields].map((f) => `,\n${visitFixLookup(f)}`).join('');
  // Breakdown values as indexes in the packed key, or (people, no list, too many values) as per-unit string arrays.
  const indexed = bdColumn !== undefined && options.breakdownValues !== undefined && !withPeople;
  if (indexed && !breakdownIndexFits(spec, options.breakdownValues!.length)) {
    throw new Error(`buildFunnelUnitsSql: ${options.breakdownValues!.length} breakdown values do not fit the packed key`);
  }
  if (indexed) params.bd_values = options.breakdownValues;
  const bdBits = indexed ? breakdownBitsFor(spec) : 0;
  const { maskShift, stepShift, timeShift } = packing(spec, bdBits);
  // strict: every event of the unit takes part (it may break a chain), except heartbeats.
  const eventFilter = spec.order === 'strict' ? `e.type != 'page_ping'` : `e.type IN {types:Array(String)} AND (${conditions.join(' OR ')})`;
  params.types = [...new Set(spec.steps.map((st) => st.type))];

  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const stepBit = (k: number) => maskShift + k - 1;
  // What event i of step k chains onto: strict, the chain standing at step k-1 at the previous event; non-strict,
  // the latest chain at step k-1 before i, or at i itself when one event cannot match both steps.
  const shift = (arr: string) => `arrayPushFront(arrayPopBack(${arr}), toInt64(0))`;
  const typesDiffer = (k: number) => spec.steps[k - 2]!.type !== spec.steps[k - 1]!.type;
  const previous = (k: number) => (spec.order === 'strict' ? shift(`s${k - 1}`) : typesDiffer(k) ? `s${k - 1}` : shift(`s${k - 1}`));
  // s_k: c_k when strict or for the last step, else f_k = fill(c_k), whose last element is its maximum.
  const filled = (k: number) => spec.order === 'non_strict' && k < n;
  const stepArrays = ks
    .map((k) => {
      const c =
        k === 1
          ? `arrayMap((t, x) -> if(bitTest(x, ${stepBit(1)}), t, toInt64(0)), ts, packed)`
          : `arrayMap((t, x, p) -> if(bitTest(x, ${stepBit(k)}) AND p != 0 AND t - p <= {windows:Array(Int64)}[${k}], p, toInt64(0)), ts, packed, ${previous(k)})`;
      return `    ${filled(k) ? `arrayFill(x -> x != 0, ${c})` : c} AS s${k}`;
    })
    .join(',\n');
  const best = (k: number) => (filled(k) ? `s${k}[-1]` : `arrayMax(s${k})`);
  const reached = ks.map((k) => `(${best(k)} != 0)`).join(' + ');
  // Native lookups (indexOf) rather than lambdas: the furthest step's latest entry, then the first event where
  // each step was reached with that entry.
  const entry = `multiIf(${ks.map((k) => `reached = ${k}, ${best(k)}`).join(', ')}, toInt64(0))`;
  const chain = `[${ks.map((k) => `if(reached >= ${k}, ts[indexOf(s${k}, entry)], toInt64(0))`).join(', ')}]`;

  const firstStep = `if(mask = 0, 0, bitCount(bitAnd(mask, bitNot(mask) + 1) - 1) + 1)`;
  const packed = [
    `bitShiftLeft(toUInt64(t - {from_ms:Int64}), ${timeShift})`,
    `bitShiftLeft(toUInt64(${firstStep}), ${stepShift})`,
    `bitShiftLeft(toUInt64(mask), ${maskShift})`,
    ...(indexed ? ['bd_index'] : []),
  ].join(' + ');
  const bdIndexMask = 2 ** bdBits - 1;

  const linked = linkedCustomerOf('e.anonymous_id');
  // Aggregates group on hashes: the linked customer's (from the hashed lookup) or the anonymous id's. People need
  // the ids themselves, so they resolve strings and group on the hash of the resulting unit id (the same units).
  const unitKey =
    spec.unit === 'session'
      ? 'cityHash64(e.session_id)'
      : withPeople
        ? `cityHash64(if(${linked} != '', ${linked}, e.anonymous_id))`
        : `transform(cityHash64(e.anonymous_id), person_hash_lookup.1, person_hash_lookup.2, cityHash64(e.anonymous_id))`;
  const sql = `${PERSON_MAP_CTE}, ${withPeople ? PERSON_LOOKUP : PERSON_HASH_LOOKUP}${visitLookups},
matched AS (
  SELECT
    ${unitKey} AS unit_key,${
      withPeople
        ? `
    ${spec.unit === 'visitor' ? `if(${linked} != '', ${linked}, e.anonymous_id)` : 'e.session_id'} AS unit_id,
    e.anonymous_id AS anonymous_id,
    if(${linked} != '', ${linked}, e.customer_id) AS row_customer,`
        : ''
    }
    toUnixTimestamp64Milli(e.ts) AS t,
    toUInt32(${mask}) AS mask${
      indexed
        ? `,
    if(bitTest(mask, 0), ${visitBreakdown ? visitBreakdownIndex(visitBreakdown, options.visitsSettled ?? false) : BREAKDOWN_INDEX('bd_values', bdColumn)}, 0) AS bd_index`
        : bdColumn
          ? `,
    if(bitTest(mask, 0), toString(${bdColumn}), '') AS bd`
          : ''
    }
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
      ? `any(unit_id) AS unit,
    ${spec.unit === 'visitor' ? 'any(unit_id)' : "if(max(row_customer) != '', max(row_customer), any(anonymous_id))"} AS person_id,
    max(row_customer) AS customer_id,
    arraySort(groupUniqArray(anonymous_id)) AS anonymous_ids,`
      : `'' AS unit, '' AS person_id, '' AS customer_id,`
  }
    -- one UInt64 per event (see packing()): sorting plain integers is cheap
    arraySort(groupArray(${packed})) AS packed${
      bdColumn && !indexed
        ? `,
    -- sorted like the packed keys, so simultaneous entries resolve as on the indexed path: lowest mask, then value
    arraySort(groupArrayIf((t, mask, bd), bitTest(mask, 0))) AS entries`
        : ''
    }
  FROM matched
  GROUP BY unit_key
  HAVING countIf(bitTest(mask, 0)) > 0
),
-- Three levels, each reading the one before as columns: ClickHouse expands an alias at every use, so computing
-- reached, entry and chain from the step arrays in one SELECT grew the query tree with n^4 (10 steps: "Query tree
-- is too big"); as columns they cost their size once.
funnel_steps AS (
  SELECT unit, person_id, customer_id, ${withPeople ? 'anonymous_ids' : '[]::Array(String) AS anonymous_ids'},${bdColumn && !indexed ? ' entries,' : ''} packed,
    arrayMap(x -> toInt64(bitShiftRight(x, ${timeShift})) + {from_ms:Int64}, packed) AS ts,
${stepArrays}
  FROM per_unit
),
funnel_entries AS (
  SELECT *, toUInt8(${reached}) AS reached
  FROM funnel_steps
),
funnel_chains AS (
  SELECT *, ${entry} AS entry
  FROM funnel_entries
),
funnel_units AS (
  SELECT unit, person_id, customer_id, anonymous_ids,
    ${indexed ? `toUInt32(bitAnd(packed[indexOf(s1, entry)], ${bdIndexMask}))` : 'toUInt32(1)'} AS bd_index,
    ${indexed ? '{bd_values:Array(String)}[bd_index]' : bdColumn ? 'arrayFirst(x -> x.1 = entry, entries).3' : "''"} AS bd,
    reached,
    arrayResize(${chain}, reached) AS chain_ms
  FROM funnel_chains
)`;
  return { sql, params };
}
