import { toClickHouseTime } from '../../params/date-range.js';
import type { QueryParams } from '../../clickhouse/query-runner.js';
import {
  AUDIENCE_PROPERTIES,
  type OPS_BY_KIND,
  groupChildren,
  type AudienceCondition,
  type AudienceGroup,
  type AudienceNode,
  type PropertyFilter,
} from './audience-definition.js';
import { customerOf, joinPersonMap, personOf } from '../shared/person-id.js';
import { eventTypesSql } from '@spoor/infra';

const DAY_MS = 86_400_000;

type NumberOp = (typeof OPS_BY_KIND.number)[number];
type StringOp = (typeof OPS_BY_KIND.string)[number];
/** Filter SQL per (kind, op) of OPS_BY_KIND: typed as total, so a new op must be given SQL here to compile. */
const NUMBER_FILTER_SQL: Record<NumberOp, (col: string, name: string) => string> = {
  eq: (col, name) => `toFloat64(${col}) = {${name}:Float64}`,
  neq: (col, name) => `toFloat64(${col}) != {${name}:Float64}`,
  gt: (col, name) => `toFloat64(${col}) > {${name}:Float64}`,
  gte: (col, name) => `toFloat64(${col}) >= {${name}:Float64}`,
  lt: (col, name) => `toFloat64(${col}) < {${name}:Float64}`,
  lte: (col, name) => `toFloat64(${col}) <= {${name}:Float64}`,
};
const STRING_FILTER_SQL: Record<StringOp, (col: string, name: string) => string> = {
  eq: (col, name) => `${col} = {${name}:String}`,
  neq: (col, name) => `${col} != {${name}:String}`,
  contains: (col, name) => `positionCaseInsensitiveUTF8(${col}, {${name}:String}) > 0`,
  in: (col, name) => `${col} IN {${name}:Array(String)}`,
};

/** SQL operators for `op`: constants chosen by the validated enum, never text from the request. */
const COUNT_OP_SQL: Record<AudienceCondition['op'], string> = { '>=': '>=', '>': '>', '=': '=', '!=': '!=', '<=': '<=', '<': '<' };

export interface CompiledMembers {
  /** A SELECT of person_id, customer_id, last_seen (needs the person_map CTE in scope). */
  sql: string;
  params: QueryParams;
  /** Further CTEs the SELECT reads (after person_map). */
  ctes?: string[];
}

/** One condition, compiled: its predicates over an `events` row aliased `e`, and what it counts. */
interface CompiledCondition {
  index: number;
  /** What one counts: sessions (visit), campaigns (email_open: unique opens per campaign), or events. */
  kind: 'visit' | 'campaign' | 'event';
  /** Has property filters: a filtered visit needs raw events. */
  filtered: boolean;
  /** Every predicate over `e` (window start, kind, machine opens, filters); the window end is the scan's. */
  predicates: string[];
}

/** Where the counts come from: `events` only, or whole days from `session_days` plus events for the rest. */
export type AudienceReadPath = 'events' | 'session-days';

/**
 * Compiles a rule tree into conditional counts per person (`uniqExact` of event ids, of session ids for "visit", of
 * campaign ids for "email_open" — unique opens — so duplicates and re-opens never double count), and the tree into the HAVING clause. People are candidates when they have any
 * non-bot event in the longest `within_days`, so `count = 0` / `count < N` conditions are judged among people active
 * in that window. Machine-flagged email opens never count as opens. Two read paths, same answers
 * (audience-read-paths.integration.test.ts):
 * - `session-days` (the default, unless a "visit" condition filters on properties): whole days of the window from
 *   `session_days` (migration 0270: one row per session and UTC day), the partial days at its edges (each window
 *   start's day and as_of's day) from `events`, and `events` of just the condition types (the sort key starts
 *   (site_id, toDate(ts), type), so only those rows are read) — see sessionDaysSql();
 * - `events`: every event of the window — see eventsSql().
 */
