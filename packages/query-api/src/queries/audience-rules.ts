import { toClickHouseTime } from '../params/date-range.js';
import type { QueryParams } from '../clickhouse/query-runner.js';
import {
  AUDIENCE_PROPERTIES,
  groupChildren,
  type AudienceCondition,
  type AudienceGroup,
  type AudienceNode,
  type PropertyFilter,
} from '../audiences/audience-definition.js';
import { customerIdOf, joinPersonMap, personIdOf } from './person-id.js';

const DAY_MS = 86_400_000;

/** SQL operators for `op`: constants chosen by the validated enum, never text from the request. */
const COUNT_OP_SQL: Record<AudienceCondition['op'], string> = { '>=': '>=', '>': '>', '=': '=', '!=': '!=', '<=': '<=', '<': '<' };

export interface CompiledMembers {
  /** A SELECT of person_id, customer_id, last_seen (needs the person_map CTE in scope). */
  sql: string;
  params: QueryParams;
  /** Further CTEs the SELECT reads (after person_map). */
  ctes?: string[];
}

/**
 * Compiles a rule tree into one pass over events: every condition becomes a conditional aggregate per person
 * (`uniqExact` of event ids, or of session ids for "visit", so duplicates never double count), and the tree
 * becomes the HAVING clause. The scan covers the longest `within_days`; people are candidates when they have any
 * non-bot event in it, so `count = 0` / `count < N` conditions are judged among people active in that window.
 * Machine-flagged email opens never count as opens.
 */
export function compileRules(root: AudienceGroup, asOf: Date): CompiledMembers {
  const params: QueryParams = { as_of: toClickHouseTime(asOf) };
  const aggregates: string[] = [];
  const merges: string[] = [];
  let longest = 1;

  const filterSql = (f: PropertyFilter, name: string): string => {
    const { column, kind } = AUDIENCE_PROPERTIES[f.property];
    const col = `e.${column}`;
    params[name] = f.value;
    if (kind === 'number') {
      const op = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op as 'eq'];
      return `toFloat64(${col}) ${op} {${name}:Float64}`;
    }
    switch (f.op) {
      case 'contains':
        return `positionCaseInsensitiveUTF8(${col}, {${name}:String}) > 0`;
      case 'in':
        return `${col} IN {${name}:Array(String)}`;
      case 'neq':
        return `${col} != {${name}:String}`;
      default:
        return `${col} = {${name}:String}`;
    }
  };

  const conditionSql = (c: AudienceCondition): string => {
    const i = aggregates.length;
    longest = Math.max(longest, c.within_days);
    params[`c${i}_since`] = toClickHouseTime(new Date(asOf.getTime() - c.within_days * DAY_MS));
    params[`c${i}_count`] = c.count;
    const predicates = [`e.ts >= {c${i}_since:DateTime64(3, 'UTC')}`];
    // A visit is a browsing session: the pseudo-sessions of email opens/clicks are not visits.
    if (c.event === 'visit') predicates.push("e.type NOT IN ('email_open', 'email_click')");
    else {
      params[`c${i}_type`] = c.event;
      predicates.push(`e.type = {c${i}_type:String}`);
      if (c.event === 'email_open') predicates.push('NOT e.machine_open');
    }
    (c.where ?? []).forEach((f, j) => predicates.push(filterSql(f, `c${i}_f${j}`)));
    const counted = c.event === 'visit' ? 'e.session_id' : 'e.event_id';
    // Per browser first (no join), then per person: uniqExact states merge exactly across a person's browsers.
    aggregates.push(`uniqExactIfState(${counted}, ${predicates.join(' AND ')}) AS c${i}_state`);
    merges.push(`uniqExactIfMerge(b.c${i}_state) AS c${i}`);
    return `c${i} ${COUNT_OP_SQL[c.op]} {c${i}_count:UInt32}`;
  };

  const nodeSql = (node: AudienceNode): string => {
    if (!('all' in node) && !('any' in node)) return conditionSql(node);
    const joiner = 'all' in node ? ' AND ' : ' OR ';
    return `(${groupChildren(node).map(nodeSql).join(joiner)})`;
  };

  const having = nodeSql(root);
  params.scan_since = toClickHouseTime(new Date(asOf.getTime() - longest * DAY_MS));
  // Stage 1 groups the window's events by (anonymous id, customer id) without touching the identity graph;
  // stage 2 joins the (far fewer) browser rows to person_map and merges them per person.
  const sql = `
SELECT ${personIdOf('b')} AS person_id, max(${customerIdOf('b')}) AS customer_id, max(b.last_seen) AS last_seen, ${merges.join(', ')}
FROM (
  SELECT e.anonymous_id AS anonymous_id, e.customer_id AS customer_id, max(e.ts) AS last_seen, ${aggregates.join(', ')}
  FROM {db:Identifier}.events AS e
  WHERE e.site_id = {site:String} AND e.ts >= {scan_since:DateTime64(3, 'UTC')} AND e.ts < {as_of:DateTime64(3, 'UTC')} AND NOT e.is_bot
  GROUP BY anonymous_id, customer_id
) AS b
${joinPersonMap('b')}
GROUP BY person_id
HAVING ${having}`;
  return { sql, params };
}
