import type { QueryRunner } from '../clickhouse/query-runner.js';

/**
 * One customer's rows, with exactly the attribution of queries/person-id.ts (customerIdOf = the customer) but
 * without joining the whole identity graph: a row is theirs when its anonymous id's latest link is the customer,
 * or it carries the customer id and its anonymous id is linked to nobody else. Needs {customer:String},
 * {linked:Array(String)} and {other:Array(String)} from resolveCustomerAnonymousIds().
 */
export const ownRowsSql = (alias: string) =>
  `(${alias}.anonymous_id IN {linked:Array(String)} OR (${alias}.customer_id = {customer:String} AND ${alias}.anonymous_id NOT IN {other:Array(String)}))`;

const ANONYMOUS_IDS_SQL = `
SELECT anonymous_id, argMax(customer_id, (last_seen, customer_id)) AS linked_customer
FROM (
  SELECT anonymous_id, customer_id, max(last_seen) AS last_seen
  FROM {db:Identifier}.identities
  WHERE site_id = {site:String} AND customer_id != '' AND anonymous_id IN (
    SELECT anonymous_id FROM {db:Identifier}.identities WHERE site_id = {site:String} AND customer_id = {customer:String}
    UNION DISTINCT
    SELECT anonymous_id FROM {db:Identifier}.events WHERE site_id = {site:String} AND customer_id = {customer:String}
  )
  GROUP BY anonymous_id, customer_id
)
GROUP BY anonymous_id`;

export interface CustomerAnonymousIds {
  /** Anonymous ids whose latest identity link is this customer: all their rows are the customer's. */
  linked: string[];
  /** Anonymous ids that carried the customer id but now link to someone else (a shared device). */
  other: string[];
}

export async function resolveCustomerAnonymousIds(runner: QueryRunner, site: string, customer: string): Promise<CustomerAnonymousIds> {
  const rows = await runner.rows<{ anonymous_id: string; linked_customer: string }>(ANONYMOUS_IDS_SQL, { site, customer });
  return {
    linked: rows.filter((r) => r.linked_customer === customer).map((r) => r.anonymous_id).sort(),
    other: rows.filter((r) => r.linked_customer !== customer).map((r) => r.anonymous_id).sort(),
  };
}
