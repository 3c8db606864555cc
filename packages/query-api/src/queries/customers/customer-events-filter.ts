import type { QueryRunner } from '../../clickhouse/query-runner.js';

/**
 * One customer's rows, with exactly the attribution of shared/person-id.ts (customerOf = the customer) but
 * without joining the whole identity graph: a row is theirs when its anonymous id's latest link is the customer, or
 * its anonymous id is linked to nobody and the row carries the customer id. The leading `anonymous_id IN {scan}`
 * lets an index on anonymous_id narrow the read (an OR across two columns would defeat it).
 * Needs {customer:String}, {scan:Array(String)}, {linked:Array(String)} from resolveCustomerAnonymousIds().
 */
export const ownRowsSql = (alias: string) =>
  `(${alias}.anonymous_id IN {scan:Array(String)} AND (${alias}.anonymous_id IN {linked:Array(String)} OR ${alias}.customer_id = {customer:String}))`;

/**
 * Candidates: anonymous ids linked to the customer or carrying their id (customer_browsers, migration 0271: every pair
 * seen on an event, an order or an identity link, sorted by customer); each with its latest link ('' = none). Both
 * reads are primary-key lookups.
 */
const ANONYMOUS_IDS_SQL = `
WITH candidates AS (
  SELECT DISTINCT anonymous_id FROM {db:Identifier}.customer_browsers WHERE site_id = {site:String} AND customer_id = {customer:String}
)
SELECT anonymous_id, argMaxIf(customer_id, (last_seen, customer_id), customer_id != '') AS linked_customer
FROM (
  -- Raw identity rows: argMax over unfolded rows of a pair is the same as over folded ones (see PERSON_MAP_CTE).
  SELECT anonymous_id, customer_id, last_seen
  FROM {db:Identifier}.identities
  WHERE site_id = {site:String} AND customer_id != '' AND anonymous_id IN (SELECT anonymous_id FROM candidates)
  UNION ALL
  -- Columns are named by the first SELECT; aliasing '' AS customer_id here would shadow the column in WHERE.
  SELECT anonymous_id, '' AS no_link, toDateTime64(0, 3, 'UTC') AS never FROM candidates
)
GROUP BY anonymous_id`;

export interface CustomerAnonymousIds {
  /** Anonymous ids whose latest identity link is this customer: all their rows are the customer's. */
  linked: string[];
  /** Anonymous ids linked to nobody that carried the customer id: only their rows naming the customer count. */
  unlinked: string[];
}

export async function resolveCustomerAnonymousIds(runner: QueryRunner, site: string, customer: string): Promise<CustomerAnonymousIds> {
  const rows = await runner.rows<{ anonymous_id: string; linked_customer: string }>(ANONYMOUS_IDS_SQL, { site, customer });
  return {
    linked: rows.filter((r) => r.linked_customer === customer).map((r) => r.anonymous_id).sort(),
    unlinked: rows.filter((r) => r.linked_customer === '').map((r) => r.anonymous_id).sort(),
  };
}

/** The parameters ownRowsSql() needs. */
export const ownRowsParams = (customer: string, ids: CustomerAnonymousIds) => ({ customer, linked: ids.linked, scan: [...ids.linked, ...ids.unlinked] });