export function compileRules(root: AudienceGroup, asOf: Date, options: { path?: AudienceReadPath } = {}): CompiledMembers {
  const params: QueryParams = { as_of: toClickHouseTime(asOf) };
  const conditions: CompiledCondition[] = [];
  let longest = 1;

  const filterSql = (f: PropertyFilter, name: string): string => {
    const { column, kind } = AUDIENCE_PROPERTIES[f.property];
    const col = `e.${column}`;
    params[name] = f.value;
    const sql = kind === 'number' ? NUMBER_FILTER_SQL[f.op as NumberOp] : STRING_FILTER_SQL[f.op as StringOp];
    // The schema refuses every pair outside OPS_BY_KIND; this guards the compiler should the two ever disagree.
    if (sql === undefined) throw new Error(`compileRules: op ${f.op} on ${kind} property ${f.property} has no SQL`);
    return sql(col, name);
  };

  const conditionSql = (c: AudienceCondition): string => {
    const i = conditions.length;
    longest = Math.max(longest, c.within_days);
    params[`c${i}_since`] = toClickHouseTime(new Date(asOf.getTime() - c.within_days * DAY_MS));
    params[`c${i}_count`] = c.count;
    const predicates = [`e.ts >= {c${i}_since:DateTime64(3, 'UTC')}`];
    // A visit is a browsing session: the pseudo-sessions of email opens/clicks are not visits.
    if (c.event === 'visit') predicates.push(`e.type NOT IN ${EMAIL_TYPES}`);
    else {
      params[`c${i}_type`] = c.event;
      predicates.push(`e.type = {c${i}_type:String}`);
      if (c.event === 'email_open') predicates.push('NOT e.machine_open');
    }
    (c.where ?? []).forEach((f, j) => predicates.push(filterSql(f, `c${i}_f${j}`)));
    const kind = c.event === 'visit' ? 'visit' : c.event === 'email_open' ? 'campaign' : 'event';
    conditions.push({ index: i, kind, filtered: (c.where ?? []).length > 0, predicates });
    return `c${i} ${COUNT_OP_SQL[c.op]} {c${i}_count:UInt32}`;
  };

  const nodeSql = (node: AudienceNode): string => {
    if (!('all' in node) && !('any' in node)) return conditionSql(node);
    const joiner = 'all' in node ? ' AND ' : ' OR ';
    return `(${groupChildren(node).map(nodeSql).join(joiner)})`;
  };

  const having = nodeSql(root);
  params.scan_since = toClickHouseTime(new Date(asOf.getTime() - longest * DAY_MS));
  const canUseDays = conditions.every((c) => c.kind !== 'visit' || !c.filtered);
  const sql = (options.path ?? 'session-days') === 'session-days' && canUseDays ? sessionDaysSql(conditions, params, asOf, having) : eventsSql(conditions, having);
  return { sql, params };
}

const EMAIL_TYPES = eventTypesSql('email_open', 'email_click');
/**
 * The column a condition counts distinct values of. Email opens count campaigns: every pixel hit is stored, but a
 * person who opened one email seven times opened one email (human opens only; machine opens never count).
 */
const COUNTED = { visit: 'session_id', campaign: 'campaign_id', event: 'event_id' } as const;
const COUNTED_E = { visit: 'e.session_id', campaign: 'toString(e.campaign_id)', event: 'e.event_id' } as const;
const NON_BOT_EVENTS = `{db:Identifier}.events AS e WHERE e.site_id = {site:String} AND e.ts < {as_of:DateTime64(3, 'UTC')} AND NOT e.is_bot`;

/**
 * Every non-bot event of the window, grouped per browser (no join on 10M rows), then the far fewer browser rows joined
 * to person_map and their uniqExact states merged per person.
 */
function eventsSql(conditions: CompiledCondition[], having: string): string {
  return `
SELECT ${personOf('b', 'customer_id')} AS person_id, max(${customerOf('b', 'customer_id')}) AS customer_id, max(b.last_seen) AS last_seen,
  ${conditions.map((c) => `uniqExactIfMerge(b.c${c.index}_state) AS c${c.index}`).join(', ')}
FROM (
  SELECT e.anonymous_id AS anonymous_id, e.customer_id AS customer_id, max(e.ts) AS last_seen,
    ${conditions.map((c) => `uniqExactIfState(${COUNTED_E[c.kind]}, ${c.predicates.join(' AND ')}) AS c${c.index}_state`).join(', ')}
  FROM ${NON_BOT_EVENTS} AND e.ts >= {scan_since:DateTime64(3, 'UTC')}
  GROUP BY anonymous_id, customer_id
) AS b
${joinPersonMap('b')}
GROUP BY person_id
HAVING ${having}`;
}

const utcDay = (time: string) => time.slice(0, 10);

/**
 * Whole days from session_days, the rest from events (see compileRules), as one stream of rows — a session-day, or an
 * event — each with a 0/1 flag per condition; joined to person_map row by row and counted per person with plain
 * uniqExactIf (cheaper here than per-browser states: the rollup already made the rows few).
 * A session_days row of day D lies entirely inside a window starting at `since` exactly when D > toDate(since); the
 * window start's own day is an edge day, whose events are read with the exact `ts >= since`. Events are read for the
 * edge days (every type) and, on all days of the window, for the types of event conditions; an event read for both
 * reasons is one row. Session ids and event ids are counted distinct across all rows, so a session spanning midnight
 * or a window edge is still one visit. Edge days are left out of the rollup branch only to read less.
 */
function sessionDaysSql(conditions: CompiledCondition[], params: QueryParams, asOf: Date, having: string): string {
  const sinceDays = conditions.map((c) => utcDay(String(params[`c${c.index}_since`])));
  params.edge_days = [...new Set([utcDay(String(params.scan_since)), ...sinceDays, utcDay(toClickHouseTime(asOf))])].sort();
  const typed = conditions.filter((c) => c.kind !== 'visit');
  params.typed_types = [...new Set(typed.map((c) => String(params[`c${c.index}_type`])))].sort();
  params.typed_since = typed.map((c) => String(params[`c${c.index}_since`])).sort()[0] ?? params.scan_since;
  const rows = `
  SELECT d.anonymous_id AS anonymous_id, d.customer_id AS customer_id, d.last_seen AS ts, d.session_id AS session_id, toUUIDOrZero('') AS event_id,
    '' AS campaign_id,
    ${conditions.map((c) => `${c.kind === 'visit' ? `d.visit = 1 AND d.day > toDate({c${c.index}_since:DateTime64(3, 'UTC')})` : '0'} AS f${c.index}`).join(', ')}
  FROM {db:Identifier}.session_days AS d
  WHERE d.site_id = {site:String} AND d.day > toDate({scan_since:DateTime64(3, 'UTC')}) AND d.day < toDate({as_of:DateTime64(3, 'UTC')})
    AND d.day NOT IN {edge_days:Array(Date)}
  UNION ALL
  SELECT e.anonymous_id, e.customer_id, e.ts, e.session_id, e.event_id, toString(e.campaign_id),
    ${conditions.map((c) => c.predicates.join(' AND ')).join(', ')}
  FROM ${NON_BOT_EVENTS} AND e.ts >= {scan_since:DateTime64(3, 'UTC')}
    AND (toDate(e.ts) IN {edge_days:Array(Date)} OR (e.type IN {typed_types:Array(String)} AND e.ts >= {typed_since:DateTime64(3, 'UTC')}))`;
  return `
SELECT ${personOf('r', 'customer_id')} AS person_id, max(${customerOf('r', 'customer_id')}) AS customer_id, max(r.ts) AS last_seen,
  ${conditions.map((c) => `uniqExactIf(r.${COUNTED[c.kind]}, r.f${c.index}) AS c${c.index}`).join(', ')}
FROM (${rows}
) AS r
${joinPersonMap('r')}
GROUP BY person_id
HAVING ${having}`;
}
